/**
 * `client.workspaces.files`: read, write, list, move and search the files of a
 * workspace. Paths are `/`-separated (`notes/todo.md`, with or without a leading `/`);
 * each segment is encoded on its own, and `.`/`..` segments are refused.
 */
import { ConflictError, NotFoundError, ValidationError } from "../core/errors";
import { fromWire } from "../core/names";
import { absolutePath, isRoot } from "../core/paths";
import type {
  DeleteFileResponse,
  FileInfo,
  FileInfoList,
  FileStat,
  GetPathResponse,
  GrepResult,
  SessionFile,
} from "../generated/index";
import { defined, type RequestOptions, Resource, unwrapList } from "./base";
import { decodeContent, fileContent } from "./body";

const ROOT = "/v1/workspaces/{workspace_id}/fs";
const PATH = "/v1/workspaces/{workspace_id}/fs/{path}";

/** Options of `create` and `update`: bytes are sent as base64. */
export interface FileWriteParams {
  encoding?: string;
  isDirectory?: boolean;
  isReadonly?: boolean;
}

function isListing(value: GetPathResponse): value is FileInfoList {
  return Array.isArray((value as FileInfoList).data);
}

export class WorkspaceFiles extends Resource {
  /** The entries of a directory (the root by default); a file gives a one-entry list. */
  async list(
    workspaceId: string,
    path?: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<FileInfo[]> {
    if (isRoot(path)) {
      return this.fetchList<FileInfo>(
        "FileInfo",
        {
          method: "GET",
          path: ROOT,
          params: { workspace_id: workspaceId },
          query: { recursive: params.recursive },
        },
        options,
      );
    }
    const found = await this.get(workspaceId, path as string, params, options);
    if (isListing(found)) return found.data;
    const { content: _content, encoding: _encoding, ...info } = found;
    return [info as FileInfo];
  }

  /** A file with its content (`SessionFile`), or a directory's entries (`FileInfoList`). */
  async get(
    workspaceId: string,
    path: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<GetPathResponse> {
    const root = isRoot(path);
    const response = await this.send(
      {
        method: "GET",
        path: root ? ROOT : PATH,
        params: root ? { workspace_id: workspaceId } : { workspace_id: workspaceId, path },
        query: { recursive: params.recursive },
      },
      options,
    );
    const body = response.json();
    if (
      typeof body === "object" &&
      body !== null &&
      Array.isArray((body as { data?: unknown }).data)
    ) {
      return { data: unwrapList<FileInfo>(body, "FileInfo", response) } as FileInfoList;
    }
    return fromWire<SessionFile>(body, "SessionFile");
  }

  /** The content of a file as bytes (base64 content is decoded). */
  async readBytes(
    workspaceId: string,
    path: string,
    options?: RequestOptions,
  ): Promise<Uint8Array> {
    const file = await this.#file(workspaceId, path, options);
    return decodeContent(file.content, file.encoding);
  }

  /** The content of a text file. */
  async read(workspaceId: string, path: string, options?: RequestOptions): Promise<string> {
    const file = await this.#file(workspaceId, path, options);
    if ((file.encoding ?? "").toLowerCase() !== "base64") return file.content ?? "";
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(
        decodeContent(file.content, file.encoding),
      );
    } catch {
      throw new ValidationError(`${path} is not UTF-8 text; use readBytes`);
    }
  }

  async #file(workspaceId: string, path: string, options?: RequestOptions): Promise<SessionFile> {
    const found = await this.get(workspaceId, path, {}, options);
    if (isListing(found) || found.isDirectory)
      throw new ValidationError(`${path} is a directory, not a file`);
    return found;
  }

  /** Create a file (or a directory with `isDirectory`); missing parents are created too. */
  async create(
    workspaceId: string,
    path: string,
    content?: string | Uint8Array,
    params: FileWriteParams = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    const body = defined({
      ...fileContent(content, params.encoding),
      isDirectory: params.isDirectory,
      isReadonly: params.isReadonly,
    });
    return this.fetchModel(
      "SessionFile",
      {
        method: "POST",
        path: PATH,
        params: { workspace_id: workspaceId, path },
        body,
        bodyShape: "CreateFileRequest",
      },
      options,
    );
  }

  /** Replace the content (or the read-only flag) of an existing file. */
  async update(
    workspaceId: string,
    path: string,
    content?: string | Uint8Array,
    params: Omit<FileWriteParams, "isDirectory"> = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    const body = defined({
      ...fileContent(content, params.encoding),
      isReadonly: params.isReadonly,
    });
    return this.fetchModel(
      "SessionFile",
      {
        method: "PUT",
        path: PATH,
        params: { workspace_id: workspaceId, path },
        body,
        bodyShape: "UpdateFileRequest",
      },
      options,
    );
  }

  /** Create the file or replace its content, whichever applies. */
  async write(
    workspaceId: string,
    path: string,
    content: string | Uint8Array,
    params: { encoding?: string } = {},
    options?: RequestOptions,
  ): Promise<SessionFile> {
    try {
      return await this.update(workspaceId, path, content, params, options);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    try {
      return await this.create(workspaceId, path, content, params, options);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // created meanwhile by someone else
      return this.update(workspaceId, path, content, params, options);
    }
  }

  /** Delete a file, or a directory (a non-empty one needs `recursive`). */
  async delete(
    workspaceId: string,
    path: string,
    params: { recursive?: boolean } = {},
    options?: RequestOptions,
  ): Promise<DeleteFileResponse> {
    return this.fetchModel(
      "DeleteFileResponse",
      {
        method: "DELETE",
        path: PATH,
        params: { workspace_id: workspaceId, path },
        query: { recursive: params.recursive },
      },
      options,
    );
  }

  /** Move or rename a file or directory. */
  async move(
    workspaceId: string,
    srcPath: string,
    dstPath: string,
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#action("move", workspaceId, srcPath, dstPath, options);
  }

  /** Copy a file (directories cannot be copied). */
  async copy(
    workspaceId: string,
    srcPath: string,
    dstPath: string,
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.#action("copy", workspaceId, srcPath, dstPath, options);
  }

  #action(
    kind: string,
    workspaceId: string,
    srcPath: string,
    dstPath: string,
    options?: RequestOptions,
  ): Promise<SessionFile> {
    return this.fetchModel(
      "SessionFile",
      {
        method: "POST",
        path: `${ROOT}/_/${kind}`,
        params: { workspace_id: workspaceId },
        body: {
          src_path: absolutePath(srcPath, "srcPath"),
          dst_path: absolutePath(dstPath, "dstPath"),
        },
      },
      options,
    );
  }

  /** Lines matching the regular expression `pattern`, by file; `pathPattern` narrows. */
  async grep(
    workspaceId: string,
    pattern: string,
    params: { pathPattern?: string } = {},
    options?: RequestOptions,
  ): Promise<GrepResult[]> {
    return this.fetchList<GrepResult>(
      "GrepResult",
      {
        method: "POST",
        path: `${ROOT}/_/grep`,
        params: { workspace_id: workspaceId },
        body: defined({ pattern, path_pattern: params.pathPattern }),
        idempotent: true, // a search changes nothing
      },
      options,
    );
  }

  /** Metadata of a file or directory, without its content. */
  async stat(workspaceId: string, path: string, options?: RequestOptions): Promise<FileStat> {
    return this.fetchModel(
      "FileStat",
      {
        method: "POST",
        path: `${ROOT}/_/stat`,
        params: { workspace_id: workspaceId },
        body: { path: absolutePath(path) },
        idempotent: true,
      },
      options,
    );
  }
}
