/**
 * Content-Type header values as real clients write them (mhs-wire.md §4.1, §9 C9): parameters
 * quoted or not, and unquoted values holding `@`, `<`, `>` and `/`, which RFC-strict parsers reject.
 */

export interface ContentType {
  /** `type/subtype`, lower-cased. */
  readonly mediaType: string;
  /** Parameters by lower-cased name; values unquoted, case kept. The first of repeated names wins. */
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses a Content-Type header value. Parameter values may be quoted (with backslash escapes) or
 * unquoted, and unquoted values may contain `@`, `<`, `>` and `/` as real clients send them.
 * Returns undefined when the value has no `type/subtype`.
 */
export function parseContentType(header: string): ContentType | undefined {
  const semicolon = header.indexOf(";");
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  const slash = mediaType.indexOf("/");
  if (slash <= 0 || !TOKEN.test(mediaType.slice(0, slash)) || !TOKEN.test(mediaType.slice(slash + 1))) {
    return undefined;
  }
  const params = new Map<string, string>();
  let i = semicolon === -1 ? header.length : semicolon + 1;
  while (i < header.length) {
    const eq = header.indexOf("=", i);
    const nextSemicolon = header.indexOf(";", i);
    if (eq === -1 || (nextSemicolon !== -1 && nextSemicolon < eq)) {
      // A parameter without a value carries nothing; skip it as lenient parsers do.
      i = nextSemicolon === -1 ? header.length : nextSemicolon + 1;
      continue;
    }
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (header[j] === " " || header[j] === "\t") j++;
    let value: string;
    if (header[j] === '"') {
      value = "";
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === "\\" && j + 1 < header.length) j++;
        value += header[j] ?? "";
        j++;
      }
      const end = header.indexOf(";", j);
      i = end === -1 ? header.length : end + 1;
    } else {
      const end = header.indexOf(";", j);
      value = header.slice(j, end === -1 ? header.length : end).trim();
      i = end === -1 ? header.length : end + 1;
    }
    if (name !== "" && !params.has(name)) params.set(name, value);
  }
  return { mediaType, params };
}

/** Removes surrounding angle brackets and whitespace from a Content-Id or `start` value. */
export function stripAngleBrackets(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1).trim() : trimmed;
}

/** True for media types whose content is XML text (`text/xml`, `application/xml`, `…+xml`). */
export function isXmlMediaType(mediaType: string): boolean {
  return mediaType === "text/xml" || mediaType === "application/xml" || mediaType.endsWith("+xml");
}
