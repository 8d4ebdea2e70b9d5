/**
 * Builds multipart/related bodies in the shape Spine sends (mhs-wire.md §4.3, §7.2): boundary
 * `--=_MIME-Boundary`, root part `<ebXMLHeader@spine.nhs.uk>`, CRLF line ends, part headers in the
 * order Content-Id, Content-Type, Content-Transfer-Encoding.
 */
import type { TransferEncoding } from "./mime.js";

/** The NHS boundary parameter value; delimiter lines read `----=_MIME-Boundary`. */
export const NHS_MIME_BOUNDARY = "--=_MIME-Boundary";
/** Content-Id (without brackets) of the ebXML header container in Spine's own messages. */
export const EBXML_HEADER_CONTENT_ID = "ebXMLHeader@spine.nhs.uk";

export interface MimePartInput {
  /** Without angle brackets; the builder adds them. */
  readonly contentId: string;
  /** The full Content-Type header value, e.g. `application/xml`. */
  readonly contentType: string;
  /** Default `8bit`; `base64` encodes the body and wraps it at 76 characters. */
  readonly transferEncoding?: TransferEncoding;
  readonly body: string | Buffer;
}

export interface BuildMultipartOptions {
  /** Default {@link NHS_MIME_BOUNDARY}. */
  readonly boundary?: string;
  /** Content-Id of the root part without brackets; default the first part's. */
  readonly start?: string;
  /** The `type` parameter; default `text/xml`. */
  readonly type?: string;
  /** A `charset` parameter on the multipart Content-Type, as Spine's captured replies carry; default `UTF-8`, null for none. */
  readonly charset?: string | null;
}

export interface BuiltMultipart {
  readonly body: Buffer;
  /** The HTTP Content-Type header value to send with the body. */
  readonly contentType: string;
}

const CRLF = "\r\n";

/**
 * Serialises parts into a multipart/related body and its Content-Type header value, e.g.
 * `multipart/related; boundary="--=_MIME-Boundary"; charset="UTF-8"; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"`.
 * Throws a plain Error (a programming mistake, not a wire problem) when there are no parts or a
 * body contains a delimiter line.
 */
export function buildMultipartRelated(
  parts: readonly MimePartInput[],
  options: BuildMultipartOptions = {},
): BuiltMultipart {
  const first = parts[0];
  if (first === undefined) throw new Error("a multipart/related message needs at least one part");
  const boundary = options.boundary ?? NHS_MIME_BOUNDARY;
  const delimiter = `--${boundary}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const encoding = part.transferEncoding ?? "8bit";
    const raw = typeof part.body === "string" ? Buffer.from(part.body, "utf8") : part.body;
    const encoded = encoding === "base64" ? Buffer.from(wrapBase64(raw.toString("base64")), "latin1") : raw;
    if (containsDelimiterLine(encoded, delimiter)) {
      throw new Error(
        `part <${part.contentId}> contains the delimiter line "${delimiter}"; choose another boundary`,
      );
    }
    const head =
      `${delimiter}${CRLF}` +
      `Content-Id: <${part.contentId}>${CRLF}` +
      `Content-Type: ${part.contentType}${CRLF}` +
      `Content-Transfer-Encoding: ${encoding}${CRLF}${CRLF}`;
    chunks.push(Buffer.from(head, "utf8"), encoded, Buffer.from(CRLF, "latin1"));
  }
  chunks.push(Buffer.from(`${delimiter}--${CRLF}`, "utf8"));
  const charset = options.charset === undefined ? "UTF-8" : options.charset;
  const contentType =
    `multipart/related; boundary="${boundary}"` +
    (charset === null ? "" : `; charset="${charset}"`) +
    `; type="${options.type ?? "text/xml"}"; start="<${options.start ?? first.contentId}>"`;
  return { body: Buffer.concat(chunks), contentType };
}

function wrapBase64(encoded: string): string {
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join(CRLF);
}

function containsDelimiterLine(body: Buffer, delimiter: string): boolean {
  if (body.subarray(0, delimiter.length).toString("utf8") === delimiter) return true;
  return body.includes(`\n${delimiter}`, 0, "utf8");
}
