/** `client.messages`: the messages of a session, and client-side tool results. */
import { ValidationError } from "../core/errors";
import type {
  ClientToolResult,
  Controls,
  CreateMessageRequest,
  InputContentPart,
  Message,
  SubmitToolResultsResponse,
} from "../generated/index";
import { type RequestOptions, Resource } from "./base";

/** A message's content: text, or a list of parts (strings become text parts). */
export type ContentInput = string | readonly (string | InputContentPart)[];

/** `messages.create`: `text` or `content`, plus the optional fields of the request. */
export interface CreateMessageParams {
  /** The message as one text part. */
  text?: string;
  /** The message as parts: strings, `{ type: "image_file", imageId }`, ... */
  content?: ContentInput;
  controls?: Controls;
  metadata?: Record<string, unknown>;
  tags?: string[];
  /** The whole API request instead (then neither `text` nor `content`). */
  request?: CreateMessageRequest;
}

/** A text content part. */
export function textPart(text: string): InputContentPart {
  return { type: "text", text };
}

/** A content part that refers to an image uploaded with `client.images.upload`. */
export function imageFilePart(imageId: string): InputContentPart {
  return { type: "image_file", imageId };
}

/** The successful result of a client-side tool call (any JSON value). */
export function toolResult(toolCallId: string, result: unknown): ClientToolResult {
  return { toolCallId, result };
}

/** A failed client-side tool call; the agent sees `error` as the reason. */
export function toolError(toolCallId: string, error: string | Error): ClientToolResult {
  const text = typeof error === "string" ? error : `${error.name}: ${error.message}`;
  return { toolCallId, error: text };
}

/** The parts of a message. */
export function contentParts(content: ContentInput): InputContentPart[] {
  if (typeof content === "string") return [textPart(content)];
  const parts = content.map((part) => (typeof part === "string" ? textPart(part) : part));
  if (!parts.length) throw new ValidationError("a message needs at least one content part");
  return parts;
}

/** Send user messages (each starts a turn), list them, answer tool calls. */
export class Messages extends Resource {
  /**
   * Send a user message and start a turn: `{ text: "Hello!" }` or `{ content: [...] }`.
   * The message is never sent twice by a retry.
   */
  async create(
    sessionId: string,
    params: CreateMessageParams,
    options?: RequestOptions,
  ): Promise<Message> {
    const given = [params.text, params.content, params.request].filter(
      (v) => v !== undefined,
    ).length;
    if (given !== 1)
      throw new ValidationError("a message needs exactly one of text, content or request");
    let body: CreateMessageRequest;
    if (params.request !== undefined) {
      body = params.request;
    } else {
      body = {
        message: {
          role: "user",
          content: contentParts((params.text ?? params.content) as ContentInput),
        },
      };
      if (params.controls !== undefined) body.controls = params.controls;
      if (params.metadata !== undefined) body.metadata = params.metadata;
      if (params.tags !== undefined) body.tags = params.tags;
    }
    return this.fetchModel(
      "Message",
      {
        method: "POST",
        path: "/v1/sessions/{session_id}/messages",
        params: { session_id: sessionId },
        body,
        bodyShape: "CreateMessageRequest",
      },
      options,
    );
  }

  /** All messages of a session, oldest first. */
  async list(sessionId: string, options?: RequestOptions): Promise<Message[]> {
    return this.fetchList<Message>(
      "Message",
      {
        method: "GET",
        path: "/v1/sessions/{session_id}/messages",
        params: { session_id: sessionId },
      },
      options,
    );
  }

  /**
   * Answer the client-side tool calls of a `tool.call_requested` event; the turn resumes.
   * A session that is not waiting for tool results answers 409 (`ConflictError`).
   */
  async submitToolResults(
    sessionId: string,
    results: readonly ClientToolResult[],
    options?: RequestOptions,
  ): Promise<SubmitToolResultsResponse> {
    if (!results.length) throw new ValidationError("results must not be empty");
    return this.fetchModel(
      "SubmitToolResultsResponse",
      {
        method: "POST",
        path: "/v1/sessions/{session_id}/tool-results",
        params: { session_id: sessionId },
        body: { toolResults: results },
        bodyShape: ["o", [["tool_results", "toolResults", ["a", "ClientToolResult"]]]],
      },
      options,
    );
  }
}
