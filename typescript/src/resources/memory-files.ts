/**
 * `client.memories.files`: read, write, list and search the files of a memory. Paths are
 * `/`-separated; each segment is encoded on its own, `.`/`..` segments are refused.
 */
import { ValidationError } from "../core/errors";
import { fromWire } from "../core/names";
import { absolutePath, isRoot } from "../core/paths";
import type { MemoryFile, MemoryFileInfo, MemoryGrepResult } from "../generated/index";
import { defined, type RequestOptions, Resource, unwrapList } from "./base";
import { decodeContent, fileContent } from "./body";

const ROOT = "/v1/memories/{memory_id}/fs";
const PATH = "/v1/memories/{memory_id}/fs/{path}";

export class MemoryFiles extends Resource {
  /** The entries of a directory (the root by default); a file gives a one-entry list. */
  async list(memoryId: string, path?: string, options?: RequestOptions): Promise<MemoryFileInfo[]> {
    if (isRoot(path)) {
      return this.fetchList<MemoryFileInfo>(
        "MemoryFileInfo",
        { method: "GET", path: ROOT, params: { memory_id: memoryId } },
        options,
      );
    }
    const found = await this.get(memoryId, path as string, options);
    if (Array.isArray(found)) return found;
    const { content: _content, encoding: _encoding, ...info } = found;
    return [info as MemoryFileInfo];
  }

  /** A file with its content (`MemoryFile`), or a directory's entries. */
  async get(
    memoryId: string,
    path: string,
    options?: RequestOptions,
  ): Promise<MemoryFile | MemoryFileInfo[]> {
    if (isRoot(path)) return this.list(memoryId, undefined, options);
    const response = await this.send(
      { method: "GET", path: PATH, params: { memory_id: memoryId, path } },
      options,
    );
    const body = response.json();
    if (
      typeof body === "object" &&
      body !== null &&
      Array.isArray((body as { data?: unknown }).data)
    ) {
      return unwrapList<MemoryFileInfo>(body, "MemoryFileInfo", response);
    }
    return fromWire<MemoryFile>(body, "MemoryFile");
  }

  /** The content of a text file. */
  async read(memoryId: string, path: string, options?: RequestOptions): Promise<string> {
    const found = await this.get(memoryId, path, options);
    if (Array.isArray(found)) throw new ValidationError(`${path} is a directory, not a file`);
    if ((found.encoding ?? "").toLowerCase() !== "base64") return found.content;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(
        decodeContent(found.content, found.encoding),
      );
    } catch {
      throw new ValidationError(`${path} is not UTF-8 text; use download`);
    }
  }

  /** Create a file (or a directory with `isDirectory`); bytes are sent as base64. */
  async create(
    memoryId: string,
    path: string,
    content?: string | Uint8Array,
    params: { encoding?: string; isDirectory?: boolean } = {},
    options?: RequestOptions,
  ): Promise<MemoryFileInfo> {
    const body = defined({
      ...fileContent(content, params.encoding),
      isDirectory: params.isDirectory,
    });
    return this.fetchModel(
      "MemoryFileInfo",
      {
        method: "POST",
        path: PATH,
        params: { memory_id: memoryId, path },
        body,
        bodyShape: "CreateMemoryFileRequest",
      },
      options,
    );
  }

  /** Replace the content of an existing file. */
  async update(
    memoryId: string,
    path: string,
    content: string | Uint8Array,
    params: { encoding?: string } = {},
    options?: RequestOptions,
  ): Promise<MemoryFile> {
    return this.fetchModel(
      "MemoryFile",
      {
        method: "PUT",
        path: PATH,
        params: { memory_id: memoryId, path },
        body: fileContent(content, params.encoding),
        bodyShape: "UpdateMemoryFileRequest",
      },
      options,
    );
  }

  /** Delete a file, or a directory (a non-empty one needs `recursive`). */
  async delete(
    memoryId: string,
    path: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<void> {
    return this.fetchVoid(
      {
        method: "DELETE",
        path: PATH,
        params: { memory_id: memoryId, path },
        query: { recursive: params.recursive },
      },
      options,
    );
  }

  /** The raw bytes of a file. */
  async download(memoryId: string, path: string, options?: RequestOptions): Promise<Uint8Array> {
    const response = await this.send(
      {
        method: "GET",
        path: `${ROOT}/_/download/{path}`,
        params: { memory_id: memoryId, path },
        headers: { Accept: "*/*" },
        binary: true,
      },
      options,
    );
    return response.bytes;
  }

  /** Files with a line matching the regular expression `pattern`; `pathPattern` narrows. */
  async grep(
    memoryId: string,
    pattern: string,
    params: { pathPattern?: string } = {},
    options?: RequestOptions,
  ): Promise<MemoryGrepResult[]> {
    return this.fetchList<MemoryGrepResult>(
      "MemoryGrepResult",
      {
        method: "POST",
        path: `${ROOT}/_/grep`,
        params: { memory_id: memoryId },
        body: defined({ pattern, path_pattern: params.pathPattern }),
        idempotent: true,
      },
      options,
    );
  }

  /** Metadata of a file or directory, without its content. */
  async stat(memoryId: string, path: string, options?: RequestOptions): Promise<MemoryFileInfo> {
    return this.fetchModel(
      "MemoryFileInfo",
      {
        method: "POST",
        path: `${ROOT}/_/stat`,
        params: { memory_id: memoryId },
        body: { path: absolutePath(path) },
        idempotent: true,
      },
      options,
    );
  }
}
