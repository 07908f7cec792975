/**
 * Incremental Server-Sent Events decoder: bytes in, raw events out, following the
 * event-stream rules of the WHATWG HTML standard ("Interpreting an event stream"):
 *
 * - UTF-8, invalid sequences become U+FFFD, one leading byte order mark is dropped
 *   (all three by `TextDecoder` in streaming mode);
 * - a line ends at CRLF, LF or a lone CR, also when the CR and LF of one CRLF arrive in
 *   different chunks;
 * - `:` starts a comment (counted in `comments`: heartbeats show the connection lives);
 * - `name: value` sets a field (one space after the colon dropped), a line without a
 *   colon is a field with an empty value, unknown fields are ignored;
 * - `data` lines are joined with `\n`; `event` sets the type; `id` sets the last event
 *   ID unless it contains U+0000, and persists; `retry` counts only when all digits;
 * - a blank line dispatches the event, unless no `data` arrived;
 * - an event not ended by a blank line when the stream ends is never delivered.
 *
 * Memory is bounded: a line, or the data of one event, longer than `maxEventSize`
 * (16 MiB by default, counted in UTF-16 code units) throws `SSEProtocolError`.
 *
 * Events are taken one at a time (`push` a chunk, then `next()` until it gives
 * undefined): a stream's undelivered events stay as the chunk's bytes, decoded 16 KiB at
 * a time as they are taken, never as a list of decoded events; the text of a piece is let
 * go as soon as its last event has been taken (an incomplete last line is copied out of
 * it). So the text alive at any time is small: with many streams, the garbage collector
 * has little to copy, and bytes waiting to be taken sit outside the JavaScript heap.
 */
import { EverrunsError } from "../core/errors";

export const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024;
const MAX_RETRY_DIGITS = 15;
/** Bytes decoded at a time: the text of a piece is at most 32 KiB (UTF-16). */
const PIECE = 16 * 1024;

/** The event stream broke a limit of the decoder (a line or an event too large). */
export class SSEProtocolError extends EverrunsError {
  static override readonly brand: string = "SSEProtocolError";
}

/** One dispatched event, before any JSON parsing. `event` is "" for the default type. */
export interface RawEvent {
  event: string;
  data: string;
  /** The last event ID at dispatch time ("" until the server sets one). */
  id: string;
}

export class SSEDecoder {
  /** The last valid `retry` value received (milliseconds). */
  retry: number | undefined;
  /** Comment lines received (`: heartbeat`). */
  comments = 0;
  /** The `event` field of the event `take()` returned last ("" for the default type). */
  event = "";
  /** The last event ID when `take()` returned its event ("" until the server sets one). */
  id = "";
  readonly #utf8 = new TextDecoder("utf-8");
  readonly #max: number;
  #skipLf = false;
  /** The incomplete last line, in parts (only while no text is being taken). */
  #tail: string[] = [];
  #tailSize = 0;
  /**
   * Text being taken: complete lines from `#pos` to `#end`. When the chunk completed a
   * line kept in `#tail`, that line alone is joined (never the whole chunk): it is taken
   * first, then the chunk's own lines (`#next`, from `#nextPos` to `#nextEnd`, the
   * incomplete rest after it).
   */
  #text = "";
  #pos = 0;
  #end = 0;
  #next: string | undefined;
  #nextPos = 0;
  #nextEnd = 0;
  /** The bytes pushed not decoded yet (from `#bytesAt`). */
  #bytes: Uint8Array | undefined;
  #bytesAt = 0;
  #data: string[] | undefined;
  #dataSize = 0;
  #event = "";
  #lastId = "";

  constructor(maxEventSize: number = DEFAULT_MAX_EVENT_SIZE) {
    this.#max = maxEventSize;
  }

  /** Size of a line or event received but not yet complete (0 between events). */
  get pending(): number {
    return this.#tailSize + this.#dataSize;
  }

