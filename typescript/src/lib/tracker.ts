/**
 * Which events of a session's stream belong to one turn. A turn is identified by the
 * user message that started it (the `input.message` carrying it, `turn.started` naming
 * it, or any event whose context names it); from then on the events whose `turnId`
 * (context, else data) is the turn's, and events carrying no turn ID while it runs.
 * The turn ends with `turn.completed`, `turn.failed` or `turn.cancelled`.
 */
import type { Event } from "../generated/events";
import type { Message, TokenUsage } from "../generated/index";

export const END_STATUSES: Readonly<Record<string, string>> = {
  "turn.completed": "completed",
  "turn.failed": "failed",
  "turn.cancelled": "cancelled",
};

/** `event.data[name]`, for any event. */
export function dataField(event: Event, name: string): unknown {
  const data = event.data as Record<string, unknown> | undefined;
  return data && typeof data === "object" ? data[name] : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** The outcome of one turn (`client.sessions.run`). */
export interface TurnResult {
  /** `completed`, `failed` or `cancelled` (or a newer status). */
  status: string;
  turnId: string | undefined;
  /** The agent's final message, if the turn produced one. */
  message: Message | undefined;
  /** The text of the final message (its text parts joined); "" without one. */
  text: string;
  /** Every event of this turn, in order, `input.message` to the one that ended it. */
  events: Event[];
  inputMessage: Message | undefined;
  error: string | undefined;
  errorCode: string | undefined;
  usage: TokenUsage | undefined;
  /** True when the turn completed. */
  ok: boolean;
}

export class TurnTracker {
  turnId: string | undefined;
  readonly events: Event[] = [];
  end: Event | undefined;
  #began = false;

  constructor(readonly inputMessageId: string) {}

  get ended(): boolean {
    return this.end !== undefined;
  }

  /** Record `event`; true if it belongs to this turn (which has not ended yet). */
  accept(event: Event): boolean {
    if (this.end) return false;
    const turnId = str(event.context?.turnId) ?? str(dataField(event, "turnId"));
    if (this.#startsTurn(event)) {
      this.#began = true;
      this.turnId ??= turnId;
    } else if (!this.#began) {
      return false;
    } else if (turnId !== undefined) {
      if (this.turnId === undefined && event.type === "turn.started") this.turnId = turnId;
      if (turnId !== this.turnId) return false;
    }
    this.events.push(event);
    if (event.type in END_STATUSES) this.end = event;
    return true;
  }

  #startsTurn(event: Event): boolean {
    const wanted = this.inputMessageId;
    if (event.context?.inputMessageId === wanted) return true;
    if (str(dataField(event, "inputMessageId")) === wanted) return true;
    if (event.type === "input.message") {
      const message = dataField(event, "message") as { id?: unknown } | undefined;
      return message?.id === wanted;
    }
    return false;
  }

  result(inputMessage: Message | undefined): TurnResult {
    const end = this.end;
    if (!end) throw new Error("the turn has not ended");
    const status = END_STATUSES[end.type] ?? str(dataField(end, "status")) ?? end.type;
    const failed = status === "failed";
    const message = this.#finalMessage(end);
    return {
      status,
      turnId: this.turnId,
      message,
      text: textOf(message),
      events: [...this.events],
      inputMessage,
      error: failed ? (str(dataField(end, "error")) ?? "the turn failed") : undefined,
      errorCode: failed ? str(dataField(end, "errorCode")) : undefined,
      usage: this.#usage(end),
      ok: status === "completed",
    };
  }

  #finalMessage(end: Event): Message | undefined {
    const finalId = str(dataField(end, "finalMessageId"));
    let found: Message | undefined;
    for (const event of this.events) {
      if (event.type !== "output.message.completed") continue;
      const message = event.data.message;
      if (!message) continue;
      if (finalId !== undefined && message.id === finalId) return message;
      found = message;
    }
    return found;
  }

  #usage(end: Event): TokenUsage | undefined {
    const usage = dataField(end, "usage") as TokenUsage | undefined;
    if (usage && typeof usage === "object") return usage;
    const parts = this.events
      .map((e) =>
        e.type === "output.message.completed"
          ? (dataField(e, "usage") as TokenUsage | undefined)
          : undefined,
      )
      .filter((u): u is TokenUsage => !!u && typeof u === "object");
    if (!parts.length) return undefined;
    return {
      inputTokens: parts.reduce((n, p) => n + (p.inputTokens ?? 0), 0),
      outputTokens: parts.reduce((n, p) => n + (p.outputTokens ?? 0), 0),
    } as TokenUsage;
  }
}

/** The text parts of a message, joined. */
export function textOf(message: Message | undefined): string {
  if (!message) return "";
  return message.content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("");
}
