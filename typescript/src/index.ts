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
export { Everruns } from "./client";
export type { ClientOptions, Fetch, ResolvedConfig } from "./core/config";
export { DEFAULT_BASE_URL } from "./core/config";
export {
  ApiError,
  APIConnectionError,
  APITimeoutError,
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
export type { QueryParams, RequestOptions } from "./core/transport";
export { VERSION } from "./core/version";
export type * from "./generated/index";
export { EVENT_TYPES } from "./generated/events";
export {
  type AnyTool,
  type JsonSchema,
  Tool,
  ToolArgumentsError,
  tool,
  type ZodLike,
} from "./lib/tools";
export type { TurnResult } from "./lib/tracker";
export { TurnFailedError, type TurnOptions, TurnTimeoutError } from "./lib/turns";
export type { CreateAgentParams, UpdateAgentParams } from "./resources/agents";
export type { ListEventsParams } from "./resources/events";
export {
  type ContentInput,
  type CreateMessageParams,
  imageFilePart,
  textPart,
  toolError,
  toolResult,
} from "./resources/messages";
export type { CreateSessionParams } from "./resources/sessions";
export { SSEProtocolError } from "./streaming/sse";
export { EventStream, type StreamOptions } from "./streaming/stream";
