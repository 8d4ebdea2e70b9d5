/**
 * MIME multipart/related as ebXML messages use it (mhs-wire.md §4.1–§4.2), parsed from a Buffer;
 * mime-build.ts writes it. Hand-written because no maintained npm parser both accepts what real
 * clients send (bare LF line ends, a preamble, the MHS adaptor's unquoted `start=…@…`) and reports
 * what Spine must reject (a missing closing delimiter, bad base64) with rules MIME-001..006.
 * docs/messaging-wire.md lists the packages considered and every quirk accepted.
 */
import { isXmlMediaType, parseContentType, stripAngleBrackets, type ContentType } from "./content-type.js";
import { decodeUtf8, isUtf8Charset } from "./utf8.js";
import { wireError } from "./wire-problem.js";

export { isXmlMediaType, parseContentType, stripAngleBrackets, type ContentType };

export type TransferEncoding = "7bit" | "8bit" | "binary" | "base64";

export interface MimePart {
  /** 0-based position in the message. */
  readonly index: number;
  /** Part headers by lower-cased name, folded lines joined; the first of repeated names wins. */
  readonly headers: ReadonlyMap<string, string>;
  /** Content-Id without angle brackets, when present. */
  readonly contentId?: string;
  /** Lower-cased media type; `text/plain` when the part has no Content-Type (RFC 2045 §5.2). */
  readonly mediaType: string;
  readonly contentType?: ContentType;
  readonly charset?: string;
  readonly transferEncoding: TransferEncoding;
  /** The body after transfer decoding. */
  readonly body: Buffer;
  /** The body as it travelled (still base64 when it was), for byte-exact forwarding. */
  readonly encodedBody: Buffer;
  /** The text of textual parts (XML, text/*, or with a charset) that are valid UTF-8. */
  readonly text?: string;
}

export interface MultipartRelated {
  readonly boundary: string;
  /** The `start` parameter without angle brackets, when given. */
  readonly start?: string;
  /** The `type` parameter, when given. */
  readonly type?: string;
  readonly parts: readonly MimePart[];
  /** The part named by `start`, else the first part: the ebXML header container. */
  readonly root: MimePart;
  /** The root part's UTF-8 text (checked). */
  readonly rootText: string;
}

/**
 * Parses a multipart/related body. Accepts CRLF and bare LF line ends, a preamble and an epilogue,
 * quoted or unquoted parameters, `start` with or without angle brackets (matched case-insensitively),
 * and the transfer encodings 7bit, 8bit, binary and base64 (decoded). The root part must be UTF-8
 * text; other parts are checked when read ({@link decodePartText}). Throws a WireError:
 * HTTP-007 (not multipart/related, or no boundary), MIME-001 (no delimiter, no parts, malformed part
 * headers, no closing delimiter: a truncated body), MIME-002 (no part matches `start`, or the root
 * is not XML), MIME-003 (unsupported transfer encoding, bad base64), MIME-006 (root not UTF-8).
 */
export function parseMultipartRelated(body: Buffer, contentType: string | ContentType): MultipartRelated {
  const type = typeof contentType === "string" ? parseContentType(contentType) : contentType;
  const header = typeof contentType === "string" ? contentType : "";
  if (type?.mediaType !== "multipart/related") {
    throw wireError(
      "HTTP-007",
      "HTTP Header - Content-Type",
      `Content-Type must be multipart/related on ebXML paths; got "${type?.mediaType ?? header}"`,
    );
  }
  const boundary = type.params.get("boundary");
  if (boundary === undefined || boundary === "") {
    throw wireError(
      "HTTP-007",
      "HTTP Header - Content-Type",
      'Content-Type has no boundary parameter; expected e.g. boundary="--=_MIME-Boundary"',
    );
  }
  const start = type.params.get("start");
  const parts = splitParts(body, boundary).map((raw, index) => readPart(raw, index));
  const root = selectRoot(parts, start === undefined ? undefined : stripAngleBrackets(start));
  const typeParam = type.params.get("type");
  return {
    boundary,
    ...(start === undefined ? {} : { start: stripAngleBrackets(start) }),
    ...(typeParam === undefined ? {} : { type: typeParam }),
    parts,
    root,
    rootText: decodePartText(root, "the root part"),
  };
}

/**
 * The UTF-8 text of a part that must be text (the root, the HL7 payload). Throws a WireError
 * MIME-006 naming the declared charset or the first byte that is not UTF-8.
 */
