/** Shared by the sub-clients: exclusive fields, tool declarations, file content. */
import { ValidationError } from "../core/errors";
import type { ToolDefinition } from "../generated/index";

/** A tool declaration: the API's definition, or a client-side tool made with `tool()`. */
export type ToolInput = ToolDefinition | { definition(): ToolDefinition };

/** The API definitions of `tools` (client-side tools give their `definition()`). */
export function toolDefinitions(
  tools: readonly ToolInput[] | undefined,
): ToolDefinition[] | undefined {
  if (tools === undefined) return undefined;
  return tools.map((t) =>
    "definition" in t && typeof t.definition === "function"
      ? t.definition()
      : (t as ToolDefinition),
  );
}

/** Reject a body that sets both fields of any pair (`harnessId` and `harnessName`). */
export function exclusive(body: object, ...pairs: [string, string][]): void {
  const record = body as Record<string, unknown>;
  for (const [first, second] of pairs) {
    if (record[first] != null && record[second] != null) {
      throw new ValidationError(`pass either ${first} or ${second}, not both`);
    }
  }
}

/** File content for a JSON body: text as it is, bytes as base64 (encoding `base64`). */
export function fileContent(
  content: string | Uint8Array | undefined,
  encoding: string | undefined,
): { content?: string; encoding?: string } {
  if (content instanceof Uint8Array) {
    if (encoding !== undefined && encoding !== "base64") {
      throw new ValidationError("bytes content is always sent as base64; drop encoding");
    }
    return { content: toBase64(content), encoding: "base64" };
  }
  const out: { content?: string; encoding?: string } = {};
  if (content !== undefined) out.content = content;
  if (encoding !== undefined) out.encoding = encoding;
  return out;
}

/** The raw bytes of file content as the API returns it (text or base64). */
export function decodeContent(
  content: string | null | undefined,
  encoding: string | null | undefined,
): Uint8Array {
  if (!content) return new Uint8Array();
  if ((encoding ?? "").toLowerCase() === "base64") return fromBase64(content);
  return new TextEncoder().encode(content);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
