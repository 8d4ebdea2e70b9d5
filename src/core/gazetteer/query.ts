/**
 * The GetAddressList request as the wire gives it, the rules that check it (validation-rules.md §13,
 * GAZ-004 and GAZ-006 to GAZ-009; the SOAP reader checks the structure rules GAZ-001 to -003 and
 * -005) and the validated query the search runs. Validation reports; the profile decides.
 */
import type { GazetteerCode } from "./codes.js";

/** Request fields as strings, trimmed; empty when absent or empty. `maxno` is undefined when absent. */
export interface AddressListRequest {
  readonly messageId: string;
  readonly address1: string;
  readonly address2: string;
  readonly address3: string;
  readonly town: string;
  readonly county: string;
  readonly postcode: string;
  readonly country: string;
  readonly maxno: string | undefined;
}

export type ValidationProfile = "lenient" | "strict" | "report-only";

/** One rule's finding: what was expected where, what was found, and the code it is answered with. */
export interface Diagnostic {
  readonly ruleId: string;
  readonly severity: "error";
  /** Relative to `nasp:getAddressListRequest`, e.g. `nasp:maxno`. */
  readonly xpath: string;
  readonly expected: string;
  readonly found: string;
  readonly code: GazetteerCode;
  /** `strict` rules are enforced only in the strict profile. */
  readonly profile: "both" | "strict";
}

export interface AddressQuery {
  readonly addressLines: readonly string[];
  readonly town: string;
  readonly county: string;
  readonly postcode: string;
  /** Already defaulted and capped: 1 to 99. */
  readonly maxno: number;
}

export const defaultMaxno = 9;
export const maxMaxno = 99;

const ukCountries = new Set([
  "GBR",
  "GB",
  "UK",
  "UNITED KINGDOM",
  "ENGLAND",
  "WALES",
  "SCOTLAND",
  "NORTHERN IRELAND",
]);

export function validateRequest(request: AddressListRequest): {
  query: AddressQuery;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const fail = (
    ruleId: string,
    code: GazetteerCode,
    xpath: string,
    expected: string,
    found: string,
  ): void => {
    diagnostics.push({ ruleId, severity: "error", xpath, expected, found, code, profile: "both" });
  };
  if (request.messageId === "") {
    fail("GAZ-004", "GSB006", "nasp:messageHeader/nasp:messageId", "a non-empty message id (GUID)", "empty");
  }
  let maxno = defaultMaxno;
  if (request.maxno !== undefined && request.maxno !== "") {
    if (!/^[+-]?\d{1,9}$/.test(request.maxno)) {
      fail("GAZ-006", "GSA002", "nasp:maxno", "a whole number from 1 to 99", JSON.stringify(request.maxno));
    } else if (Number(request.maxno) < 1) {
      fail("GAZ-006", "GSB004", "nasp:maxno", "at least 1", request.maxno);
      maxno = 1;
    } else {
      // Above the service maximum is capped silently (gazetteer.md G5).
      maxno = Math.min(Number(request.maxno), maxMaxno);
    }
  }
  const country = request.country.toUpperCase().replace(/\s+/g, " ");
  if (country !== "" && !ukCountries.has(country)) {
    fail(
      "GAZ-009",
      "GSB005",
      "nasp:postalAddress/nasp:country",
      "empty or a UK value (GBR, GB, UK, UNITED KINGDOM, ENGLAND, WALES, SCOTLAND, NORTHERN IRELAND)",
      request.country,
    );
  }
  const search = [
    request.address1,
    request.address2,
    request.address3,
    request.town,
    request.county,
    request.postcode,
  ];
  if (search.every((value) => value === "")) {
    fail(
      "GAZ-007",
      "GSA001",
      "nasp:postalAddress",
      "at least one search element with a value",
      "every search element empty",
    );
  } else if (request.postcode === "" && (request.address1 === "" || request.town === "")) {
    fail(
      "GAZ-008",
      "GSB003",
      "nasp:postalAddress",
      "a postcode, or address1 and town",
      `postcode empty, address1 ${request.address1 === "" ? "empty" : "given"}, town ${request.town === "" ? "empty" : "given"}`,
    );
  }
  return {
    query: {
      addressLines: [request.address1, request.address2, request.address3].filter((line) => line !== ""),
      town: request.town,
      county: request.county,
      postcode: request.postcode,
      maxno,
    },
    diagnostics,
  };
}

/** The diagnostic the request is answered with under this profile, if any: the first that applies. */
export function rejection(
  diagnostics: readonly Diagnostic[],
  profile: ValidationProfile,
): Diagnostic | undefined {
  if (profile === "report-only") return undefined;
  return diagnostics.find((d) => d.profile === "both" || profile === "strict");
}
