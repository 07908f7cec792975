/** `client.models`: the LLM models an organization can use, across providers. */
import type { ModelSource, ModelWithProvider } from "../generated/index";
import { type RequestOptions, Resource } from "./base";

/** List and look up LLM models (with their provider and profile). */
export class Models extends Resource {
  /** Models of every provider; `source` is `manual`, `discovered` or `predefined`. */
  async list(
    params: { source?: ModelSource; includeStale?: boolean; favoritesOnly?: boolean } = {},
    options?: RequestOptions,
  ): Promise<ModelWithProvider[]> {
    return this.fetchList<ModelWithProvider>(
      "ModelWithProvider",
      {
        method: "GET",
        path: "/v1/models",
        query: {
          source: params.source,
          include_stale: params.includeStale,
          favorites_only: params.favoritesOnly,
        },
      },
      options,
    );
  }

  /** One model by its ID (`model_...`), with provider info and profile. */
  async get(modelId: string, options?: RequestOptions): Promise<ModelWithProvider> {
    return this.fetchModel(
      "ModelWithProvider",
      { method: "GET", path: "/v1/models/{id}", params: { id: modelId } },
      options,
    );
  }
}
