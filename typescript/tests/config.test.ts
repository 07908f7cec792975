/** Configuration: options first, then EVERRUNS_* variables, then defaults. */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL, EverrunsError, Everruns } from "../src/index";

const saved = { ...process.env };
afterEach(() => {
  for (const name of ["EVERRUNS_API_KEY", "EVERRUNS_API_URL", "EVERRUNS_ORG_ID"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("configuration", () => {
  it("falls back to the environment, and options win", () => {
    process.env.EVERRUNS_API_KEY = "evr_env";
    process.env.EVERRUNS_API_URL = "http://env.example/api/";
    process.env.EVERRUNS_ORG_ID = "org_env";
    const fromEnv = Everruns.fromEnv();
    expect(fromEnv.baseUrl).toBe("http://env.example/api");
    expect(fromEnv.orgId).toBe("org_env");
    expect(Everruns.fromEnv("my-org").orgId).toBe("my-org");
    const explicit = new Everruns({
      apiKey: "evr_x",
      orgId: "org_x",
      apiUrl: "https://other.example/x",
    });
    expect(explicit.baseUrl).toBe("https://other.example/x");
    expect(explicit.orgId).toBe("org_x");
  });

  it("defaults to production, 30 s and 3 retries", () => {
    delete process.env.EVERRUNS_API_URL;
    const client = new Everruns({ apiKey: "evr_x" });
    expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(client.config.timeout).toBe(30_000);
    expect(client.config.maxRetries).toBe(3);
  });

  it("refuses conflicting aliases, bad URLs and bad numbers", () => {
    expect(() => new Everruns({ apiKey: "k", org: "a", orgId: "b" })).toThrow(/conflicting/);
    expect(() => new Everruns({ apiKey: "k", baseUrl: "ftp://x" })).toThrow(EverrunsError);
    expect(() => new Everruns({ apiKey: "k", baseUrl: "http://x/api?q=1" })).toThrow(/query/);
    expect(() => new Everruns({ apiKey: "k", timeout: -1 })).toThrow(/timeout/);
    expect(() => new Everruns({ apiKey: "k", maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => new Everruns({ apiKey: "k", defaultHeaders: { Authorization: "x" } })).toThrow(
      /defaultHeaders/,
    );
  });

  it("withOptions derives a client with the same key and other defaults", () => {
    const client = new Everruns({ apiKey: "evr_x", baseUrl: "http://h/api", org: "o" });
    const derived = client.withOptions({ timeout: 1_000, maxRetries: 0 });
    expect(derived).not.toBe(client);
    expect(derived.config.timeout).toBe(1_000);
    expect(derived.config.maxRetries).toBe(0);
    expect(derived.orgId).toBe("o");
    expect(client.config.timeout).toBe(30_000);
    expect(derived.transport.secrets).toEqual(["evr_x"]);
  });
});