export function decodePartText(part: MimePart, role = "part"): string {
  if (part.text !== undefined) return part.text;
  const where = `${role} (part ${part.index + 1}${part.contentId === undefined ? "" : `, Content-Id <${part.contentId}>`})`;
  if (part.charset !== undefined && !isUtf8Charset(part.charset)) {
    throw wireError(
      "MIME-006",
      "charset",
      `${where} declares charset "${part.charset}"; Spine accepts UTF-8 only`,
    );
  }
  const decoded = decodeUtf8(part.body);
  if ("text" in decoded) return decoded.text;
  const byte = part.body[decoded.invalidAt] ?? 0;
  throw wireError(
    "MIME-006",
    "charset",
    `${where} is not valid UTF-8: byte 0x${byte.toString(16).padStart(2, "0")} at offset ${decoded.invalidAt}`,
  );
}

// --- splitting -------------------------------------------------------------------------------

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

/** Finds the delimiter lines and returns the raw bytes of each part (RFC 2046 §5.1.1). */
function splitParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, "utf8");
  const parts: Buffer[] = [];
  let partStart = -1;
  let searchFrom = 0;
  for (;;) {
    const at = body.indexOf(delimiter, searchFrom);
    if (at === -1) break;
    searchFrom = at + 1;
    if (at !== 0 && body[at - 1] !== LF) continue; // not at the start of a line
    let after = at + delimiter.length;
    const closing = body[after] === DASH && body[after + 1] === DASH;
    if (closing) after += 2;
    while (body[after] === 0x20 || body[after] === 0x09) after++;
    let lineEnd: number;
    if (after >= body.length) lineEnd = body.length;
    else if (body[after] === LF) lineEnd = after + 1;
    else if (body[after] === CR && body[after + 1] === LF) lineEnd = after + 2;
    else continue; // the boundary is a prefix of some longer line
    if (partStart !== -1) {
      // The line break before a delimiter belongs to the delimiter, not to the part.
      const end = at === 0 ? 0 : body[at - 2] === CR ? at - 2 : at - 1;
      parts.push(body.subarray(partStart, Math.max(partStart, end)));
    }
    if (closing) {
      if (parts.length === 0) {
        throw wireError("MIME-001", "MIME", `the body closes with "--${boundary}--" before any part`);
      }
      return parts;
    }
    partStart = lineEnd;
    searchFrom = lineEnd;
  }
  if (partStart === -1) {
    throw wireError(
      "MIME-001",
      "MIME",
      `no line "--${boundary}" in the body; the boundary parameter must match the delimiter lines`,
    );
  }
  throw wireError(
    "MIME-001",
    "MIME",
    `the body ends without the closing delimiter "--${boundary}--" (truncated after ${parts.length + 1} part(s)?)`,
  );
}

// --- one part --------------------------------------------------------------------------------

function readPart(raw: Buffer, index: number): MimePart {
  const { headers, bodyStart } = readHeaders(raw, index);
  const contentIdHeader = headers.get("content-id");
  const contentType = headers.has("content-type")
    ? parseContentType(headers.get("content-type") ?? "")
    : undefined;
  if (headers.has("content-type") && contentType === undefined) {
    throw wireError(
      "MIME-001",
      "MIME",
      `part ${index + 1} has an unreadable Content-Type "${headers.get("content-type") ?? ""}"`,
    );
  }
  const mediaType = contentType?.mediaType ?? "text/plain";
  const charset = contentType?.params.get("charset");
  const transferEncoding = readTransferEncoding(headers.get("content-transfer-encoding"), index);
  const encodedBody = raw.subarray(bodyStart);
  const body = transferEncoding === "base64" ? decodeBase64(encodedBody, index) : encodedBody;
  const contentId = contentIdHeader === undefined ? undefined : stripAngleBrackets(contentIdHeader);
  // Text is offered only where it is safely UTF-8; attachments may be opaque (GP2GP sends gzip
  // labelled application/xml), so a part is rejected for its encoding only when it is read as
  // text: the root here, the HL7 payload by its reader through decodePartText.
  const textual = isXmlMediaType(mediaType) || mediaType.startsWith("text/") || charset !== undefined;
  const decoded = textual && (charset === undefined || isUtf8Charset(charset)) ? decodeUtf8(body) : undefined;
  const text = decoded !== undefined && "text" in decoded ? decoded.text : undefined;
  return {
    index,
    headers,
    ...(contentId === undefined ? {} : { contentId }),
    mediaType,
    ...(contentType === undefined ? {} : { contentType }),
    ...(charset === undefined ? {} : { charset }),
    transferEncoding,
    body,
    encodedBody,
    ...(text === undefined ? {} : { text }),
  };
}

