/**
 * The SOAPAction header as clients really send it (mhs-wire.md §9 C8, C10): unquoted (MHS adaptor)
 * or wrapped in double quotes (SpineTools), sometimes with the doubled `urn:urn:` prefix that
 * Spine-hosted services are said to produce. Compared case-sensitively after normalising (V18).
 */
import { wireError } from "./wire-problem.js";

export interface SoapAction {
  /** The header value as received. */
  readonly raw: string;
  /** Quotes removed and `urn:urn:` reduced to `urn:`, e.g. `urn:nhs:names:services:pdsquery/QUPA_IN040000UK32`. */
  readonly value: string;
  /** Everything before the last `/`: the service URN (`eb:Service`). */
  readonly service: string;
  /** Everything after the last `/`: the interaction id (`eb:Action`); `""` when there is no `/`. */
  readonly interaction: string;
}

/** Removes surrounding whitespace and one pair of quotes, and one leading `urn:` from `urn:urn:`. */
export function normaliseSoapAction(raw: string): string {
  let value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    value = value.slice(1, -1).trim();
  }
  return value.startsWith("urn:urn:") ? value.slice(4) : value;
}

/**
 * Normalises and splits a SOAPAction header. Node joins repeated headers into one string; an
 * array (from other HTTP stacks) uses its first value. Throws a WireError HTTP-003 (answered with
 * TMS 101) when the header is absent or empty after normalising.
 */
export function parseSoapAction(header: string | readonly string[] | undefined): SoapAction {
  const raw = typeof header === "string" ? header : (header?.[0] ?? "");
  const value = normaliseSoapAction(raw);
  if (value === "") {
    throw wireError(
      "HTTP-003",
      "HTTP Header - SOAPAction",
      header === undefined
        ? "the SOAPAction header is missing; send <service>/<interaction>, e.g. urn:nhs:names:services:pdsquery/QUPA_IN040000UK32"
        : "the SOAPAction header is empty; send <service>/<interaction>",
    );
  }
  const slash = value.lastIndexOf("/");
  return slash === -1
    ? { raw, value, service: value, interaction: "" }
    : { raw, value, service: value.slice(0, slash), interaction: value.slice(slash + 1) };
}

export interface BuildSoapActionOptions {
  /** Emit the doubled `urn:urn:` prefix some NHS tools send (quirk flag, default off). */
  readonly doubleUrnPrefix?: boolean;
}

/** The SOAPAction for a Spine-originated message: `<service>/<action>`, unquoted. */
export function buildSoapAction(
  service: string,
  action: string,
  options: BuildSoapActionOptions = {},
): string {
  const value = `${service}/${action}`;
  return options.doubleUrnPrefix === true && value.startsWith("urn:") ? `urn:${value}` : value;
}
