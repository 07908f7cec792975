/**
 * One JSON event (wire names) into a typed `Event`: the envelope's names made
 * camelCase, its `data` renamed by the shape of its type. The `data` of a type this
 * version does not know, `metadata`, `tags` and envelope fields the spec does not
 * declare are left exactly as they came.
 */
import { ResponseValidationError } from "../core/errors";
import { wireToTs } from "../core/names";
import type { Event } from "../generated/events";
import { EVENT_CONTEXT_SHAPE, EVENT_DATA_SHAPES } from "../generated/events";

const convertContext = wireToTs(EVENT_CONTEXT_SHAPE);
const dataConverters = new Map<string, ((value: unknown) => unknown) | null>();

function dataConverter(type: string): ((value: unknown) => unknown) | null {
  let found = dataConverters.get(type);
  if (found === undefined) {
    found = wireToTs(EVENT_DATA_SHAPES[type] ?? 0);
    dataConverters.set(type, found);
  }
  return found;
}

/** Parse one event object as the API sends it. Throws if it is not an event. */
export function eventFromWire(raw: unknown, status = 200): Event {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ResponseValidationError("an event must be a JSON object", { status });
  }
  const wire = raw as Record<string, unknown>;
  const type = wire.type;
  if (typeof type !== "string") {
    throw new ResponseValidationError("an event must have a string `type`", { status });
  }
  const out: Record<string, unknown> = {};
  const convertData = dataConverter(type);
  for (const key in wire) {
    const value = wire[key];
    if (key === "session_id") out.sessionId = value;
    else if (key === "data") out.data = convertData && value !== null ? convertData(value) : value;
    else if (key === "context")
      out.context = convertContext && value !== null ? convertContext(value) : value;
    else out[key] = value;
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
