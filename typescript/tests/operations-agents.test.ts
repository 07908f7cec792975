/** Every agent and harness operation, against the local server. */
import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../src/index";
import { Agents } from "../src/resources/agents";
import { client, uniqueName } from "./support/client";

const c = client();

describe("agents", () => {
  it("create turns a human name into a slug and keeps it as the display name", async () => {
    const agent = await c.agents.create({
      name: "Assistant",
      systemPrompt: "You are a helpful assistant.",
    });
    expect(agent.name).toBe("assistant");
    expect(agent.displayName).toBe("Assistant");
    expect(agent.systemPrompt).toBe("You are a helpful assistant.");
    expect(agent.id).toMatch(/^agent_[0-9a-f]{32}$/);
  });

  it("create, get, update, list, copy, stats, export, import, delete", async () => {
    const name = uniqueName();
    const agent = await c.agents.create({ name, systemPrompt: "Be brief.", tags: ["t1"] });
    expect((await c.agents.get(agent.id)).name).toBe(name);
    const updated = await c.agents.update(agent.id, { description: "short answers" });
    expect(updated.description).toBe("short answers");
    const page = await c.agents.list({ search: name });
    expect(page.data.map((a) => a.id)).toContain(agent.id);
    const copy = await c.agents.copy(agent.id);
    expect(copy.id).not.toBe(agent.id);
    const stats = await c.agents.stats(agent.id);
    expect(stats).toBeTypeOf("object");
    const markdown = await c.agents.export(agent.id);
    expect(markdown).toContain("Be brief.");
    const imported = await c.agents.import(markdown.replace(name, `${name}-imported`));
    expect(imported.systemPrompt).toContain("Be brief.");
    await c.agents.delete(copy.id);
    const archived = await c.agents.get(copy.id).catch((e: unknown) => e);
    expect(
      archived instanceof NotFoundError || (archived as { status?: string }).status === "archived",
    ).toBe(true);
  });

  it("apply upserts by client-chosen id, applyByName by name", async () => {
    const id = Agents.generateId();
    const name = uniqueName();
    const first = await c.agents.apply(id, { name, systemPrompt: "v1" });
    const second = await c.agents.apply(id, { name, systemPrompt: "v2" });
    expect(second.id).toBe(first.id);
    expect(second.systemPrompt).toBe("v2");
    const byName = await c.agents.applyByName({ name, systemPrompt: "v3" });
    expect(byName.id).toBe(id);
    await expect(c.agents.applyByName({ name: "Not A Slug", systemPrompt: "x" })).rejects.toThrow(
      ValidationError,
    );
  });

  it("list pages and walks every page", async () => {
    const prefix = uniqueName("walk");
    for (let i = 0; i < 5; i++)
      await c.agents.create({ name: `${prefix}-${i}`, systemPrompt: "x" });
    const first = await c.agents.list({ search: prefix, limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.total).toBe(5);
    expect(first.hasNextPage()).toBe(true);
    const names: string[] = [];
    for await (const agent of c.agents.list({ search: prefix, limit: 2 })) names.push(agent.name);
    expect(names.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
  });

  it("analyze", async () => {
    const analysis = await c.agents.analyze({ systemPrompt: "You answer in French." });
    expect(Array.isArray(analysis.findings)).toBe(true);
  });

  it("versions: create, list, setDefault, diff, fork, rollback", async () => {
    const agent = await c.agents.create({ name: uniqueName(), systemPrompt: "one" });
    const v1 = await c.agents.versions.create(agent.id, { summary: "first" });
    await c.agents.update(agent.id, { systemPrompt: "two" });
    const v2 = await c.agents.versions.create(agent.id, { summary: "second" });
    const versions = await c.agents.versions.list(agent.id);
    expect(versions.map((v) => v.id)).toEqual(expect.arrayContaining([v1.id, v2.id]));
    const withDefault = await c.agents.versions.setDefault(agent.id, v1.id);
    expect(withDefault.defaultVersionId).toBe(v1.id);
    const diff = await c.agents.versions.diff(agent.id, v1.id, v2.id);
    expect(diff.fromVersionId).toBe(v1.id);
    const fork = await c.agents.versions.fork(agent.id, v1.id, { name: uniqueName("fork") });
    expect(fork.systemPrompt).toBe("one");
    const rolled = await c.agents.versions.rollback(agent.id, v1.id, { saveVersion: true });
    expect(rolled.systemPrompt).toBe("one");
  });

  it("health checks: run, list, get", async () => {
    const agent = await c.agents.create({ name: uniqueName(), systemPrompt: "x" });
    const run = await c.agents.healthChecks.run(agent.id);
    expect((await c.agents.healthChecks.list(agent.id)).map((r) => r.id)).toContain(run.id);
    expect((await c.agents.healthChecks.get(agent.id, run.id)).id).toBe(run.id);
  });
});

describe("harnesses", () => {
  it("create, get, update, list, examples, delete", async () => {
    const name = uniqueName("harness");
    const harness = await c.harnesses.create({ name, displayName: "H", systemPrompt: "base" });
    expect(harness.displayName).toBe("H");
    expect((await c.harnesses.get(harness.id)).name).toBe(name);
    expect((await c.harnesses.update(harness.id, { description: "d" })).description).toBe("d");
    expect((await c.harnesses.list({ search: name })).map((h) => h.id)).toContain(harness.id);
    expect(Array.isArray(await c.harnesses.examples())).toBe(true);
    await c.harnesses.delete(harness.id);
    await expect(c.harnesses.create({ name: "Bad Name" })).rejects.toThrow(ValidationError);
  });
});
