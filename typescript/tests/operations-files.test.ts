/** Every workspace, memory and session-data operation, against the local server. */
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../src/index";
import { client, uniqueName } from "./support/client";

const c = client();

describe("workspaces and their files", () => {
  it("create, get, update, list, delete", async () => {
    const workspace = await c.workspaces.create({ name: uniqueName("wsp"), description: "d" });
    expect((await c.workspaces.get(workspace.id)).name).toBe(workspace.name);
    expect((await c.workspaces.update(workspace.id, { description: "e" })).description).toBe("e");
    expect((await c.workspaces.list()).map((w) => w.id)).toContain(workspace.id);
    await c.workspaces.delete(workspace.id);
  });

  it("files: create, get, read, write, update, list, stat, grep, move, copy, delete", async () => {
    const { id } = await c.workspaces.create({ name: uniqueName("wsp") });
    const files = c.workspaceFiles;
    await files.create(id, "notes/todo.md", "# todo\nbuy milk\n");
    expect(await files.read(id, "/notes/todo.md")).toContain("buy milk");
    await files.update(id, "notes/todo.md", "# todo\nbuy bread\n");
    await files.write(id, "notes/new.txt", "fresh");
    await files.write(id, "notes/new.txt", "again");
    expect(await files.read(id, "notes/new.txt")).toBe("again");
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    await files.create(id, "bin/data.bin", bytes);
    expect(Array.from(await files.readBytes(id, "bin/data.bin"))).toEqual([0, 1, 2, 255]);
    const root = await files.list(id);
    expect(root.map((f) => f.name)).toEqual(expect.arrayContaining(["notes", "bin"]));
    expect((await files.list(id, "notes")).map((f) => f.name).sort()).toEqual([
      "new.txt",
      "todo.md",
    ]);
    expect(await files.list(id, "notes/todo.md")).toHaveLength(1);
    const listing = await files.get(id, "notes");
    expect("data" in listing).toBe(true);
    expect((await files.stat(id, "notes/todo.md")).isDirectory).toBe(false);
    const found = await files.grep(id, "bread");
    expect(found.map((g) => g.path)).toContain("/notes/todo.md");
    await files.move(id, "notes/new.txt", "notes/moved.txt");
    await files.copy(id, "notes/moved.txt", "notes/copied.txt");
    expect(await files.read(id, "notes/copied.txt")).toBe("again");
    await expect(files.create(id, "notes/copied.txt", "x")).rejects.toBeInstanceOf(ConflictError);
    await files.delete(id, "notes", { recursive: true });
    await expect(files.read(id, "notes/todo.md")).rejects.toBeInstanceOf(NotFoundError);
    await expect(files.read(id, "../escape")).rejects.toBeInstanceOf(ValidationError);
  });

  it("a file name with reserved characters stays one path segment", async () => {
    const { id } = await c.workspaces.create({ name: uniqueName("wsp") });
    const name = "a b?c#d%2Fe&f.txt";
    await c.workspaceFiles.create(id, `dir/${name}`, "odd");
    expect(await c.workspaceFiles.read(id, `dir/${name}`)).toBe("odd");
    expect((await c.workspaceFiles.list(id, "dir")).map((f) => f.name)).toEqual([name]);
  });
});

describe("session files, databases and storage", () => {
  it("files of a session through its workspace", async () => {
    const session = await c.sessions.create({});
    const files = c.sessions.files;
    await files.create(session.id, "a.txt", "one");
    expect(await files.read(session.id, "a.txt")).toBe("one");
    await files.update(session.id, "a.txt", "two");
    await files.write(session.id, "b.txt", "three");
    expect(Array.from(await files.readBytes(session.id, "b.txt"))).toEqual(
      Array.from(new TextEncoder().encode("three")),
    );
    expect((await files.list(session.id)).map((f) => f.name).sort()).toEqual(["a.txt", "b.txt"]);
    expect("content" in (await files.get(session.id, "a.txt"))).toBe(true);
    expect((await files.stat(session.id, "a.txt")).isDirectory).toBe(false);
    expect((await files.grep(session.id, "two")).length).toBe(1);
    await files.move(session.id, "b.txt", "c.txt");
    await files.copy(session.id, "c.txt", "d.txt");
    await files.delete(session.id, "d.txt");
    expect(await files.workspaceId(session.id)).toBe(session.workspaceId);
  });

  it("databases: create, list, get, schema, delete; storage keys and secrets", async () => {
    const session = await c.sessions.create({});
    const db = await c.sessionDatabases.create(session.id, "notes");
    expect(db.name).toBe("notes");
    expect((await c.sessions.databases.list(session.id)).map((d) => d.name)).toContain("notes");
    expect((await c.sessionDatabases.get(session.id, "notes")).name).toBe("notes");
    expect(await c.sessionDatabases.schema(session.id, "notes")).toBeTypeOf("object");
    await expect(c.sessionDatabases.create(session.id, "notes")).rejects.toBeInstanceOf(
      ConflictError,
    );
    await c.sessionDatabases.delete(session.id, "notes");
    expect(Array.isArray(await c.sessionStorage.keys(session.id))).toBe(true);
    expect(Array.isArray(await c.sessions.storage.secrets(session.id))).toBe(true);
  });
});

describe("memories and their files", () => {
  it("create, get, update, list, sync, delete; files create, get, read, update, list, stat, grep, download, delete", async () => {
    const memory = await c.memories.create({ name: uniqueName("mem"), description: "d" });
    expect((await c.memories.get(memory.id)).name).toBe(memory.name);
    expect((await c.memories.update(memory.id, { description: "e" })).description).toBe("e");
    expect((await c.memories.list()).map((m) => m.id)).toContain(memory.id);
    const files = c.memoryFiles;
    await files.create(memory.id, "facts/one.md", "the sky is blue");
    expect(await files.read(memory.id, "facts/one.md")).toBe("the sky is blue");
    await files.update(memory.id, "facts/one.md", "the sea is blue");
    expect((await files.list(memory.id)).map((f) => f.path)).toContain("/facts");
    expect(await files.list(memory.id, "facts/one.md")).toHaveLength(1);
    expect(Array.isArray(await files.get(memory.id, "facts"))).toBe(true);
    expect((await files.stat(memory.id, "facts/one.md")).path).toBe("/facts/one.md");
    expect((await files.grep(memory.id, "sea")).length).toBe(1);
    expect(new TextDecoder().decode(await files.download(memory.id, "facts/one.md"))).toBe(
      "the sea is blue",
    );
    await files.delete(memory.id, "facts/one.md");
    await files.delete(memory.id, "facts");
    const synced = await c.memories.sync(memory.id).catch((e: unknown) => e);
    expect(synced).toBeDefined();
    await c.memories.delete(memory.id);
  });
});
