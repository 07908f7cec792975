/**
 * camelCase in TypeScript, the wire's names on the wire, mapped at the boundary by the
 * generated, schema-aware shapes (src/generated/shapes.ts), in both directions.
 *
 * Only fields the spec declares are renamed. Everything else is left exactly as it is:
 * free-form values (metadata, tags, tool arguments and results, JSON schemas, open
 * objects: they have no shape), fields the spec does not declare, and branches of a
 * union this version does not know. So a response can be changed and sent back without
 * losing or mangling what this SDK does not understand.
 */
import { SHAPES, type Shape } from "../generated/shapes";

type Direction = 0 | 1; // 0: wire -> ts, 1: ts -> wire
type FieldTable = Map<string, readonly [string, Shape]>;

const tables: [Map<Shape, FieldTable>, Map<Shape, FieldTable>] = [new Map(), new Map()];

function resolve(shape: Shape): Shape {
  let current = shape;
  for (let depth = 0; typeof current === "string" && depth < 8; depth++) {
    current = SHAPES[current] ?? 0;
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** name -> [new name, shape] for an object shape (or the object branches of a union). */
function table(shape: Shape, direction: Direction): FieldTable {
  const cache = tables[direction];
  let found = cache.get(shape);
  if (found) return found;
  found = new Map();
  const add = (s: Shape) => {
    const r = resolve(s);
    if (r === 0 || typeof r === "string") return;
    if (r[0] === "o") {
      for (const [wire, ts, inner] of r[1]) {
        const from = direction === 0 ? wire : ts;
        if (!found?.has(from)) found?.set(from, [direction === 0 ? ts : wire, inner]);
      }
    } else if (r[0] === "u") {
      for (const branch of r[1]) add(branch);
    }
  };
  add(shape);
  cache.set(shape, found);
  return found;
}

function convert(value: unknown, shape: Shape, direction: Direction): unknown {
  if (shape === 0 || value === null || typeof value !== "object") return value;
  const resolved = resolve(shape);
  if (resolved === 0 || typeof resolved === "string") return value;
  switch (resolved[0]) {
    case "a":
      return Array.isArray(value)
        ? value.map((item) => convert(item, resolved[1], direction))
        : value;
    case "m": {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = convert(value[key], resolved[1], direction);
      return out;
    }
    case "t": {
      if (!isPlainObject(value)) return value;
      const tag = value[direction === 0 ? resolved[1] : resolved[2]];
      const branch = typeof tag === "string" ? resolved[3][tag] : undefined;
      if (branch === undefined) return value; // a branch this version does not know
      return convert(value, branch, direction);
    }
    case "u": {
      if (Array.isArray(value)) {
        const arrays = resolved[1].map(resolve).filter((s) => Array.isArray(s) && s[0] === "a");
        return arrays[0] ? convert(value, arrays[0], direction) : value;
      }
      for (const branch of resolved[1]) {
        const r = resolve(branch);
        if (Array.isArray(r) && r[0] === "t") return convert(value, r, direction);
      }
      return renameFields(value, table(resolved, direction), direction);
    }
    case "o":
      return renameFields(value, table(resolved, direction), direction);
  }
  return value;
}

function renameFields(value: unknown, fields: FieldTable, direction: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = fields.get(key);
    if (field === undefined) out[key] = value[key];
    else out[field[0]] = convert(value[key], field[1], direction);
  }
  return out;
}

/** A value received from the API (wire names) with TypeScript names, per its shape. */
export function fromWire<T>(value: unknown, shape: Shape): T {
  return convert(value, shape, 0) as T;
}

/** A value to send to the API with wire names, per its shape. */
export function toWire(value: unknown, shape: Shape): unknown {
  return convert(value, shape, 1);
}
