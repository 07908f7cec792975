/** `client.memories`: memories (file trees shared across sessions) and their files. */
import { ValidationError } from "../core/errors";
import type { CreateMemoryRequest, Memory, UpdateMemoryRequest } from "../generated/index";
import { defined, type RequestOptions, Resource } from "./base";
import { MemoryFiles } from "./memory-files";

const M = "/v1/memories/{memory_id}";

/** Create, list, update and archive memories; sync source-backed ones. */
export class Memories extends Resource {
  /** Every memory of the organization (not paginated). */
  async list(
    params: { search?: string; includeArchived?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Memory[]> {
    return this.fetchList<Memory>(
      "Memory",
      {
        method: "GET",
        path: "/v1/memories",
        query: { search: params.search, include_archived: params.includeArchived },
      },
      options,
    );
  }

  /** A new memory: empty and writable, or mirroring a Git/GitHub `source` (read-only). */
  async create(params: CreateMemoryRequest, options?: RequestOptions): Promise<Memory> {
    if (!params || params.name == null) throw new ValidationError("a memory needs a name");
    return this.fetchModel(
      "Memory",
      {
        method: "POST",
        path: "/v1/memories",
        body: defined(params),
        bodyShape: "CreateMemoryRequest",
      },
      options,
    );
  }

  async get(memoryId: string, options?: RequestOptions): Promise<Memory> {
    return this.fetchModel(
      "Memory",
      { method: "GET", path: M, params: { memory_id: memoryId } },
      options,
    );
  }

  /** Change the name, description or source of a memory. */
  async update(
    memoryId: string,
    params: UpdateMemoryRequest,
    options?: RequestOptions,
  ): Promise<Memory> {
    return this.fetchModel(
      "Memory",
      {
        method: "PATCH",
        path: M,
        params: { memory_id: memoryId },
        body: defined(params),
        bodyShape: "UpdateMemoryRequest",
      },
      options,
    );
  }

  /** Archive a memory. */
  async delete(memoryId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid({ method: "DELETE", path: M, params: { memory_id: memoryId } }, options);
  }

  /** Pull a source-backed memory from its repository now. */
  async sync(memoryId: string, options?: RequestOptions): Promise<Memory> {
    return this.fetchModel(
      "Memory",
      { method: "POST", path: `${M}/sync`, params: { memory_id: memoryId }, idempotent: true },
      options,
    );
  }

  /** The files of a memory (also `client.memoryFiles`). */
  get files(): MemoryFiles {
    return new MemoryFiles(this.core);
  }
}