/** Reads `Name: value` lines up to the first empty line; continuation lines are unfolded. */
function readHeaders(raw: Buffer, index: number): { headers: Map<string, string>; bodyStart: number } {
  const headers = new Map<string, string>();
  let lastName: string | undefined;
  let position = 0;
  let lineNumber = 0;
  while (position < raw.length) {
    const newline = raw.indexOf(LF, position);
    const lineEnd = newline === -1 ? raw.length : newline;
    const next = newline === -1 ? raw.length : newline + 1;
    const line = raw.toString("utf8", position, raw[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
    lineNumber++;
    if (line === "") return { headers, bodyStart: next };
    if ((line.startsWith(" ") || line.startsWith("\t")) && lastName !== undefined) {
      headers.set(lastName, `${headers.get(lastName) ?? ""} ${line.trim()}`);
    } else {
      const colon = line.indexOf(":");
      if (colon <= 0) {
        throw wireError(
          "MIME-001",
          "MIME",
          `part ${index + 1} header line ${lineNumber} is not "Name: value" ("${line.slice(0, 60)}"); ` +
            "a blank line must separate part headers from the body",
        );
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      lastName = headers.has(name) ? undefined : name;
      if (lastName !== undefined) headers.set(name, line.slice(colon + 1).trim());
    }
    position = next;
  }
  return { headers, bodyStart: raw.length };
}

function readTransferEncoding(value: string | undefined, index: number): TransferEncoding {
  const encoding = (value ?? "7bit").trim().toLowerCase();
  if (encoding === "7bit" || encoding === "8bit" || encoding === "binary" || encoding === "base64") {
    return encoding;
  }
  throw wireError(
    "MIME-003",
    "MIME Content-Transfer-Encoding",
    `part ${index + 1} uses Content-Transfer-Encoding "${value ?? ""}"; accepted are 7bit, 8bit, binary and base64`,
  );
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUE[BASE64_ALPHABET.charCodeAt(i)] = i;
const EQUALS = 0x3d;

/**
 * Decodes base64 as RFC 2045 §6.8 says: characters outside the alphabet (line breaks, and the
 * stray characters real senders leave) are ignored; but the alphabet characters must form whole
 * 4-character groups with at most two `=` of padding at the very end, else the data is corrupt.
 */
function decodeBase64(encoded: Buffer, index: number): Buffer {
  const clean = Buffer.allocUnsafe(encoded.length);
  let length = 0;
  let padding = 0;
  for (const byte of encoded) {
    if (byte === EQUALS) {
      padding++;
      clean[length++] = byte;
    } else if ((BASE64_VALUE[byte] ?? -1) >= 0) {
      if (padding > 0) throw badBase64(index, "data continues after the '=' padding");
      clean[length++] = byte;
    }
  }
  if (padding > 2) throw badBase64(index, `${padding} '=' padding characters (at most 2)`);
  if (length % 4 !== 0) {
    throw badBase64(index, `${length} base64 characters do not form whole 4-character groups`);
  }
  return Buffer.from(clean.toString("latin1", 0, length), "base64");
}

function badBase64(index: number, why: string): Error {
  return wireError(
    "MIME-003",
    "MIME Content-Transfer-Encoding",
    `part ${index + 1} is not valid base64: ${why}`,
  );
}

function selectRoot(parts: readonly MimePart[], start: string | undefined): MimePart {
  let root: MimePart | undefined;
  if (start === undefined) {
    root = parts[0];
  } else {
    const wanted = start.toLowerCase();
    root = parts.find((p) => p.contentId?.toLowerCase() === wanted);
    if (root === undefined) {
      const ids = parts.map((p) => (p.contentId === undefined ? "(none)" : `<${p.contentId}>`)).join(", ");
      throw wireError(
        "MIME-002",
        "MIME root part",
        `no part has the Content-Id <${start}> named by start; parts: ${ids}`,
      );
    }
  }
  if (root === undefined) throw wireError("MIME-001", "MIME", "the message has no parts");
  if (root.mediaType !== "text/xml" && root.mediaType !== "application/xml") {
    throw wireError(
      "MIME-002",
      "MIME root part",
      `the root part (part ${root.index + 1}) is ${root.mediaType}; the ebXML header container must be text/xml`,
    );
  }
  return root;
}
