/** `client.sessionDatabases` and `client.sessionStorage`: what a session's agent keeps. */
import type {
  DatabaseInfoResponse,
  KeyValueInfo,
  SchemaResponse,
  SecretInfo,
} from "../generated/index";
import { type RequestOptions, Resource } from "./base";

const DB = "/v1/sessions/{session_id}/databases/{name}";

/** List, create, inspect and drop the SQLite databases of a session, by name. */
export class SessionDatabases extends Resource {
  async list(sessionId: string, options?: RequestOptions): Promise<DatabaseInfoResponse[]> {
    return this.fetchList<DatabaseInfoResponse>(
      "DatabaseInfoResponse",
      {
        method: "GET",
        path: "/v1/sessions/{session_id}/databases",
        params: { session_id: sessionId },
      },
      options,
    );
  }

  /** A new, empty database; a name already in use is a `ConflictError`. */
  async create(
    sessionId: string,
    name: string,
    options?: RequestOptions,
  ): Promise<DatabaseInfoResponse> {
    return this.fetchModel(
      "DatabaseInfoResponse",
      {
        method: "POST",
        path: "/v1/sessions/{session_id}/databases",
        params: { session_id: sessionId },
        body: { name },
      },
      options,
    );
  }

  async get(
    sessionId: string,
    name: string,
    options?: RequestOptions,
  ): Promise<DatabaseInfoResponse> {
    return this.fetchModel(
      "DatabaseInfoResponse",
      { method: "GET", path: DB, params: { session_id: sessionId, name } },
      options,
    );
  }

  async delete(sessionId: string, name: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "DELETE", path: DB, params: { session_id: sessionId, name } },
      options,
    );
  }

  /** The tables of a database and their columns. */
  async schema(sessionId: string, name: string, options?: RequestOptions): Promise<SchemaResponse> {
    return this.fetchModel(
      "SchemaResponse",
      { method: "GET", path: `${DB}/schema`, params: { session_id: sessionId, name } },
      options,
    );
  }
}

/** Read the key-value storage of a session and the names of its secrets. */
export class SessionStorage extends Resource {
  /** Every key-value pair stored in the session. */
  async keys(sessionId: string, options?: RequestOptions): Promise<KeyValueInfo[]> {
    return this.fetchList<KeyValueInfo>(
      "KeyValueInfo",
      {
        method: "GET",
        path: "/v1/sessions/{session_id}/storage/keys",
        params: { session_id: sessionId },
      },
      options,
    );
  }

  /** The secrets of the session: names and dates only, never their values. */
  async secrets(sessionId: string, options?: RequestOptions): Promise<SecretInfo[]> {
    return this.fetchList<SecretInfo>(
      "SecretInfo",
      {
        method: "GET",
        path: "/v1/sessions/{session_id}/storage/secrets",
        params: { session_id: sessionId },
      },
      options,
    );
  }
}
