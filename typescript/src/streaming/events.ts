/**
 * One JSON event (wire names) into a typed `Event`: the envelope's names made
 * camelCase, its `data` renamed by the shape of its type. The `data` of a type this
 * version does not know, `metadata`, `tags` and envelope fields the spec does not
 * declare are left exactly as they came.
 *
 * This runs once per streamed event, so the envelope, the context and the data are
 * renamed by straight-line code (plain property stores, keys kept in the order they
 * came) instead of the generic table-driven converter: the envelope here, the context
 * and the data by the renamers generated from the spec (src/generated/renamers.ts).
 */
import { ResponseValidationError } from "../core/errors";
import { wireToTs } from "../core/names";
import type { Event } from "../generated/events";
import { EVENT_CONTEXT_SHAPE, EVENT_DATA_SHAPES } from "../generated/events";
import { EVENT_CONTEXT_RENAMER, EVENT_DATA_RENAMERS } from "../generated/renamers";

type Convert = (value: unknown) => unknown;
type Wire = Record<string, unknown>;

const dataConverters = new Map<string, Convert | null>();
/** The type looked up last, and its converter: events of one type tend to come in runs. */
let lastType = "";
let lastConverter: Convert | null = null;

/** The converter of the `data` of `type`: its generated renamer, else by its shape. */
function dataConverter(type: string): Convert | null {
  if (type === lastType) return lastConverter;
  let found = dataConverters.get(type);
  if (found === undefined) {
    const shape = Object.hasOwn(EVENT_DATA_SHAPES, type) ? EVENT_DATA_SHAPES[type] : undefined;
    found = EVENT_DATA_RENAMERS.get(type) ?? wireToTs(shape ?? 0);
    dataConverters.set(type, found);
  }
  lastType = type;
  lastConverter = found;
  return found;
}

/** The envelope's keys in the order the API sends them (wire names). */
const ENVELOPE: readonly string[] = [
  "id",
  "type",
  "ts",
  "session_id",
  "sequence",
  "context",
  "data",
];

const convertContext: Convert | null = EVENT_CONTEXT_RENAMER ?? wireToTs(EVENT_CONTEXT_SHAPE);

/** Parse one event object as the API sends it. Throws if it is not an event. */
export function eventFromWire(raw: unknown, status = 200): Event {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ResponseValidationError("an event must be a JSON object", { status });
  }
  const wire = raw as Wire;
  const type = wire.type;
  if (typeof type !== "string") {
    throw new ResponseValidationError("an event must have a string `type`", { status });
  }
  // The envelope as the API sends it: exactly these keys, in this order. Built as one
  // object literal; anything else (a missing, extra or moved key) goes key by key.
  let seen = 0;
  for (const key in wire) {
    if (key !== ENVELOPE[seen]) {
      seen = -1;
      break;
    }
    seen++;
  }
  if (seen === ENVELOPE.length) {
    const context = wire.context;
    const data = wire.data;
    const convert = data !== null ? dataConverter(type) : null;
    return {
      id: wire.id,
      type,
      ts: wire.ts,
      sessionId: wire.session_id,
      sequence: wire.sequence,
      context: convertContext !== null && context !== null ? convertContext(context) : context,
      data: data === null ? {} : convert !== null ? convert(data) : data,
    } as unknown as Event;
  }
  const out: Wire = {};
  for (const key in wire) {
    const value = wire[key];
    switch (key) {
      case "id":
        out.id = value;
        break;
      case "type":
        out.type = value;
        break;
      case "ts":
        out.ts = value;
        break;
      case "session_id":
        out.sessionId = value;
        break;
      case "sequence":
        out.sequence = value;
        break;
      case "context":
        out.context = convertContext !== null && value !== null ? convertContext(value) : value;
        break;
      case "data": {
        const convert = dataConverter(type);
        out.data = convert !== null && value !== null ? convert(value) : value;
        break;
      }
      default:
        out[key] = value;
    }
  }
  if (out.data === undefined || out.data === null) out.data = {};
  return out as unknown as Event;
}

/** Parse the JSON text of one event. */
export function parseEventJson(text: string, status = 200): Event {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ResponseValidationError(`an event is not JSON: ${text.slice(0, 100)}`, {
      status,
      cause: error,
    });
  }
  return eventFromWire(raw, status);
}
