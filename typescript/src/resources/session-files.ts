/**
 * `client.sessions.files`: the files of a session, addressed by session ID. A session's
 * files are the files of its workspace: the workspace is looked up once per session.
 */
import type {
  DeleteFileResponse,
  FileInfo,
  FileStat,
  GetPathResponse,
  GrepResult,
  Session,
  SessionFile,
} from "../generated/index";
import { type ClientCore, type RequestOptions, Resource } from "./base";
import { type FileWriteParams, WorkspaceFiles } from "./workspace-files";

export class SessionFiles extends Resource {
  readonly #workspaces: Map<string, Promise<string>>;
  readonly #files: WorkspaceFiles;
  readonly #getSession: (id: string) => Promise<Session>;

  constructor(
    core: ClientCore,
    getSession: (id: string) => Promise<Session>,
    workspaces = new Map<string, Promise<string>>(),
  ) {
    super(core);
    this.#files = new WorkspaceFiles(core);
    this.#getSession = getSession;
    this.#workspaces = workspaces;
  }

  /** The same session files over `core`, sharing the looked-up workspaces. */
  protected override rebind(core: ClientCore): this {
    return new SessionFiles(core, this.#getSession, this.#workspaces) as this;
  }

  /** The ID of the workspace that holds the session's files (fetched once). */
  async workspaceId(sessionId: string): Promise<string> {
    let found = this.#workspaces.get(sessionId);
    if (!found) {
      found = this.#getSession(sessionId).then((s) => s.workspaceId);
      found.catch(() => this.#workspaces.delete(sessionId));
      this.#workspaces.set(sessionId, found);
    }
    return found;
  }

  async list(
    sessionId: string,
    path?: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<FileInfo[]> {
    return this.#files.list(await this.workspaceId(sessionId), path, params, options);
  }

  async get(
    sessionId: string,
    path: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<GetPathResponse> {
    return this.#files.get(await this.workspaceId(sessionId), path, params, options);
  }

  async read(sessionId: string, path: string, options?: RequestOptions): Promise<string> {
    return this.#files.read(await this.workspaceId(sessionId), path, options);
  }

  async readBytes(sessionId: string, path: string, options?: RequestOptions): Promise<Uint8Array> {
    return this.#files.readBytes(await this.workspaceId(sessionId), path, options);
  }

  async write(
    sessionId: string,
    path: string,
    content: string | Uint8Array,
    params: { encoding?: string } = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#files.write(await this.workspaceId(sessionId), path, content, params, options);
  }

  async create(
    sessionId: string,
    path: string,
    content?: string | Uint8Array,
    params: FileWriteParams = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#files.create(await this.workspaceId(sessionId), path, content, params, options);
  }

  async update(
    sessionId: string,
    path: string,
    content?: string | Uint8Array,
    params: Omit<FileWriteParams, "isDirectory"> = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#files.update(await this.workspaceId(sessionId), path, content, params, options);
  }

  async delete(
    sessionId: string,
    path: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<DeleteFileResponse> {
    return this.#files.delete(await this.workspaceId(sessionId), path, params, options);
  }

  async move(
    sessionId: string,
    srcPath: string,
    dstPath: string,
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#files.move(await this.workspaceId(sessionId), srcPath, dstPath, options);
  }

  async copy(
    sessionId: string,
    srcPath: string,
    dstPath: string,
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#files.copy(await this.workspaceId(sessionId), srcPath, dstPath, options);
  }

  async stat(sessionId: string, path: string, options?: RequestOptions): Promise<FileStat> {
    return this.#files.stat(await this.workspaceId(sessionId), path, options);
  }

  async grep(
    sessionId: string,
    pattern: string,
    params: { pathPattern?: string } = {},
    options?: RequestOptions,
  ): Promise<GrepResult[]> {
    return this.#files.grep(await this.workspaceId(sessionId), pattern, params, options);
  }
}
