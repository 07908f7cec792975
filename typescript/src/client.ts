/**
 * `Everruns`, the client: configuration, sub-clients, derived clients.
 *
 * ```ts
 * const client = Everruns.fromEnv("my-org"); // EVERRUNS_API_KEY from the environment
 * const agent = await client.agents.create({ name: "Assistant", systemPrompt: "Be helpful." });
 * ```
 *
 * Nothing here holds a socket or a timer between calls, so there is no `close()`: Node
 * exits by itself once the last call or stream is over.
 */
import { type ClientOptions, type ResolvedConfig, resolveConfig, withChanges } from "./core/config";
import { Transport } from "./core/transport";
import { Agents } from "./resources/agents";
import type { ClientCore } from "./resources/base";
import { Capabilities } from "./resources/capabilities";
import { Events } from "./resources/events";
import { Harnesses } from "./resources/harnesses";
import { Images } from "./resources/images";
import { Memories } from "./resources/memories";
import type { MemoryFiles } from "./resources/memory-files";
import { Messages } from "./resources/messages";
import { Models } from "./resources/models";
import { SessionDatabases, SessionStorage } from "./resources/session-data";
import { Sessions } from "./resources/sessions";
import type { WorkspaceFiles } from "./resources/workspace-files";
import { Workspaces } from "./resources/workspaces";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** What `withOptions` can change; what is not given stays as it is. */
export interface WithOptions {
  /** Per-attempt timeout in milliseconds (`Infinity`: none). */
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /** Another API base URL (with its `/api`). */
  baseUrl?: string | undefined;
  /** Headers of every request, in place of those given at construction. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Another API key (for another organization's token, say). */
  apiKey?: string | undefined;
}

export class Everruns implements ClientCore {
  /** The request pipeline (the key is not reachable through it). */
  readonly transport: Transport;
  /** Agents: create, apply, list, versions, import/export, health checks. */
  readonly agents: Agents;
  /** Sessions: create, list, cancel, pin, export, files, and whole turns (`run`). */
  readonly sessions: Sessions;
  /** Messages of a session, and client-side tool results. */
  readonly messages: Messages;
  /** Events of a session: the live stream and polling. */
  readonly events: Events;
  readonly harnesses: Harnesses;
  readonly models: Models;
  readonly capabilities: Capabilities;
  readonly images: Images;
  readonly workspaces: Workspaces;
  /** Files of a workspace (also `client.workspaces.files`). */
  readonly workspaceFiles: WorkspaceFiles;
  readonly memories: Memories;
  /** Files of a memory (also `client.memories.files`). */
  readonly memoryFiles: MemoryFiles;
  readonly sessionDatabases: SessionDatabases;
  readonly sessionStorage: SessionStorage;

  /**
   * Options win over the environment (`EVERRUNS_API_KEY`, `EVERRUNS_ORG_ID`,
   * `EVERRUNS_API_URL`); `org`/`orgId` and `baseUrl`/`apiUrl` are aliases.
   */
  constructor(options: ClientOptions = {}) {
    this.transport = Everruns.#transport ?? Everruns.#build(options);
    Everruns.#transport = undefined;
    this.agents = new Agents(this);
    this.sessions = new Sessions(this);
    this.messages = new Messages(this);
    this.events = new Events(this);
    this.harnesses = new Harnesses(this);
    this.models = new Models(this);
    this.capabilities = new Capabilities(this);
    this.images = new Images(this);
    this.workspaces = new Workspaces(this);
    this.workspaceFiles = this.workspaces.files;
    this.memories = new Memories(this);
    this.memoryFiles = this.memories.files;
    this.sessionDatabases = new SessionDatabases(this);
    this.sessionStorage = new SessionStorage(this);
  }

  static #transport: Transport | undefined;

  static #build(options: ClientOptions): Transport {
    const { config, apiKey } = resolveConfig(options);
    return new Transport(config, apiKey);
  }

  /** A client configured from the environment only (plus an optional organization). */
  static fromEnv(org?: string): Everruns {
    return new Everruns({ org });
  }

  /**
   * A client with other defaults; only what is given changes (the key, the organization
   * and everything else stay). `timeout` is in ms; `defaultHeaders` replaces the headers
   * given at construction.
   *
   * ```ts
   * const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 });
   * const staging = client.withOptions({ baseUrl: "https://staging.example.com/api" });
   * ```
   */
  withOptions(changes: WithOptions): Everruns {
    const current = this.transport.config;
    const timed = withChanges(current, changes);
    const { apiKey, baseUrl, defaultHeaders } = changes;
    if (apiKey === undefined && baseUrl === undefined && defaultHeaders === undefined) {
      Everruns.#transport = this.transport.derive(timed);
      return new Everruns();
    }
    // Resolved (and checked) as a new client's options would be, from the current ones.
    const resolved = resolveConfig({
      apiKey: apiKey ?? this.transport.secrets[0],
      baseUrl: baseUrl ?? current.baseUrl,
      defaultHeaders: defaultHeaders ?? { ...current.defaultHeaders },
      timeout: timed.timeout,
      maxRetries: timed.maxRetries,
      fetch: current.fetch,
      logger: current.logger,
    });
    const config: ResolvedConfig = { ...resolved.config, orgId: current.orgId };
    Everruns.#transport = new Transport(config, resolved.apiKey);
    return new Everruns();
  }

  /** The resolved configuration (the key only as `evr_****`). */
  get config(): ResolvedConfig {
    return this.transport.config;
  }

  get baseUrl(): string {
    return this.transport.config.baseUrl;
  }

  get orgId(): string | undefined {
    return this.transport.config.orgId;
  }

  toJSON(): Record<string, unknown> {
    const { baseUrl, orgId, timeout, maxRetries, maskedKey } = this.transport.config;
    return { baseUrl, orgId, timeout, maxRetries, apiKey: maskedKey };
  }

  [INSPECT](): string {
    const { baseUrl, orgId, maskedKey } = this.transport.config;
    return `Everruns { baseUrl: ${JSON.stringify(baseUrl)}, orgId: ${JSON.stringify(orgId)}, apiKey: ${JSON.stringify(maskedKey)} }`;
  }
}
