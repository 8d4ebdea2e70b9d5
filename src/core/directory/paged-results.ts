/**
 * The simple paged results control (RFC 2696, 1.2.840.113556.1.4.319). The cookie is opaque to
 * clients; inside it names the search it belongs to (a fingerprint of base, scope and filter), how
 * many entries were returned so far, and the tree-order key of the last one. Because entries are
 * kept in a stable tree order, the next page starts after that key even if the directory changed
 * between pages: no entry is returned twice and none that existed throughout is skipped.
 *
 * Unlike OpenLDAP, whose cookies are bound to one connection, these cookies are stateless and work
 * on any connection (docs/differences-from-spine.md).
 */
import { createHash } from "node:crypto";

export interface PageCursor {
  readonly fingerprint: string;
  readonly returned: number;
  readonly afterKey: string;
}

export function searchFingerprint(baseKey: string, scope: string, filter: string): string {
  return createHash("sha256").update(`${baseKey}\n${scope}\n${filter}`).digest("base64url").slice(0, 16);
}

export function encodeCookie(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([1, cursor.fingerprint, cursor.returned, cursor.afterKey])).toString(
    "base64url",
  );
}

/** The cursor inside a cookie, or undefined if the cookie was not made by encodeCookie. */
export function decodeCookie(cookie: string): PageCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cookie, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [version, fingerprint, returned, afterKey] = parsed as unknown[];
    if (version !== 1 || typeof fingerprint !== "string" || typeof afterKey !== "string") return undefined;
    if (typeof returned !== "number" || !Number.isInteger(returned) || returned < 0) return undefined;
    return { fingerprint, returned, afterKey };
  } catch {
    return undefined;
  }
}
