/** `client.sessions`: sessions of agents, their lifecycle, export, files and turns. */
import { ResponseValidationError } from "../core/errors";
import type { PagePromise } from "../core/pagination";
import type {
  CancelTurnResponse,
  CreateSessionRequest,
  Session,
  UpdateSessionRequest,
} from "../generated/index";
import type { TurnResult } from "../lib/tracker";
import { runTurn, type TurnOptions, TurnStream, type TurnStreamOptions } from "../lib/turn-stream";
import { type ClientCore, defined, type RequestOptions, Resource } from "./base";
import { exclusive, type ToolInput, toolDefinitions } from "./body";
import { notRaw } from "./raw";
import type { ContentInput } from "./messages";
import { SessionDatabases, SessionStorage } from "./session-data";
import { SessionFiles } from "./session-files";

/** `sessions.create`: the API's create request; `tools` may hold client-side tools. */
export type CreateSessionParams = Omit<CreateSessionRequest, "tools"> & { tools?: ToolInput[] };

const S = "/v1/sessions/{session_id}";
/** Above the API (a whole turn, a turn's stream): not in `withRawResponse`. */
const NOT_RAW = ["run", "streamTurn"] as const;

/** Start, list, update, cancel, pin and export sessions; run turns. */
export class Sessions extends Resource {
  readonly #files: SessionFiles;

  /** The methods `withRawResponse` leaves out: they follow a turn, not one response. */
  get [notRaw](): typeof NOT_RAW {
    return NOT_RAW;
  }

  constructor(core: ClientCore) {
    super(core);
    this.#files = new SessionFiles(core, (id) => this.get(id));
  }

  /**
   * Start a session, with an agent (`agentId` or `agentName`) or without one. Without a
   * harness the agent's harness (or the org's `generic` one) is used.
   */
  async create(params: CreateSessionParams = {}, options?: RequestOptions): Promise<Session> {
    const body = defined({ ...params, tools: toolDefinitions(params.tools) });
    exclusive(body, ["agentId", "agentName"], ["harnessId", "harnessName"]);
    return this.fetchModel(
      "Session",
      { method: "POST", path: "/v1/sessions", body, bodyShape: "CreateSessionRequest" },
      options,
    );
  }

  /** A page of sessions; `for await` walks all of them. */
  list(
    params: { agentId?: string; search?: string; offset?: number; limit?: number } = {},
    options?: RequestOptions,
  ): PagePromise<Session> {
    return this.fetchPage<Session>(
      "Session",
      {
        method: "GET",
        path: "/v1/sessions",
        query: { agent_id: params.agentId, search: params.search },
        offset: params.offset,
        limit: params.limit,
      },
      options,
    );
  }

  async get(sessionId: string, options?: RequestOptions): Promise<Session> {
    return this.fetchModel(
      "Session",
      { method: "GET", path: S, params: { session_id: sessionId } },
      options,
    );
  }

  /** Change the title, tags or locale of a session. */
  async update(
    sessionId: string,
    params: UpdateSessionRequest,
    options?: RequestOptions,
  ): Promise<Session> {
    return this.fetchModel(
      "Session",
      {
        method: "PATCH",
        path: S,
        params: { session_id: sessionId },
        body: defined(params),
        bodyShape: "UpdateSessionRequest",
      },
      options,
    );
  }

  async delete(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "DELETE", path: S, params: { session_id: sessionId } },
      options,
    );
  }

  /** Cancel the running turn (the session stays usable); a no-op when idle. */
  async cancel(sessionId: string, options?: RequestOptions): Promise<CancelTurnResponse> {
    return this.fetchModel(
      "CancelTurnResponse",
      { method: "POST", path: `${S}/cancel`, params: { session_id: sessionId }, idempotent: true },
      options,
    );
  }

  async pin(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "PUT", path: `${S}/pin`, params: { session_id: sessionId } },
      options,
    );
  }

  async unpin(sessionId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "DELETE", path: `${S}/pin`, params: { session_id: sessionId } },
      options,
    );
  }

  /** The session as JSON Lines text, exactly as the server sends it. */
  async exportText(
    sessionId: string,
    params: { format?: string; segmented?: boolean; cursor?: string } = {},
    options?: RequestOptions,
  ): Promise<string> {
    const response = await this.send(
      {
        method: "GET",
        path: `${S}/export`,
        params: { session_id: sessionId },
        query: { format: params.format, segmented: params.segmented, cursor: params.cursor },
        headers: { Accept: "application/x-ndjson" },
      },
      options,
    );
    return response.text();
  }

  /** The session as parsed JSON Lines records (one object per line, as sent). */
  async export(
    sessionId: string,
    params: { format?: string; segmented?: boolean; cursor?: string } = {},
    options?: RequestOptions,
  ): Promise<Record<string, unknown>[]> {
    const text = await this.exportText(sessionId, params, options);
    const records: Record<string, unknown>[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (!line.trim()) return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new ResponseValidationError(`session export line ${index + 1} is not JSON`, {
          status: 200,
        });
      }
      if (typeof record !== "object" || record === null || Array.isArray(record)) {
        throw new ResponseValidationError(`session export line ${index + 1} is not a JSON object`, {
          status: 200,
        });
      }
      records.push(record as Record<string, unknown>);
    });
    return records;
  }

  /**
   * Send a user message and follow that turn to its end; resolve with the whole turn
   * (`status`, `text`, `message`, `error`, `usage`, `events`). With `tools`, client-side
   * tool calls of the turn are answered by running those tools.
   */
  async run(
    sessionId: string,
    content: ContentInput,
    options: TurnOptions = {},
  ): Promise<TurnResult> {
    return runTurn(this.core, sessionId, content, options);
  }

  /**
   * Send a user message and follow that turn live: `for await (const event of turn)`
   * gives this turn's events only, `turn.textDeltas()` its text as it is written,
   * `await turn.final()` the same result as `run`, `turn.abort()` (or leaving the loop,
   * or `await using`) closes the stream. The message is sent at once; a failure to send
   * it is thrown by the first step of the iteration (or `final()`, or `start()`).
   *
   * ```ts
   * const turn = client.sessions.streamTurn(session.id, "Tell me a joke");
   * for await (const text of turn.textDeltas()) process.stdout.write(text);
   * const result = await turn.final();
   * ```
   */
  streamTurn(
    sessionId: string,
    content: ContentInput,
    options: TurnStreamOptions = {},
  ): TurnStream {
    return new TurnStream(this.core, sessionId, content, options);
  }

  /** The files of a session (its workspace), addressed by session ID. */
  get files(): SessionFiles {
    return this.#files;
  }

  /** The SQLite databases of a session (same as `client.sessionDatabases`). */
  get databases(): SessionDatabases {
    return new SessionDatabases(this.core);
  }

  /** The key-value storage and secrets of a session (same as `client.sessionStorage`). */
  get storage(): SessionStorage {
    return new SessionStorage(this.core);
  }
}
