/** `client.capabilities`: what agents and harnesses can be given, and guardrail checks. */
import { ValidationError } from "../core/errors";
import type { PagePromise } from "../core/pagination";
import type {
  CapabilityInfo,
  GuardrailExample,
  GuardrailExamplesResponse,
  GuardrailsDryRunRequest,
  GuardrailsDryRunResponse,
} from "../generated/index";
import { defined, type RequestOptions, Resource } from "./base";

/** Browse capabilities; try guardrail configurations before deploying them. */
export class Capabilities extends Resource {
  /** A page of capabilities; `for await` walks all of them. */
  list(
    params: { search?: string; offset?: number; limit?: number } = {},
    options?: RequestOptions,
  ): PagePromise<CapabilityInfo> {
    return this.fetchPage<CapabilityInfo>(
      "CapabilityInfo",
      {
        method: "GET",
        path: "/v1/capabilities",
        query: { search: params.search },
        offset: params.offset,
        limit: params.limit,
      },
      options,
    );
  }

  async get(capabilityId: string, options?: RequestOptions): Promise<CapabilityInfo> {
    return this.fetchModel(
      "CapabilityInfo",
      {
        method: "GET",
        path: "/v1/capabilities/{capability_id}",
        params: { capability_id: capabilityId },
      },
      options,
    );
  }

  /** Ready-made guardrail configurations, in display order. */
  async guardrailExamples(options?: RequestOptions): Promise<GuardrailExample[]> {
    const response = await this.fetchModel<GuardrailExamplesResponse>(
      "GuardrailExamplesResponse",
      { method: "GET", path: "/v1/capabilities/guardrails/examples" },
      options,
    );
    return response.examples;
  }

  /**
   * Check sample `text` against a guardrails `config` without running a session.
   * `stage` is `output`, `tool_use` (give `toolName`) or `tool_output`. Nothing is stored.
   */
  async dryRunGuardrails(
    params: GuardrailsDryRunRequest,
    options?: RequestOptions,
  ): Promise<GuardrailsDryRunResponse> {
    const missing = (["config", "stage", "text"] as const).filter((key) => params?.[key] == null);
    if (missing.length)
      throw new ValidationError(`a guardrails dry run needs ${missing.join(", ")}`);
    return this.fetchModel(
      "GuardrailsDryRunResponse",
      {
        method: "POST",
        path: "/v1/capabilities/guardrails/dry-run",
        body: defined(params),
        bodyShape: "GuardrailsDryRunRequest",
        idempotent: true, // evaluates only, stores nothing
      },
      options,
    );
  }
}