  /** Decode one chunk; return the events it completes. */
  feed(bytes: Uint8Array): RawEvent[] {
    this.push(bytes);
    return this.#drain();
  }

  feedText(input: string): RawEvent[] {
    this.pushText(input);
    return this.#drain();
  }

  #drain(): RawEvent[] {
    const events: RawEvent[] = [];
    for (let event = this.next(); event !== undefined; event = this.next()) events.push(event);
    return events;
  }

  /**
   * Add one chunk of bytes; take its events with `next()` (all of them, first). The bytes
   * are decoded a piece at a time, as the events of the last piece are taken: what waits
   * stays bytes (outside the JavaScript heap), and the text being taken stays small.
   */
  push(bytes: Uint8Array): void {
    if (this.#bytes !== undefined) {
      throw new Error("SSEDecoder: push() before next() took every event of the last chunk");
    }
    this.#bytes = bytes;
    this.#bytesAt = 0;
    this.#decodePiece();
  }

  /** Decode the next piece of the bytes pushed (false when there are none left). */
  #decodePiece(): boolean {
    const bytes = this.#bytes;
    if (bytes === undefined) return false;
    const from = this.#bytesAt;
    const to = Math.min(bytes.length, from + PIECE);
    if (to >= bytes.length) this.#bytes = undefined;
    else this.#bytesAt = to;
    this.pushText(
      this.#utf8.decode(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to), {
        stream: true,
      }),
    );
    return true;
  }

  pushText(input: string): void {
    if (this.#pos < this.#end || this.#next !== undefined) {
      throw new Error("SSEDecoder: push() before next() took every event of the last chunk");
    }
    let chunk = input;
    if (this.#skipLf && chunk) {
      this.#skipLf = false;
      if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    }
    if (chunk.includes("\r")) {
      if (chunk.charCodeAt(chunk.length - 1) === 13) this.#skipLf = true;
      chunk = chunk.replace(/\r\n?/g, "\n");
    }
    const cut = chunk.lastIndexOf("\n");
    if (cut < 0) {
      if (chunk) {
        this.#tail.push(chunk);
        this.#tailSize += chunk.length;
        if (this.#tailSize > this.#max) this.#tooLarge("line");
      }
      return;
    }
    const rest = chunk.length - cut - 1;
    if (rest > this.#max) this.#tooLarge("line");
    if (this.#tail.length) {
      // The line the tail began ends at the chunk's first newline: only it is joined.
      const first = chunk.indexOf("\n") + 1;
      this.#tail.push(chunk.slice(0, first));
      const line = this.#tail.join("");
      this.#tail = [];
      this.#text = line;
      this.#pos = 0;
      this.#end = line.length;
      this.#next = chunk; // its lines after the first (maybe none), then its rest
      this.#nextPos = first;
      this.#nextEnd = cut + 1;
    } else {
      this.#text = chunk;
      this.#pos = 0;
      this.#end = cut + 1;
    }
    this.#tailSize = rest;
  }

  #tooLarge(what: string): never {
    throw new SSEProtocolError(`event stream ${what} longer than ${this.#max} characters`);
  }

  /** The next complete event of the text pushed, or undefined when there is none yet. */
  next(): RawEvent | undefined {
    const data = this.take();
    return data === undefined ? undefined : { event: this.event, data, id: this.id };
  }

  /**
   * The data of the next complete event (its `event` and `id` then in the properties of
   * those names), or undefined when there is none yet: `next()` without an object.
   */
  take(): string | undefined {
    for (;;) {
      if (this.#pos < this.#end) {
        const data = this.#lines();
        if (data !== undefined) return data;
      }
      const text = this.#next;
      if (text === undefined) {
        if (this.#decodePiece()) continue;
        return undefined;
      }
      this.#next = undefined;
      this.#text = text;
      this.#pos = this.#nextPos;
      this.#end = this.#nextEnd;
      if (this.#pos >= this.#end) this.#keepTail(text, this.#end);
    }
  }

  /** The next event of the lines of `#text` from `#pos` to `#end`, if they complete one. */
  #lines(): string | undefined {
    const text = this.#text;
    const end = this.#end;
    let pos = this.#pos;
    let data = this.#data;
    let dataSize = this.#dataSize;
    let event = this.#event;
    let lastId = this.#lastId;
    let found: string | undefined;
    while (pos < end) {
      if (data === undefined && event === "") {
        // The usual shape, taken whole: optional `event: T`, optional `id: ID`, one
        // `data: ...` line, a blank line. Anything else goes line by line below.
        let at = pos;
        let type = "";
        let id = lastId;
        let nl = 0;
        if (text.startsWith("event: ", at)) {
          nl = text.indexOf("\n", at); // found: the lines up to `end` are complete
          type = text.slice(at + 7, nl);
          at = nl + 1;
        }
        if (at < end && text.startsWith("id: ", at)) {
          nl = text.indexOf("\n", at);
          const value = text.slice(at + 4, nl);
          if (value.includes("\0"))
            at = end; // not the usual shape
          else {
            id = value;
            at = nl + 1;
          }
        }
        if (at < end && text.startsWith("data: ", at)) {
          nl = text.indexOf("\n", at);
          if (nl + 1 < end && text.charCodeAt(nl + 1) === 10) {
            if (nl - at - 6 > this.#max) this.#tooLarge("event");
            found = text.slice(at + 6, nl);
            this.event = type;
            this.id = lastId = id;
            pos = nl + 2;
            break;
          }
        }
      }
      const nl = text.indexOf("\n", pos);
      if (nl === pos) {
        // A blank line: dispatch.
        pos = nl + 1;
        if (data !== undefined) {
          found = data.length === 1 ? (data[0] as string) : data.join("\n");
          this.event = event;
          this.id = lastId;
          data = undefined;
          dataSize = 0;
          event = "";
          break;
        }
        event = "";
        continue;
      }
      const colon = text.indexOf(":", pos);
      let name: string;
      let value: string;
      if (colon === -1 || colon > nl) {
        name = text.slice(pos, nl);
        value = "";
      } else {
        name = text.slice(pos, colon);
        const start = text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
        value = start <= nl ? text.slice(start, nl) : "";
      }
      pos = nl + 1;
      switch (name) {
        case "data":
          if (data === undefined) data = [value];
          else data.push(value);
          dataSize += value.length + 1;
          if (dataSize > this.#max) this.#tooLarge("event");
          break;
        case "event":
          event = value;
          break;
        case "id":
          if (!value.includes("\0")) lastId = value;
          break;
        case "":
          this.comments++;
          break;
        case "retry":
          if (/^[0-9]+$/.test(value) && value.length <= MAX_RETRY_DIGITS)
            this.retry = Number(value);
          break;
      }
    }
    this.#data = data;
    this.#dataSize = dataSize;
    this.#event = event;
    this.#lastId = lastId;
    this.#pos = pos;
    if (pos >= end && this.#next === undefined) this.#keepTail(text, end);
    return found;
  }

  /** Used up: keep only the incomplete last line (after `end`), as a copy; let `text` go. */
  #keepTail(text: string, end: number): void {
    this.#tail = text.length > end ? [copyOf(text.slice(end))] : [];
    // The values kept from the text are slices of it: copied, so that it is let go.
    this.id = copyOf(this.id);
    this.event = copyOf(this.event);
    this.#lastId = copyOf(this.#lastId);
    this.#event = copyOf(this.#event);
    this.#text = "";
    this.#pos = 0;
    this.#end = 0;
  }
}

/** A string that does not share the memory of the string it was sliced from. */
function copyOf(text: string): string {
  // Concatenation then a slice makes V8 flatten into a new string: the parent is freed.
  return text.length < 16 ? text : ` ${text}`.slice(1);
}
