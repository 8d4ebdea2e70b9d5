/**
 * UTF-8 decoding that refuses anything else (rule MIME-006): Spine traffic is UTF-8 throughout,
 * and a message in another encoding must be named as such rather than silently mangled.
 */
import { isUtf8 } from "node:buffer";

const BOM = "\uFEFF";

/** Charset labels that mean UTF-8 text (US-ASCII is a subset, so ASCII-labelled text is accepted too). */
export function isUtf8Charset(label: string): boolean {
  const name = label.trim().toLowerCase();
  return name === "utf-8" || name === "utf8" || name === "us-ascii" || name === "ascii";
}

/**
 * Decodes UTF-8 bytes to a string without a byte-order mark, or returns the offset of the first
 * byte that is not valid UTF-8 (so a problem report can point at it).
 */
export function decodeUtf8(bytes: Buffer): { text: string } | { invalidAt: number } {
  if (!isUtf8(bytes)) return { invalidAt: firstInvalidUtf8Offset(bytes) };
  const text = bytes.toString("utf8");
  return { text: text.startsWith(BOM) ? text.slice(1) : text };
}

/** Only called on the failure path: finds where the bytes stop being UTF-8. */
export function firstInvalidUtf8Offset(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (lead < 0x80) {
      i += 1;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = lead & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
