/**
 * `@everruns/sdk`: the TypeScript client for Everruns.
 *
 * ```ts
 * import { Everruns } from "@everruns/sdk";
 * const client = Everruns.fromEnv("my-org");
 * ```
 *
 * @packageDocumentation
 */
export { Everruns, type WithOptions } from "./client";
export type { ClientOptions, Fetch, ResolvedConfig } from "./core/config";
export { DEFAULT_BASE_URL } from "./core/config";
export type { ApiErrorInit } from "./core/errors";
export {
  APIConnectionError,
  APITimeoutError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  EverrunsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  StreamRetriesExhaustedError,
  UnprocessableEntityError,
  ValidationError,
} from "./core/errors";
export { generateId, slugify, validateName } from "./core/ids";
export type { Logger } from "./core/logging";
export { Page, PagePromise } from "./core/pagination";
export type {
  QueryParams,
  QueryValue,
  ReadResponse,
  RequestOptions,
  RequestSpec,
  Transport,
} from "./core/transport";
export { VERSION } from "./core/version";
export { EVENT_TYPES } from "./generated/events";
export type * from "./generated/index";
export type { Shape } from "./generated/shapes";
export type { JsonSchemaToolSpec, ZodToolSpec } from "./lib/tools";
export {
  type AnyTool,
  type JsonSchema,
  Tool,
  ToolArgumentsError,
  tool,
  type ZodLike,
} from "./lib/tools";
export type { TurnResult } from "./lib/tracker";
export { type TurnOptions, TurnStream, type TurnStreamOptions } from "./lib/turn-stream";
export { TurnFailedError, TurnTimeoutError } from "./lib/turns";
export type {
  AgentHealthChecks,
  Agents,
  AgentVersions,
  CreateAgentParams,
  UpdateAgentParams,
} from "./resources/agents";
export type { ClientCore } from "./resources/base";
export type { ToolInput } from "./resources/body";
export type { Capabilities } from "./resources/capabilities";
export type { Events, ListEventsParams } from "./resources/events";
export type { Harnesses } from "./resources/harnesses";
export type { Images } from "./resources/images";
export type { Memories } from "./resources/memories";
export type { MemoryFiles } from "./resources/memory-files";
export type { Messages } from "./resources/messages";
export {
  type ContentInput,
  type CreateMessageParams,
  imageFilePart,
  textPart,
  toolError,
  toolResult,
} from "./resources/messages";
export type { Models } from "./resources/models";
export { RawResponse, type WithRawResponse } from "./resources/raw";
export type { SessionDatabases, SessionStorage } from "./resources/session-data";
export type { SessionFiles } from "./resources/session-files";
export type { CreateSessionParams, Sessions } from "./resources/sessions";
export type { FileWriteParams, WorkspaceFiles } from "./resources/workspace-files";
export type { Workspaces } from "./resources/workspaces";
export { SSEProtocolError } from "./streaming/sse";
export { EventStream, type StreamOptions } from "./streaming/stream";
