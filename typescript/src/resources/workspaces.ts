/** `client.workspaces`: workspaces (the file trees sessions work in) and their files. */
import { ValidationError } from "../core/errors";
import type { CreateWorkspaceRequest, UpdateWorkspaceRequest, Workspace } from "../generated/index";
import { defined, type RequestOptions, Resource } from "./base";
import { WorkspaceFiles } from "./workspace-files";

/** Create, list, rename and archive workspaces; `files` reaches their contents. */
export class Workspaces extends Resource {
  /** Every workspace of the organization (not paginated). */
  async list(
    params: { search?: string; includeArchived?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Workspace[]> {
    return this.fetchList<Workspace>(
      "Workspace",
      {
        method: "GET",
        path: "/v1/workspaces",
        query: { search: params.search, include_archived: params.includeArchived },
      },
      options,
    );
  }

  /** A new, empty workspace. */
  async create(params: CreateWorkspaceRequest, options?: RequestOptions): Promise<Workspace> {
    if (!params || params.name == null) throw new ValidationError("a workspace needs a name");
    return this.fetchModel(
      "Workspace",
      {
        method: "POST",
        path: "/v1/workspaces",
        body: defined(params),
        bodyShape: "CreateWorkspaceRequest",
      },
      options,
    );
  }

  async get(workspaceId: string, options?: RequestOptions): Promise<Workspace> {
    return this.fetchModel(
      "Workspace",
      {
        method: "GET",
        path: "/v1/workspaces/{workspace_id}",
        params: { workspace_id: workspaceId },
      },
      options,
    );
  }

  /** Rename or describe a workspace, or change its status. */
  async update(
    workspaceId: string,
    params: UpdateWorkspaceRequest,
    options?: RequestOptions,
  ): Promise<Workspace> {
    return this.fetchModel(
      "Workspace",
      {
        method: "PATCH",
        path: "/v1/workspaces/{workspace_id}",
        params: { workspace_id: workspaceId },
        body: defined(params),
        bodyShape: "UpdateWorkspaceRequest",
      },
      options,
    );
  }

  async delete(workspaceId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      {
        method: "DELETE",
        path: "/v1/workspaces/{workspace_id}",
        params: { workspace_id: workspaceId },
      },
      options,
    );
  }

  /** The files of a workspace (also `client.workspaceFiles`). */
  get files(): WorkspaceFiles {
    return new WorkspaceFiles(this.core);
  }
}
