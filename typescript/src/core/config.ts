/**
 * Client configuration: explicit options first, then the environment
 * (`EVERRUNS_API_KEY`, `EVERRUNS_ORG_ID`, `EVERRUNS_API_URL`), then defaults.
 *
 * Reading the environment is guarded: in a browser or an edge runtime without
 * `process`, nothing is read and only explicit options count.
 */
import { EverrunsError } from "./errors";
import type { Logger } from "./logging";

export const DEFAULT_BASE_URL = "https://app.everruns.com/api";
/** Milliseconds, as every duration of this SDK except `retryAfter` (seconds). */
export const DEFAULT_TIMEOUT = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export const ENV_API_KEY = "EVERRUNS_API_KEY";
export const ENV_API_URL = "EVERRUNS_API_URL";
export const ENV_ORG_ID = "EVERRUNS_ORG_ID";

/** The `fetch` function the client uses (the global one by default). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of `new Everruns({...})`. */
export interface ClientOptions {
  /** The API key (`evr_...`); default `EVERRUNS_API_KEY`. */
  apiKey?: string | undefined;
  /** The organization, sent as `X-Org-Id`; default `EVERRUNS_ORG_ID`. Alias: `orgId`. */
  org?: string | undefined;
  /** Same as `org`. */
  orgId?: string | undefined;
  /** The API's base URL, path prefix included; default `EVERRUNS_API_URL`, else production. */
  baseUrl?: string | undefined;
  /** Same as `baseUrl`. */
  apiUrl?: string | undefined;
  /** Per-attempt timeout of a request, in milliseconds (default 30,000; `Infinity`: none). */
  timeout?: number | undefined;
  /** Retries of a failed request that is safe to repeat (default 3). */
  maxRetries?: number | undefined;
  /** A `fetch` to use instead of the global one (proxies, tests, other runtimes). */
  fetch?: Fetch | undefined;
  /** Headers sent with every request (not `Authorization` or `X-Org-Id`). */
  defaultHeaders?: Record<string, string> | undefined;
  /** Receives debug lines (never the key or bodies); `EVERRUNS_DEBUG=1` logs to the console. */
  logger?: Logger | undefined;
}

/** The environment variable `name`, or undefined where there is no `process.env`. */
export function readEnv(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Reject CR, LF and NUL in a header value (header injection), naming only the header. */
export function checkHeaderValue(name: string, value: string): string {
  if (typeof value !== "string") {
    throw new EverrunsError(`header ${JSON.stringify(name)} must be a string`);
  }
  if (/[\r\n\0]/.test(value)) {
    throw new EverrunsError(
      `header ${JSON.stringify(name)} contains a forbidden control character`,
    );
  }
  return value;
}

/**
 * `url` without a trailing slash, so `base + "/v1/..."` keeps its path prefix:
 * `http://host/api` and `http://host/api/` both become `http://host/api`.
 */
export function normalizeBaseUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new EverrunsError(`base URL is not a valid URL: ${JSON.stringify(trimmed)}`);
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || !parsed.hostname) {
    throw new EverrunsError(`base URL must be an absolute http(s) URL, got ${trimmed}`);
  }
  if (parsed.search || parsed.hash || trimmed.includes("?") || trimmed.includes("#")) {
    throw new EverrunsError("base URL must not contain a query string or fragment");
  }
  return trimmed.replace(/\/+$/, "");
}

/** A display form of a key that reveals only its kind (`evr_****`). */
export function maskKey(key: string): string {
  const at = key.indexOf("_");
  if (at > 0 && at <= 8 && /^[A-Za-z0-9]+$/.test(key.slice(0, at))) {
    return `${key.slice(0, at)}_****`;
  }
  return "****";
}

export function checkTimeout(ms: number): number {
  if (typeof ms !== "number" || !(ms > 0)) {
    throw new EverrunsError(`timeout must be a positive number of milliseconds, got ${ms}`);
  }
  return ms;
}

export function checkMaxRetries(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new EverrunsError(`maxRetries must be a non-negative integer, got ${value}`);
  }
  return value;
}

function pick(name: string, ...values: (string | undefined)[]): string | undefined {
  const given = values.filter((v): v is string => v !== undefined);
  if (new Set(given).size > 1) throw new EverrunsError(`conflicting values given for ${name}`);
  return given[0];
}

/** The resolved configuration; the key lives in a closure, not in a property. */
export interface ResolvedConfig {
  readonly baseUrl: string;
  readonly orgId: string | undefined;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly defaultHeaders: Readonly<Record<string, string>>;
  readonly fetch: Fetch | undefined;
  readonly logger: Logger | undefined;
  /** `evr_****`: the key's kind only. */
  readonly maskedKey: string;
}

/** Combine explicit options with the environment; explicit options win. */
export function resolveConfig(options: ClientOptions): { config: ResolvedConfig; apiKey: string } {
  const apiKey = options.apiKey ?? readEnv(ENV_API_KEY);
  if (!apiKey) {
    throw new EverrunsError(
      `No API key: pass { apiKey: "..." } or set the ${ENV_API_KEY} environment variable.`,
    );
  }
  checkHeaderValue("Authorization", apiKey);
  const orgId = pick("org/orgId", options.org, options.orgId) ?? readEnv(ENV_ORG_ID);
  if (orgId !== undefined) checkHeaderValue("X-Org-Id", orgId);
  const url = pick("apiUrl/baseUrl", options.apiUrl, options.baseUrl) ?? readEnv(ENV_API_URL);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.defaultHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (lower === "authorization" || lower === "x-org-id") {
      throw new EverrunsError(
        `defaultHeaders must not set ${JSON.stringify(name)}: pass apiKey / org instead`,
      );
    }
    headers[name] = checkHeaderValue(name, value);
  }
  return {
    apiKey,
    config: {
      baseUrl: normalizeBaseUrl(url ?? DEFAULT_BASE_URL),
      orgId,
      timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT),
      maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
      defaultHeaders: headers,
      fetch: options.fetch,
      logger: options.logger,
      maskedKey: maskKey(apiKey),
    },
  };
}

/** A config with another timeout or retry count (for `withOptions`). */
export function withChanges(
  config: ResolvedConfig,
  changes: { timeout?: number | undefined; maxRetries?: number | undefined },
): ResolvedConfig {
  return {
    ...config,
    timeout: changes.timeout === undefined ? config.timeout : checkTimeout(changes.timeout),
    maxRetries:
      changes.maxRetries === undefined ? config.maxRetries : checkMaxRetries(changes.maxRetries),
  };
}
