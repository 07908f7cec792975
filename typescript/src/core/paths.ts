/**
 * Path templates to URL paths, every parameter percent-encoded inside its own segment:
 * `../x`, `a/b`, `x?y`, `x#y`, `x%2Fy` can never change the route.
 */
import { ValidationError } from "./errors";

/** Parameters that are file paths: several segments, each encoded on its own. */
const FILE_PATH_PARAMS = new Set(["path"]);
const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** `encodeURIComponent`, plus the characters it leaves that are reserved somewhere. */
function quote(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Encode one path parameter. The values `.` and `..` are refused: a WHATWG URL (what
 * `fetch` parses) treats `%2E` as a dot too, so no spelling of them stays a segment.
 */
export function encodeSegment(name: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new ValidationError(`${name} must be a string, got ${typeof value}`);
  }
  if (!value) throw new ValidationError(`${name} must not be empty`);
  if (value === "." || value === "..") {
    throw new ValidationError(`${name} must not be ${JSON.stringify(value)}`);
  }
  return quote(value);
}

/**
 * Encode a `/`-separated file path: `/` stays between segments, each segment is
 * encoded; empty, `.` and `..` segments are rejected, so a path never climbs out.
 */
export function encodeFilePath(name: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new ValidationError(`${name} must be a string, got ${typeof value}`);
  }
  const stripped = value.replace(/^\/+|\/+$/g, "");
  if (!stripped) {
    throw new ValidationError(
      `${name} must name a file or directory, got ${JSON.stringify(value)}`,
    );
  }
  const segments = stripped.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new ValidationError(
        `${name} ${JSON.stringify(value)} has an empty, '.' or '..' segment; use a plain relative path`,
      );
    }
  }
  return segments.map(quote).join("/");
}

/** Characters `quote` leaves as they are: a value of only these needs no encoding. */
const PLAIN = /^[A-Za-z0-9_.~-]+$/;

type Filler = (params: Record<string, unknown>) => string;

/** Each template compiled once into its literal parts and parameter encoders. */
const fillers = new Map<string, Filler>();

function compileTemplate(template: string): Filler {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1] as string);
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = template.slice(last);
  const isFile = names.map((name) => FILE_PATH_PARAMS.has(name));
  return (params) => {
    let out = "";
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (!(name in params)) throw new ValidationError(`missing path parameter ${name}`);
      const value = params[name];
      let encoded: string;
      if (isFile[i]) encoded = encodeFilePath(name, value);
      else if (typeof value === "string" && value !== "." && value !== ".." && PLAIN.test(value))
        encoded = value; // nothing to escape (the empty string fails the test)
      else encoded = encodeSegment(name, value);
      out += literals[i] + encoded;
    }
    return out + tail;
  };
}

/** Fill `template` (`/v1/agents/{agent_id}`) with encoded `params`. */
export function buildPath(template: string, params: Record<string, unknown> = {}): string {
  let fill = fillers.get(template);
  if (fill === undefined) {
    if (!template.includes("{")) return template;
    fill = compileTemplate(template);
    fillers.set(template, fill);
  }
  return fill(params);
}

/** `notes/a.txt` -> `/notes/a.txt`, for paths sent in a JSON body (same checks as URLs). */
export function absolutePath(path: string, name = "path"): string {
  encodeFilePath(name, path);
  return `/${path.replace(/^\/+|\/+$/g, "")}`;
}

/** True for the root of a file tree: undefined, `""` or `/`. */
export function isRoot(path: string | undefined): boolean {
  return path === undefined || !path.replace(/\//g, "");
}
