/**
 * Redirects are followed by hand, so Authorization and X-Org-Id never reach another
 * origin. The local server never redirects: a fetch mock plays the two origins.
 */
import { describe, expect, it } from "vitest";
import { APIConnectionError, Everruns } from "../src/index";

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

function mockFetch(route: (url: URL, method: string) => Response): {
  fetch: typeof fetch;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    seen.push({
      url: url.toString(),
      method,
      headers: new Headers(init?.headers),
      body: init?.body ?? null,
    });
    return route(url, method);
  };
  return { fetch: fn as typeof fetch, seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const redirect = (location: string, status = 302) =>
  new Response(null, { status, headers: { location } });
const AGENT = { id: "agent_1", name: "a", systemPrompt: "x" };

describe("redirects", () => {
  it("drops Authorization and X-Org-Id on a hop to another origin", async () => {
    const { fetch, seen } = mockFetch((url) =>
      url.host === "api.example" ? redirect("https://cdn.example/agent") : json(AGENT),
    );
    const client = new Everruns({
      apiKey: "evr_secret",
      org: "org_1",
      baseUrl: "https://api.example/api",
      fetch,
    });
    await client.agents.get("agent_1");
    expect(seen.map((s) => s.url)).toEqual([
      "https://api.example/api/v1/agents/agent_1",
      "https://cdn.example/agent",
    ]);
    expect(seen[0]?.headers.get("authorization")).toBe("evr_secret");
    expect(seen[1]?.headers.get("authorization")).toBeNull();
    expect(seen[1]?.headers.get("x-org-id")).toBeNull();
  });

  it("keeps them on the same origin, and 307 repeats the POST with its body", async () => {
    const { fetch, seen } = mockFetch((url) =>
      url.pathname === "/api/v1/agents" ? redirect("/api/v2/agents", 307) : json(AGENT, 201),
    );
    const client = new Everruns({
      apiKey: "evr_secret",
      org: "org_1",
      baseUrl: "https://api.example/api",
      fetch,
    });
    await client.agents.create({ name: "a", systemPrompt: "x" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST https://api.example/api/v1/agents",
      "POST https://api.example/api/v2/agents",
    ]);
    expect(seen[1]?.headers.get("authorization")).toBe("evr_secret");
    expect(seen[1]?.headers.get("x-org-id")).toBe("org_1");
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  it("303 becomes a GET without a body", async () => {
    const { fetch, seen } = mockFetch((url) =>
      url.pathname.endsWith("/cancel") ? redirect("/api/done", 303) : json({}),
    );
    const client = new Everruns({ apiKey: "k", baseUrl: "https://api.example/api", fetch });
    await client.sessions.cancel("session_1");
    expect(seen[1]?.method).toBe("GET");
    expect(seen[1]?.body).toBeNull();
  });

  it("stops after 5 hops", async () => {
    const { fetch, seen } = mockFetch(() => redirect("/api/again"));
    const client = new Everruns({
      apiKey: "k",
      baseUrl: "https://api.example/api",
      fetch,
      maxRetries: 0,
    });
    await expect(client.agents.get("a")).rejects.toBeInstanceOf(APIConnectionError);
    expect(seen).toHaveLength(6);
  });
});
