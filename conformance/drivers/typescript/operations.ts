/**
 * Each operation of sdk-scope.json as a call of the TypeScript SDK's public API.
 *
 * A scenario's `args` use the spec's (wire) names; `camel(args)` turns the top-level
 * keys into this SDK's parameter names, path parameters are passed positionally.
 * Nested values are passed as they are: the SDK leaves names it does not declare alone,
 * so they reach the wire unchanged.
 */
import type { Everruns } from "../../../typescript/src/index";

export type Args = Record<string, unknown>;
type Call = (client: Everruns, args: Args) => Promise<unknown>;

const toCamel = (key: string): string =>
  key.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The arguments other than `omit`, with camelCase names, typed as the parameter they are
 * passed to (the scenario, not the compiler, vouches for their shape).
 */
export function camel<T = Record<string, unknown>>(args: Args, ...omit: string[]): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (!omit.includes(key)) out[toCamel(key)] = value;
  }
  return out as T;
}

const s = (args: Args, key: string): string => args[key] as string;
const opt = (args: Args, key: string): string | undefined => args[key] as string | undefined;

function bytes(file: unknown): Uint8Array {
  const { base64 } = file as { base64: string };
  return new Uint8Array(Buffer.from(base64, "base64"));
}

export const OPERATIONS: Record<string, Call> = {
  create_agent: (c, a) => c.agents.create(camel(a)),
  list_agents: async (c, a) => await c.agents.list(camel(a)),
  get_agent: (c, a) => c.agents.get(s(a, "agent_id")),
  update_agent: (c, a) => c.agents.update(s(a, "agent_id"), camel(a, "agent_id")),
  delete_agent: (c, a) => c.agents.delete(s(a, "agent_id")),
  import_agent: (c, a) => c.agents.import(s(a, "body"), { fromExample: opt(a, "from-example") }),
  export_agent: (c, a) => c.agents.export(s(a, "agent_id")),
  copy_agent: (c, a) => c.agents.copy(s(a, "agent_id")),
  get_agent_stats: (c, a) => c.agents.stats(s(a, "agent_id")),
  analyze_agent: (c, a) => c.agents.analyze(camel(a)),
  list_agent_versions: (c, a) => c.agents.versions.list(s(a, "agent_id")),
  create_agent_version: (c, a) => c.agents.versions.create(s(a, "agent_id"), camel(a, "agent_id")),
  set_default_agent_version: (c, a) =>
    c.agents.versions.setDefault(s(a, "agent_id"), s(a, "version_id")),
  diff_agent_versions: (c, a) =>
    c.agents.versions.diff(s(a, "agent_id"), s(a, "from_version_id"), s(a, "to_version_id")),
  fork_agent_version: (c, a) =>
    c.agents.versions.fork(
      s(a, "agent_id"),
      s(a, "version_id"),
      camel(a, "agent_id", "version_id"),
    ),
  rollback_agent_version: (c, a) =>
    c.agents.versions.rollback(
      s(a, "agent_id"),
      s(a, "version_id"),
      camel(a, "agent_id", "version_id"),
    ),
  list_health_checks: (c, a) => c.agents.healthChecks.list(s(a, "agent_id")),
  trigger_health_check: (c, a) => c.agents.healthChecks.run(s(a, "agent_id")),
  get_health_check: (c, a) => c.agents.healthChecks.get(s(a, "agent_id"), s(a, "run_id")),
  list_harnesses: (c, a) => c.harnesses.list(camel(a)),
  get_harness: (c, a) => c.harnesses.get(s(a, "harness_id")),
  create_harness: (c, a) => c.harnesses.create(camel(a)),
  update_harness: (c, a) => c.harnesses.update(s(a, "harness_id"), camel(a, "harness_id")),
  delete_harness: (c, a) => c.harnesses.delete(s(a, "harness_id")),
  list_examples: (c) => c.harnesses.examples(),
  list_all_models: (c, a) => c.models.list(camel(a)),
  get_model: (c, a) => c.models.get(s(a, "id")),
  create_session: (c, a) => c.sessions.create(camel(a)),
  list_sessions: async (c, a) => await c.sessions.list(camel(a)),
  get_session: (c, a) => c.sessions.get(s(a, "session_id")),
  update_session: (c, a) => c.sessions.update(s(a, "session_id"), camel(a, "session_id")),
  delete_session: (c, a) => c.sessions.delete(s(a, "session_id")),
  cancel_turn: (c, a) => c.sessions.cancel(s(a, "session_id")),
  pin_session: (c, a) => c.sessions.pin(s(a, "session_id")),
  unpin_session: (c, a) => c.sessions.unpin(s(a, "session_id")),
  export_session_jsonl: (c, a) => c.sessions.export(s(a, "session_id"), camel(a, "session_id")),
  list_capabilities: async (c, a) => await c.capabilities.list(camel(a)),
  get_capability: (c, a) => c.capabilities.get(s(a, "capability_id")),
  list_guardrail_examples: (c) => c.capabilities.guardrailExamples(),
  dry_run_guardrails: (c, a) => c.capabilities.dryRunGuardrails(camel(a)),
  create_message: (c, a) => {
    const message = a.message as { role?: string; content: unknown };
    if ((message.role ?? "user") !== "user")
      throw new Unsupported("messages.create sends user messages");
    return c.messages.create(s(a, "session_id"), {
      ...camel(a, "session_id", "message"),
      content: message.content as never,
    });
  },
  list_messages: (c, a) => c.messages.list(s(a, "session_id")),
  submit_tool_results: (c, a) => {
    const results = (a.tool_results as Args[]).map((r) => camel(r));
    return c.messages.submitToolResults(s(a, "session_id"), results as never);
  },
  list_events: (c, a) => c.events.list(s(a, "session_id"), camel(a, "session_id")),
  upload_image: (c, a) => {
    const file = a.file as { name?: string; content_type?: string };
    return c.images.upload(bytes(a.file), {
      filename: file.name,
      contentType: file.content_type,
      sessionId: opt(a, "session_id"),
    });
  },
  list_images: (c, a) => c.images.list(camel(a)),
  get_image: (c, a) => c.images.content(s(a, "image_id")),
  delete_image: (c, a) => c.images.delete(s(a, "image_id")),
  get_thumbnail: (c, a) => c.images.thumbnail(s(a, "image_id")),
  list_workspaces: (c, a) => c.workspaces.list(camel(a)),
  create_workspace: (c, a) => c.workspaces.create(camel(a)),
  get_workspace: (c, a) => c.workspaces.get(s(a, "workspace_id")),
  update_workspace: (c, a) => c.workspaces.update(s(a, "workspace_id"), camel(a, "workspace_id")),
  delete_workspace: (c, a) => c.workspaces.delete(s(a, "workspace_id")),
  get_root: (c, a) =>
    c.workspaceFiles.list(s(a, "workspace_id"), undefined, camel(a, "workspace_id")),
  get_path: (c, a) =>
    c.workspaceFiles.get(s(a, "workspace_id"), s(a, "path"), camel(a, "workspace_id", "path")),
  create_path: (c, a) =>
    c.workspaceFiles.create(
      s(a, "workspace_id"),
      s(a, "path"),
      opt(a, "content"),
      camel(a, "workspace_id", "path", "content"),
    ),
  update_path: (c, a) =>
    c.workspaceFiles.update(
      s(a, "workspace_id"),
      s(a, "path"),
      opt(a, "content"),
      camel(a, "workspace_id", "path", "content"),
    ),
  delete_path: (c, a) =>
    c.workspaceFiles.delete(s(a, "workspace_id"), s(a, "path"), camel(a, "workspace_id", "path")),
  move_file: (c, a) =>
    c.workspaceFiles.move(s(a, "workspace_id"), s(a, "src_path"), s(a, "dst_path")),
  copy_file: (c, a) =>
    c.workspaceFiles.copy(s(a, "workspace_id"), s(a, "src_path"), s(a, "dst_path")),
  grep_files: (c, a) =>
    c.workspaceFiles.grep(
      s(a, "workspace_id"),
      s(a, "pattern"),
      camel(a, "workspace_id", "pattern"),
    ),
  stat_file: (c, a) => c.workspaceFiles.stat(s(a, "workspace_id"), s(a, "path")),
  list_memories: (c, a) => c.memories.list(camel(a)),
  create_memory: (c, a) => c.memories.create(camel(a)),
  get_memory: (c, a) => c.memories.get(s(a, "memory_id")),
  update_memory: (c, a) => c.memories.update(s(a, "memory_id"), camel(a, "memory_id")),
  delete_memory: (c, a) => c.memories.delete(s(a, "memory_id")),
  sync_memory_now: (c, a) => c.memories.sync(s(a, "memory_id")),
  list_root: (c, a) => c.memoryFiles.list(s(a, "memory_id"), opt(a, "path")),
  get_file: (c, a) => c.memoryFiles.get(s(a, "memory_id"), s(a, "path")),
  create_file: (c, a) =>
    c.memoryFiles.create(
      s(a, "memory_id"),
      s(a, "path"),
      opt(a, "content"),
      camel(a, "memory_id", "path", "content"),
    ),
  update_file: (c, a) =>
    c.memoryFiles.update(
      s(a, "memory_id"),
      s(a, "path"),
      s(a, "content"),
      camel(a, "memory_id", "path", "content"),
    ),
  delete_file: (c, a) =>
    c.memoryFiles.delete(s(a, "memory_id"), s(a, "path"), camel(a, "memory_id", "path")),
  download_action: (c, a) => c.memoryFiles.download(s(a, "memory_id"), s(a, "path")),
  grep_action: (c, a) =>
    c.memoryFiles.grep(s(a, "memory_id"), s(a, "pattern"), camel(a, "memory_id", "pattern")),
  stat_action: (c, a) => c.memoryFiles.stat(s(a, "memory_id"), s(a, "path")),
  list_databases: (c, a) => c.sessionDatabases.list(s(a, "session_id")),
  create_database: (c, a) => c.sessionDatabases.create(s(a, "session_id"), s(a, "name")),
  get_database: (c, a) => c.sessionDatabases.get(s(a, "session_id"), s(a, "name")),
  delete_database: (c, a) => c.sessionDatabases.delete(s(a, "session_id"), s(a, "name")),
  get_schema: (c, a) => c.sessionDatabases.schema(s(a, "session_id"), s(a, "name")),
  list_keys: (c, a) => c.sessionStorage.keys(s(a, "session_id")),
  list_secrets: (c, a) => c.sessionStorage.secrets(s(a, "session_id")),
};

/** Thrown when this SDK cannot express a call: the driver answers `unsupported`. */
export class Unsupported extends Error {}
