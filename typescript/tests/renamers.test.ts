/**
 * The generated straight-line renamers of event data and context (src/generated/
 * renamers.ts) against the table-driven converter of the same shape (src/core/names.ts),
 * on every event type and the context:
 * the same values, the same keys in the same order, undeclared keys and free-form values
 * untouched, odd values (null, a string where an object is declared) left as they are.
 */
import { describe, expect, it } from "vitest";
import { wireToTs } from "../src/core/names";
import { EVENT_CONTEXT_SHAPE, EVENT_DATA_SHAPES, EVENT_TYPES } from "../src/generated/events";
import { EVENT_CONTEXT_RENAMER, EVENT_DATA_RENAMERS } from "../src/generated/renamers";
import { SHAPES, type Shape } from "../src/generated/shapes";
import { eventFromWire } from "../src/streaming/events";

type Wire = Record<string, unknown>;

function resolve(shape: Shape): Shape {
  return typeof shape === "string" ? (SHAPES[shape] ?? 0) : shape;
}

/** A wire value with every declared field of `shape` (nested ones too), and extras. */
function sample(shape: Shape, depth = 0, variant = 0): unknown {
  const resolved = resolve(shape);
  if (resolved === 0 || typeof resolved === "string" || depth > 4) {
    return variant % 3 === 0 ? { free_form: { snake_case: 1 } } : `value_${depth}`;
  }
  switch (resolved[0]) {
    case "o": {
      const out: Wire = { undeclared_first: { keep_me: true } };
      resolved[1].forEach(([wire, , inner], i) => {
        out[wire] = sample(inner, depth + 1, variant + i);
      });
      out.undeclared_last = ["a_b"];
      return out;
    }
    case "a":
      return [sample(resolved[1], depth + 1, variant), sample(resolved[1], depth + 1, variant + 1)];
    case "m":
      return { some_key: sample(resolved[1], depth + 1, variant) };
    case "t": {
      const [, wireTag, , branches] = resolved;
      const tags = Object.keys(branches);
      const tag = tags[variant % tags.length] as string;
      const body = sample(branches[tag] ?? 0, depth + 1, variant);
      return { ...(typeof body === "object" && body !== null ? body : {}), [wireTag]: tag };
    }
    case "u":
      return sample(resolved[1][variant % resolved[1].length] ?? 0, depth + 1, variant);
  }
}

/** The same object with its keys in reverse order. */
function reversed(value: Wire): Wire {
  return Object.fromEntries(Object.entries(value).reverse());
}

const renamed = [...EVENT_DATA_RENAMERS.keys()];

/** `renamer` gives what the table-driven converter of `shape` gives, on every sample. */
function expectSameAsTable(renamer: (value: unknown) => unknown, shape: Shape): void {
  const table = wireToTs(shape)!;
  for (let variant = 0; variant < 3; variant++) {
    const wire = sample(shape, 0, variant) as Wire;
    for (const value of [wire, reversed(wire)]) {
      const ours = renamer(structuredClone(value)) as Wire;
      const theirs = table(structuredClone(value)) as Wire;
      expect(ours).toStrictEqual(theirs);
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      expect(ours.undeclared_first).toStrictEqual({ keep_me: true });
    }
    // Every declared field null, or a string where an object is declared.
    for (const odd of [null, "text"]) {
      const oddWire = Object.fromEntries(Object.keys(wire).map((key) => [key, odd]));
      expect(renamer(structuredClone(oddWire))).toStrictEqual(table(structuredClone(oddWire)));
    }
  }
  for (const odd of [null, "text", 3, ["a_b"]]) expect(renamer(odd)).toStrictEqual(odd);
}

describe("generated event data renamers", () => {
  it("cover every event type whose data is an object with names to rename", () => {
    const objectTypes = EVENT_TYPES.filter((type) => {
      const shape = EVENT_DATA_SHAPES[type];
      if (shape === undefined) return false;
      const resolved = resolve(shape);
      return Array.isArray(resolved) && resolved[0] === "o";
    });
    expect(renamed.sort()).toEqual([...objectTypes].sort());
    expect(renamed.length).toBeGreaterThan(20);
  });

  it.each(renamed)("%s: the table-driven converter's result, key for key", (type) => {
    expectSameAsTable(EVENT_DATA_RENAMERS.get(type)!, EVENT_DATA_SHAPES[type] ?? 0);
  });

  it("the context renamer: the table-driven converter's result, key for key", () => {
    expect(EVENT_CONTEXT_RENAMER).toBeDefined();
    expectSameAsTable(EVENT_CONTEXT_RENAMER!, EVENT_CONTEXT_SHAPE);
  });

  it("an event's data is renamed the same through the stream's envelope fast path", () => {
    for (const type of renamed) {
      const data = sample(EVENT_DATA_SHAPES[type] ?? 0, 0, 1) as Wire;
      const envelope = {
        id: "event_1",
        type,
        ts: "2026-05-20T14:00:00.185Z",
        session_id: "session_1",
        sequence: 1,
        context: { turn_id: "turn_1" },
        data,
      };
      const expected = wireToTs(EVENT_DATA_SHAPES[type] ?? 0)!(structuredClone(data));
      const event = eventFromWire(structuredClone(envelope)) as unknown as Wire;
      expect(event.data).toStrictEqual(expected);
      expect(Object.keys(event)).toEqual([
        "id",
        "type",
        "ts",
        "sessionId",
        "sequence",
        "context",
        "data",
      ]);
      expect(event.context).toStrictEqual({ turnId: "turn_1" });
    }
  });

  it("event types named like Object.prototype members are not looked up there", () => {
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const event = eventFromWire({ id: "e", type, data: { snake_key: 1 } }) as unknown as Wire;
      expect(event.data).toStrictEqual({ snake_key: 1 });
    }
  });
});
