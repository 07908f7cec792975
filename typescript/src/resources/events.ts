/** `client.events`: a session's events, live (`stream`) or polled (`list`, `iterate`). */
import { ResponseValidationError } from "../core/errors";
import { buildPath } from "../core/paths";
import type { Event } from "../generated/events";
import { eventFromWire } from "../streaming/events";
import { EventStream, type StreamOptions } from "../streaming/stream";
import { type RequestOptions, Resource } from "./base";
import { notRaw } from "./raw";

/** Filters of `events.list`; arrays are sent as repeated keys. */
export interface ListEventsParams {
  sinceId?: string;
  types?: readonly string[];
  exclude?: readonly string[];
  limit?: number;
  beforeSequence?: number;
  afterSequence?: number;
  around?: string;
  window?: number;
  fromTs?: string;
  toTs?: string;
  turnId?: string;
  execId?: string;
  traceId?: string;
  tags?: readonly string[];
  toolName?: string;
  q?: string;
  orderDesc?: boolean;
}

const MAX_PAGE_SIZE = 1000;
/** A live stream and an iteration over pages: not in `withRawResponse`. */
const NOT_RAW = ["stream", "iterate"] as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Follow a session's events live, or read them page by page. */
export class Events extends Resource {
  /** The methods `withRawResponse` leaves out: they answer many responses, not one. */
  get [notRaw](): typeof NOT_RAW {
    return NOT_RAW;
  }

  /**
   * Live events of a session, reconnecting by itself and never losing one. Without
   * `sinceId` the stream starts at the session's first event. `for await` it; leaving
   * the loop closes the connection; `abort()` stops it from anywhere.
   */
  stream(sessionId: string, options: StreamOptions = {}): EventStream {
    const path = buildPath("/v1/sessions/{session_id}/sse", { session_id: sessionId });
    return new EventStream(this.core.transport, path, options);
  }

  /**
   * Events of a session matching every given filter. Without `limit`, all of them; with
   * `limit`, the last N (oldest first).
   */
  async list(
    sessionId: string,
    params: ListEventsParams = {},
    options?: RequestOptions,
  ): Promise<Event[]> {
    const query: Record<string, string | number | boolean | readonly string[] | undefined> = {};
    for (const [key, value] of Object.entries(params)) query[snake(key)] = value;
    const response = await this.send(
      {
        method: "GET",
        path: "/v1/sessions/{session_id}/events",
        params: { session_id: sessionId },
        query,
      },
      options,
    );
    const body = response.json();
    const items = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(items)) {
      throw new ResponseValidationError('expected {"data": [...]} from the events list', {
        status: response.status,
      });
    }
    return items.map((item) => eventFromWire(item, response.status));
  }

  /** Every event of a session, oldest first, fetched `pageSize` at a time. */
  async *iterate(
    sessionId: string,
    params: {
      types?: readonly string[];
      exclude?: readonly string[];
      afterSequence?: number;
      pageSize?: number;
    } = {},
    options?: RequestOptions,
  ): AsyncGenerator<Event, void, undefined> {
    const pageSize = Math.max(1, Math.min(params.pageSize ?? 200, MAX_PAGE_SIZE));
    let cursor = params.afterSequence ?? 0;
    for (;;) {
      const page = await this.list(
        sessionId,
        {
          types: params.types,
          exclude: params.exclude,
          afterSequence: cursor,
          limit: pageSize,
        } as ListEventsParams,
        options,
      );
      yield* page;
      const sequences = page
        .map((e) => e.sequence)
        .filter((s): s is number => typeof s === "number");
      const highest = sequences.length ? Math.max(...sequences) : cursor;
      if (page.length < pageSize || highest <= cursor) return;
      cursor = highest;
    }
  }
}
