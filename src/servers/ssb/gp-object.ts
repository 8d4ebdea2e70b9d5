/**
 * GAS's "gpOBJECT" wire format (ssb.md §2). Requests are read leniently, without an XML parser, as
 * real clients write them: a DOCTYPE naming gpOBJECT.DTD is ignored and never fetched, `&` may be
 * unescaped, and each `<gpPARAM name="…" …>value</gpPARAM>` is taken as it stands. Responses put
 * each gpPARAM on its own line with `name="x">` straight after the name (clients match with regular
 * expressions) and leave `&` unescaped, as the captured INT responses do.
 */

export type GpReadResult =
  | { readonly ok: true; readonly params: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly reason: string };

const paramPattern = /<gpPARAM\b([^>]*)>([^<]*)<\/gpPARAM\s*>/gi;
const namePattern = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)')/i;
const entities: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else stays as written. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    const known = entities[lower];
    if (known !== undefined) return known;
    const code = lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export function readGpObject(text: string): GpReadResult {
  if (!/<gpOBJECT\b/i.test(text)) return { ok: false, reason: "the body has no <gpOBJECT> element" };
  // An internal DTD subset could declare entities; GAS requests only ever name an external DTD.
  if (/<!ENTITY/i.test(text)) return { ok: false, reason: "ENTITY declarations are refused" };
  const params = new Map<string, string>();
  for (const match of text.matchAll(paramPattern)) {
    const name = namePattern.exec(match[1] ?? "");
    const key = name?.[1] ?? name?.[2];
    if (key === undefined)
      return { ok: false, reason: `a gpPARAM has no name attribute: ${match[0].slice(0, 80)}` };
    if (!params.has(key)) params.set(key, decode(match[2] ?? "").trim());
  }
  if (params.size === 0) return { ok: false, reason: "the gpOBJECT has no gpPARAM children" };
  return { ok: true, params };
}

/** One response line: `[name, value]` or `[name, value, extra attributes written after name]`. */
export type GpParam = readonly [name: string, value: string, extra?: readonly (readonly [string, string])[]];

const attribute = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
/** Text stays as Spine writes it (`&` unescaped); only `<` is escaped so that a line stays one element. */
const text = (value: string): string => value.replace(/</g, "&lt;");

export function writeGpObject(gasBase: string, params: readonly GpParam[]): string {
  const lines = params.map(([name, value, extra]) => {
    const more = (extra ?? []).map(([k, v]) => ` ${k}="${attribute(v)}"`).join("");
    return `<gpPARAM name="${attribute(name)}"${more}>${text(value)}</gpPARAM>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!DOCTYPE USER SYSTEM "${attribute(gasBase)}/login/dtd">`,
    "<gpOBJECT>",
    ...lines,
    "</gpOBJECT>",
    "",
  ].join("\n");
}

/** The GAS error body (ssb.md §3.3, errors.md §7). */
export function writeGpError(gasBase: string, error: string, logSessionId: string): string {
  return writeGpObject(gasBase, [
    ["error", error],
    ["error_url", `${gasBase}/login/error`],
    ["log_session_id", logSessionId],
  ]);
}

/** `<HTML><STATUS>OK</STATUS></HTML>`, the answer of logout, role selection and device-id logging. */
export const htmlOk = "<HTML><STATUS>OK</STATUS></HTML>";

/** SIM-OWN failure page: never contains the upper-case string OK (clients test "body contains OK"). */
export function htmlFailed(message: string): string {
  const safe = message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/OK/g, "ok");
  return `<HTML><STATUS>FAILED</STATUS><MESSAGE>${safe}</MESSAGE></HTML>`;
}
