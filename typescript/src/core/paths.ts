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

/** Fill `template` (`/v1/agents/{agent_id}`) with encoded `params`. */
export function buildPath(template: string, params: Record<string, unknown> = {}): string {
  if (!template.includes("{")) return template;
  return template.replace(PLACEHOLDER, (_, name: string) => {
    if (!(name in params)) throw new ValidationError(`missing path parameter ${name}`);
    const value = params[name];
    return FILE_PATH_PARAMS.has(name) ? encodeFilePath(name, value) : encodeSegment(name, value);
  });
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
