/**
 * Debug logging. Lines carry method, URL, status, elapsed time, request ID and attempt:
 * never the API key and never bodies. `EVERRUNS_DEBUG=1` (or `true`, `yes`, `debug`)
 * sends them to `console.debug`; a `logger` option receives them instead.
 */
import { readEnv } from "./config";

/** Anything with a `debug(message)` method: `console`, pino, winston... */
export interface Logger {
  debug(message: string): void;
}

/** The logger to use: the caller's, else the console when EVERRUNS_DEBUG is on. */
export function resolveLogger(logger: Logger | undefined): Logger | undefined {
  if (logger) return logger;
  const flag = (readEnv("EVERRUNS_DEBUG") ?? "").trim().toLowerCase();
  if (["1", "true", "yes", "debug"].includes(flag)) {
    return { debug: (message) => console.debug(`everruns ${message}`) };
  }
  return undefined;
}
