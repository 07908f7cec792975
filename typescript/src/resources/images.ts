/** `client.images`: upload images for messages, list them, fetch them back. */
import { NotFoundError, ValidationError } from "../core/errors";
import type { ImageInfo, ImageUploadResponse } from "../generated/index";
import { type RequestOptions, Resource } from "./base";

const SCAN_PAGE_SIZE = 100;
const EXTENSIONS: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
};

/** The MIME type of common image formats, from their first bytes. */
export function sniffImageType(data: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...data.subarray(8, 12)) === "WEBP")
    return "image/webp";
  return undefined;
}

function guessType(filename: string | undefined): string | undefined {
  const ext = filename?.toLowerCase().match(/\.[a-z0-9]+$/)?.[0];
  return Object.keys(EXTENSIONS).find(
    (mime) => EXTENSIONS[mime] === ext || (ext === ".jpeg" && mime === "image/jpeg"),
  );
}

/** Upload images (then refer to them in messages by ID), list, fetch, delete. */
export class Images extends Resource {
  /**
   * Upload an image (bytes or a `Blob`). The content type comes from `contentType`, else
   * the file name, else the image bytes. Use the returned `id` in `imageFilePart(id)`.
   */
  async upload(
    file: Uint8Array | Blob,
    params: { filename?: string; contentType?: string; sessionId?: string } = {},
    options?: RequestOptions,
  ): Promise<ImageUploadResponse> {
    const data = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    if (!data.length) throw new ValidationError("the image is empty");
    const blobType = file instanceof Uint8Array ? "" : file.type;
    const mime =
      params.contentType ??
      (blobType || undefined) ??
      guessType(params.filename) ??
      sniffImageType(data) ??
      "application/octet-stream";
    const name = params.filename ?? `image${EXTENSIONS[mime] ?? ""}`;
    const form = new FormData();
    form.append("file", new Blob([data as BlobPart], { type: mime }), name);
    return this.fetchModel(
      "ImageUploadResponse",
      { method: "POST", path: "/v1/images", query: { session_id: params.sessionId }, raw: form },
      options,
    );
  }

  /** Metadata of the organization's images, `limit` at a time from `offset`. */
  async list(
    params: { limit?: number; offset?: number } = {},
    options?: RequestOptions,
  ): Promise<ImageInfo[]> {
    return this.fetchList<ImageInfo>(
      "ImageInfo",
      { method: "GET", path: "/v1/images", query: { limit: params.limit, offset: params.offset } },
      options,
    );
  }

  /**
   * Metadata of one image. The API has no metadata endpoint for one image, so this pages
   * through `list` until it finds `imageId` (one request per 100 images).
   */
  async get(imageId: string, options?: RequestOptions): Promise<ImageInfo> {
    if (typeof imageId !== "string" || !imageId)
      throw new ValidationError("imageId must be a non-empty string");
    const seen = new Set<string>();
    let offset = 0;
    for (;;) {
      const page = await this.list({ limit: SCAN_PAGE_SIZE, offset }, options);
      const found = page.find((info) => info.id === imageId);
      if (found) return found;
      const fresh = page.filter((info) => !seen.has(info.id));
      if (!fresh.length) break; // the end, or a server that ignores offset
      for (const info of fresh) seen.add(info.id);
      offset += page.length;
    }
    throw new NotFoundError(`image ${imageId} not found`, { status: 404, code: "not_found" });
  }

  /** The image itself, as stored. */
  async content(imageId: string, options?: RequestOptions): Promise<Uint8Array> {
    const response = await this.send(
      {
        method: "GET",
        path: "/v1/images/{image_id}",
        params: { image_id: imageId },
        headers: { Accept: "image/*" },
        binary: true,
      },
      options,
    );
    return response.bytes;
  }

  /** A small JPEG preview of the image. */
  async thumbnail(imageId: string, options?: RequestOptions): Promise<Uint8Array> {
    const response = await this.send(
      {
        method: "GET",
        path: "/v1/images/{image_id}/thumbnail",
        params: { image_id: imageId },
        headers: { Accept: "image/*" },
        binary: true,
      },
      options,
    );
    return response.bytes;
  }

  async delete(imageId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid(
      { method: "DELETE", path: "/v1/images/{image_id}", params: { image_id: imageId } },
      options,
    );
  }
}
