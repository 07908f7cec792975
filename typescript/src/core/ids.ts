/** Client-side IDs and names: UUIDv7-based `<prefix>_<32 hex>` IDs and slug rules. */
import { ValidationError } from "./errors";

export const NAME_MAX_LENGTH = 64;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** 32 hex digits of a UUIDv7: a millisecond timestamp first, so IDs sort by creation. */
export function uuid7Hex(): string {
  const random = new Uint8Array(10);
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (crypto) crypto.getRandomValues(random);
  else for (let i = 0; i < random.length; i++) random[i] = Math.floor(Math.random() * 256); // Node 18 without the global

  const millis = Date.now().toString(16).padStart(12, "0").slice(-12);
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  const variant = ((Number.parseInt(hex.slice(3, 4), 16) & 0x3) | 0x8).toString(16);
  return `${millis}7${hex.slice(0, 3)}${variant}${hex.slice(4, 19)}`;
}

/** A new ID such as `agent_0193...`; IDs of one prefix sort by creation time. */
export function generateId(prefix: string): string {
  return `${prefix}_${uuid7Hex()}`;
}

/** The slug for a human name: `"Customer Support"` -> `"customer-support"` ("" if none). */
export function slugify(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, NAME_MAX_LENGTH).replace(/-+$/, "");
}

/** Check an agent or harness name: a slug of at most 64 characters. */
export function validateName(name: unknown, kind = "agent"): string {
  if (typeof name !== "string") throw new ValidationError(`${kind} name must be a string`);
  if (!name) throw new ValidationError(`${kind} name must not be empty`);
  if (name.length > NAME_MAX_LENGTH) {
    throw new ValidationError(
      `${kind} name ${JSON.stringify(name.slice(0, 20))}... is ${name.length} characters; at most ${NAME_MAX_LENGTH} are allowed`,
    );
  }
  if (!SLUG.test(name)) {
    const hint = slugify(name);
    const suggestion = hint ? ` (for example ${JSON.stringify(hint)})` : "";
    throw new ValidationError(
      `${kind} name ${JSON.stringify(name)} is not a slug: use lowercase letters, digits and single hyphens, starting and ending with a letter or digit${suggestion}`,
    );
  }
  return name;
}

/**
 * Accept a human name where a slug is expected, as the quick start does: `"Assistant"`
 * becomes the slug `assistant`, the original kept as the display name (unless one is given).
 */
export function agentNameAndDisplay(
  name: string,
  displayName: string | null | undefined,
): [string, string | null | undefined] {
  if (typeof name === "string" && SLUG.test(name) && name.length <= NAME_MAX_LENGTH) {
    return [name, displayName];
  }
  const slug = typeof name === "string" ? slugify(name) : "";
  if (!slug || name.length > 4 * NAME_MAX_LENGTH) validateName(name);
  return [slug, displayName ?? name];
}
