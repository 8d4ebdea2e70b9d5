/**
 * OpenAM's "PLL" XML over HTTP POST for /amserver/namingservice and /amserver/sessionservice
 * (ssb.md §6, SIM-OWN): a RequestSet whose Request elements carry the service request as CDATA.
 * Read with fast-xml-parser after refusing DOCTYPE and ENTITY declarations outright, with entity
 * processing off.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface PllRequest {
  readonly svcid: string;
  readonly reqid: string;
  /** Each Request's inner document, parsed. */
  readonly requests: readonly Record<string, unknown>[];
}

export type PllReadResult =
  { readonly ok: true; readonly set: PllRequest } | { readonly ok: false; readonly reason: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === "Request",
});

function parse(text: string): Record<string, unknown> | string {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return "DOCTYPE and ENTITY declarations are refused";
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the parser alone accepts mismatched tags
  const valid = XMLValidator.validate(text);
  if (valid !== true) return `${valid.err.msg} (line ${valid.err.line})`;
  return parser.parse(text) as Record<string, unknown>;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");

export function readPll(text: string): PllReadResult {
  const outer = parse(text);
  if (typeof outer === "string") return { ok: false, reason: outer };
  const set = outer.RequestSet as Record<string, unknown> | undefined;
  if (typeof set !== "object") return { ok: false, reason: "expected a <RequestSet> root element" };
  const requests: Record<string, unknown>[] = [];
  for (const request of (set.Request ?? []) as unknown[]) {
    const inner = parse(
      typeof request === "string" ? request : str((request as Record<string, unknown>)["#text"]),
    );
    if (typeof inner === "string") return { ok: false, reason: `a Request's content: ${inner}` };
    requests.push(inner);
  }
  if (requests.length === 0) return { ok: false, reason: "the RequestSet has no Request" };
  return { ok: true, set: { svcid: str(set["@svcid"]), reqid: str(set["@reqid"]), requests } };
}

export const escapeXml = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** CDATA cannot contain `]]>`; responses are built from our own values, but never trust that. */
const cdata = (text: string): string => `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;

export function writePll(svcid: string, reqid: string, responses: readonly string[]): string {
  const body = responses.map((r) => `<Response>${cdata(r)}</Response>`).join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ResponseSet vers="1.0" svcid="${escapeXml(svcid)}" reqid="${escapeXml(reqid)}">${body}</ResponseSet>\n`;
}

/** An attribute of the first element named `name` anywhere in a parsed request (depth-first). */
export function findElement(node: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === name)
      return (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    const found = findElement(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

export { str as pllText };
