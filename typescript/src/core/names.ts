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
type Convert = (value: unknown) => unknown;
type Field = readonly [name: string, convert: Convert | null];

/**
 * Each shape is compiled once per direction into a converter function (null: nothing to
 * rename), cached by the shape (a name or the literal itself). Recursive shapes go
 * through a trampoline, so compiling never loops.
 */
const compiled: [Map<Shape, Convert | null>, Map<Shape, Convert | null>] = [new Map(), new Map()];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compile(shape: Shape, direction: Direction): Convert | null {
  if (shape === 0) return null;
  const cache = compiled[direction];
  const known = cache.get(shape);
  if (known !== undefined) return known;
  if (typeof shape === "string") {
    let target: Convert | null = null;
    cache.set(shape, (value) => (target ? target(value) : value)); // while compiling
    target = compile(SHAPES[shape] ?? 0, direction);
    cache.set(shape, target);
    return target;
  }
  const convert = build(shape, direction);
  cache.set(shape, convert);
  return convert;
}

function build(shape: Exclude<Shape, 0 | string>, direction: Direction): Convert | null {
  switch (shape[0]) {
    case "a": {
      const inner = compile(shape[1], direction);
      if (!inner) return null;
      return (value) => (Array.isArray(value) ? value.map((item) => inner(item)) : value);
    }
    case "m": {
      const inner = compile(shape[1], direction);
      if (!inner) return null;
      return (value) => {
        if (!isPlainObject(value)) return value;
        const out: Record<string, unknown> = {};
        for (const key in value) out[key] = inner(value[key]);
        return out;
      };
    }
    case "t": {
      const tagKey = direction === 0 ? shape[1] : shape[2];
      const branches = shape[3];
      return (value) => {
        if (!isPlainObject(value)) return value;
        const tag = value[tagKey];
        const branch = typeof tag === "string" ? branches[tag] : undefined;
        if (branch === undefined) return value; // a branch this version does not know
        const convert = compile(branch, direction);
        return convert ? convert(value) : value;
      };
    }
    case "u":
      return union(shape[1], direction);
    case "o":
      return objectConverter(fieldTable([shape], direction));
  }
}

/** name -> [new name, converter] of object shapes (the branches of a union merged). */
function fieldTable(shapes: readonly Shape[], direction: Direction): Record<string, Field> {
  const table: Record<string, Field> = Object.create(null);
  const add = (s: Shape) => {
    const r = typeof s === "string" ? (SHAPES[s] ?? 0) : s;
    if (r === 0 || typeof r === "string") return;
    if (r[0] === "o") {
      for (const [wire, ts, inner] of r[1]) {
        const from = direction === 0 ? wire : ts;
        if (!(from in table))
          table[from] = [direction === 0 ? ts : wire, compile(inner, direction)];
      }
    } else if (r[0] === "u") {
      for (const branch of r[1]) add(branch);
    }
  };
  for (const s of shapes) add(s);
  return table;
}

/** Only the fields that change something (a new name or a converter) are kept. */
function objectConverter(all: Record<string, Field>): Convert {
  const table: Record<string, Field> = Object.create(null);
  for (const key in all) {
    const field = all[key] as Field;
    if (field[0] !== key || field[1] !== null) table[key] = field;
  }
  return (value) => {
    if (!isPlainObject(value)) return value;
    let touched = false;
    for (const key in value) {
      if (table[key] !== undefined) {
        touched = true;
        break;
      }
    }
    if (!touched) return value; // no key of this object is renamed or converted
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const field = table[key];
      const item = value[key];
      if (field === undefined) out[key] = item;
      else
        out[field[0]] =
          field[1] === null || item === null || typeof item !== "object" ? item : field[1](item);
    }
    return out;
  };
}

const same: Convert = (value) => value;

/** An untagged union: arrays by its array branch, objects by a tagged branch or the merged fields. */
function union(branches: readonly Shape[], direction: Direction): Convert {
  const resolved = branches.map((b) => (typeof b === "string" ? (SHAPES[b] ?? 0) : b));
  const array = resolved.find((s) => Array.isArray(s) && s[0] === "a");
  const tagged = resolved.find((s) => Array.isArray(s) && s[0] === "t");
  let arrays: Convert | undefined;
  let objects: Convert | undefined;
  return (value) => {
    if (Array.isArray(value)) {
      if (!array) return value;
      arrays ??= compile(array, direction) ?? same;
      return arrays(value);
    }
    objects ??= tagged
      ? (compile(tagged, direction) ?? same)
      : objectConverter(fieldTable(branches, direction));
    return objects(value);
  };
}

/** The converter of a shape, wire names to TypeScript names (null: nothing to rename). */
export function wireToTs(shape: Shape): Convert | null {
  return compile(shape, 0);
}

/** A value received from the API (wire names) with TypeScript names, per its shape. */
export function fromWire<T>(value: unknown, shape: Shape): T {
  const convert = compile(shape, 0);
  return (convert ? convert(value) : value) as T;
}

/** A value to send to the API with wire names, per its shape. */
export function toWire(value: unknown, shape: Shape): unknown {
  const convert = compile(shape, 1);
  return convert ? convert(value) : value;
}
