/** `client.harnesses`: harnesses, the base configuration agents and sessions build on. */
import { ValidationError } from "../core/errors";
import { generateId, validateName } from "../core/ids";
import type {
  CreateHarnessRequest,
  Harness,
  HarnessExample,
  UpdateHarnessRequest,
} from "../generated/index";
import { defined, type RequestOptions, Resource } from "./base";

const H = "/v1/harnesses/{harness_id}";

/** Create, list, update and archive harnesses; browse the built-in examples. */
export class Harnesses extends Resource {
  /** A new client-side harness ID (`harness_<32 hex>`). */
  static generateId(): string {
    return generateId("harness");
  }

  /** Every harness of the organization (the API does not paginate them). */
  async list(
    params: { search?: string; includeArchived?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Harness[]> {
    return this.fetchList<Harness>(
      "Harness",
      {
        method: "GET",
        path: "/v1/harnesses",
        query: { search: params.search, include_archived: params.includeArchived },
      },
      options,
    );
  }

  async get(harnessId: string, options?: RequestOptions): Promise<Harness> {
    return this.fetchModel(
      "Harness",
      { method: "GET", path: H, params: { harness_id: harnessId } },
      options,
    );
  }

  /** Create a harness named `name`, a slug such as `deep-research`; `id` is optional. */
  async create(
    params: CreateHarnessRequest & { id?: string },
    options?: RequestOptions,
  ): Promise<Harness> {
    if (!params || params.name == null) throw new ValidationError("a harness needs a name");
    validateName(params.name, "harness");
    return this.fetchModel(
      "Harness",
      {
        method: "POST",
        path: "/v1/harnesses",
        body: defined(params),
        bodyShape: "CreateHarnessRequest",
      },
      options,
    );
  }

  /** Change the given fields of a harness (`null` clears a field). */
  async update(
    harnessId: string,
    params: UpdateHarnessRequest,
    options?: RequestOptions,
  ): Promise<Harness> {
    if (params.name != null) validateName(params.name, "harness");
    return this.fetchModel(
      "Harness",
      {
        method: "PATCH",
        path: H,
        params: { harness_id: harnessId },
        body: defined(params),
        bodyShape: "UpdateHarnessRequest",
      },
      options,
    );
  }

  /** Archive a harness (built-in harnesses cannot be deleted). */
  async delete(harnessId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "DELETE", path: H, params: { harness_id: harnessId } },
      options,
    );
  }

  /** The ready-made harness examples one can adopt. */
  async examples(options?: RequestOptions): Promise<HarnessExample[]> {
    return this.fetchList<HarnessExample>(
      "HarnessExample",
      { method: "GET", path: "/v1/harness-examples" },
      options,
    );
  }
}
