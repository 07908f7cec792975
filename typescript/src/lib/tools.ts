/**
 * Client-side tools: functions the agent can call, run by the SDK while it follows a
 * turn (`client.sessions.run(id, text, { tools })`), the same semantics as Python's
 * `@tool`.
 *
 * ```ts
 * const weather = tool({
 *   name: "get_weather",
 *   description: "Current weather in a city.",
 *   parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 *   run: ({ city }) => ({ city, temperature: 21 }),
 * });
 * ```
 *
 * Or with a zod schema (zod is an optional peer dependency; zod 4 schemas give their
 * JSON schema themselves, with zod 3 pass `parameters` too): `tool({ name, description,
 * schema: z.object({ city: z.string() }), run })`, the arguments typed from the schema.
 */
import { EverrunsError } from "../core/errors";
import type { ClientSideTool } from "../generated/index";

/** Milliseconds a tool call may run before it is answered with a timeout error. */
export const DEFAULT_TOOL_TIMEOUT = 60_000;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The arguments of a tool call do not match the tool's parameters. */
export class ToolArgumentsError extends EverrunsError {
  static override readonly brand: string = "ToolArgumentsError";
}

/** What a zod schema (3 or 4) offers; zod itself is never imported. */
export interface ZodLike<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { message: string } };
  toJSONSchema?: () => unknown;
}

/** A JSON schema of an object (`{ type: "object", properties, required }`). */
export type JsonSchema = Record<string, unknown>;

interface ToolSpecBase<R> {
  name: string;
  description?: string;
  /** Milliseconds (default 60,000; `null`: no limit). */
  timeout?: number | null;
  run: (args: never) => R | Promise<R>;
}

/** A tool declared with a JSON schema: `run` gets the arguments as sent. */
export interface JsonSchemaToolSpec<A, R> extends Omit<ToolSpecBase<R>, "run"> {
  parameters: JsonSchema;
  run: (args: A) => R | Promise<R>;
}

/** A tool declared with a zod schema: arguments validated and typed by it. */
export interface ZodToolSpec<A, R> extends Omit<ToolSpecBase<R>, "run"> {
  schema: ZodLike<A>;
  parameters?: JsonSchema;
  run: (args: A) => R | Promise<R>;
}

/** A function declared to the agent as a client-side tool. */
export class Tool<A = Record<string, unknown>, R = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly timeout: number | null;
  readonly #run: (args: A) => R | Promise<R>;
  readonly #schema: ZodLike<A> | undefined;

  constructor(spec: JsonSchemaToolSpec<A, R> | ZodToolSpec<A, R>) {
    if (typeof spec.name !== "string" || !NAME.test(spec.name)) {
      throw new TypeError(
        `tool name ${JSON.stringify(spec.name)} must be 1-64 letters, digits, '_' or '-'`,
      );
    }
    if (typeof spec.run !== "function") throw new TypeError("a tool needs a run function");
    const timeout = spec.timeout === undefined ? DEFAULT_TOOL_TIMEOUT : spec.timeout;
    if (timeout !== null && !(timeout > 0)) throw new RangeError("timeout must be > 0 or null");
    this.name = spec.name;
    this.description = spec.description ?? spec.name;
    this.timeout = timeout;
    this.#run = spec.run;
    this.#schema = "schema" in spec ? spec.schema : undefined;
    const parameters =
      spec.parameters ?? (this.#schema?.toJSONSchema?.() as JsonSchema | undefined);
    if (!parameters || typeof parameters !== "object") {
      throw new TypeError(`tool ${spec.name}: give parameters (a JSON schema) or a zod 4 schema`);
    }
    const { $schema: _ignored, ...rest } = parameters as JsonSchema;
    this.parameters = rest;
  }

  /** What the API expects in `tools: [...]` of a session or agent. */
  definition(): ClientSideTool {
    return {
      type: "client_side",
      name: this.name,
      description: this.description,
      parameters: this.parameters,
    };
  }

  /** Validate the arguments of a tool call; throws `ToolArgumentsError`. */
  parse(args: unknown): A {
    const value = args ?? {};
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new ToolArgumentsError("arguments must be a JSON object");
    }
    if (this.#schema) {
      const parsed = this.#schema.safeParse(value);
      if (!parsed.success) throw new ToolArgumentsError(parsed.error.message);
      return parsed.data;
    }
    checkSchema(this.parameters, value as Record<string, unknown>);
    return value as A;
  }

  /** Call the function with validated arguments. */
  async call(args: A): Promise<R> {
    return this.#run(args);
  }
}

/** Declare a client-side tool (JSON schema or zod schema). */
export function tool<A = Record<string, unknown>, R = unknown>(
  spec: ZodToolSpec<A, R> | JsonSchemaToolSpec<A, R>,
): Tool<A, R> {
  return new Tool<A, R>(spec);
}

// biome-ignore lint/suspicious/noExplicitAny: a tool of any argument and result types.
export type AnyTool = Tool<any, unknown>;

/** Tools by name; two tools of one name are an error. */
export function toolsByName(tools: readonly AnyTool[]): Map<string, AnyTool> {
  const out = new Map<string, AnyTool>();
  for (const t of tools) {
    if (!(t instanceof Tool)) throw new TypeError("tools must be made with tool({...})");
    if (out.has(t.name)) throw new TypeError(`two tools are named ${t.name}`);
    out.set(t.name, t);
  }
  return out;
}

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: Array.isArray,
  null: (v) => v === null,
};

/** The checks that catch a model's usual mistakes: required fields, types, enums. */
function checkSchema(schema: JsonSchema, args: Record<string, unknown>): void {
  const errors: string[] = [];
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (!(name in args)) errors.push(`${name}: missing`);
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, value] of Object.entries(args)) {
    const prop = properties[name];
    if (!prop) {
      if (schema.additionalProperties === false) errors.push(`${name}: not a parameter`);
      continue;
    }
    const types = prop.type === undefined ? [] : Array.isArray(prop.type) ? prop.type : [prop.type];
    if (types.length && !types.some((t) => JSON_TYPES[t as string]?.(value) ?? true)) {
      errors.push(`${name}: expected ${types.join(" or ")}`);
    }
    if (Array.isArray(prop.enum) && !prop.enum.some((v) => v === value)) {
      errors.push(`${name}: must be one of ${prop.enum.map((v) => JSON.stringify(v)).join(", ")}`);
    }
  }
  if (errors.length) throw new ToolArgumentsError(errors.slice(0, 5).join("; "));
}
