/**
 * One JSON event (wire names) into a typed `Event`: the envelope's names made
 * camelCase, its `data` renamed by the shape of its type. The `data` of a type this
 * version does not know, `metadata`, `tags` and envelope fields the spec does not
 * declare are left exactly as they came.
 */
import { ResponseValidationError } from "../core/errors";
import { fromWire } from "../core/names";
import type { Event } from "../generated/events";
import { EVENT_CONTEXT_SHAPE, EVENT_DATA_SHAPES } from "../generated/events";

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
  for (const key of Object.keys(wire)) {
    const value = wire[key];
    switch (key) {
      case "session_id":
        out.sessionId = value;
        break;
      case "context":
        out.context = fromWire(value, EVENT_CONTEXT_SHAPE);
        break;
      case "data":
        out.data = fromWire(value, EVENT_DATA_SHAPES[type] ?? 0);
        break;
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
