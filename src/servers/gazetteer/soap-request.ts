/**
 * Reads a GetAddressList SOAP request (gazetteer.md §2) and checks its structure: GAZ-001 to GAZ-003
 * and GAZ-005 (validation-rules.md §13). Like every validator here it reports rather than throws,
 * and it always yields a best-effort request (first occurrence wins) so that the report-only profile
 * can carry on.
 */
import type { AddressListRequest, Diagnostic } from "../../core/gazetteer/query.js";
import { childrenNamed, type XmlElement } from "./xml-tree.js";

export const soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
export const naspNamespace = "http://national.carerecords.nhs.uk/schema/";
/** Where diagnostics' relative xpaths start. */
export const requestXpath = "/SOAP-ENV:Envelope/SOAP-ENV:Body/nasp:getAddressListRequest";

export type SoapReadResult =
  | {
      readonly kind: "request";
      readonly request: AddressListRequest;
      readonly diagnostics: readonly Diagnostic[];
    }
  /** Not a SOAP 1.1 envelope with a Body: answered with a SOAP Fault (G3). */
  | { readonly kind: "not-soap"; readonly location: string; readonly reason: string };

const addressFields = ["address1", "address2", "address3", "town", "county", "country"] as const;

export function readAddressListRequest(root: XmlElement): SoapReadResult {
  if (root.localName !== "Envelope" || root.namespace !== soapNamespace) {
    const found = root.namespace === undefined ? `<${root.name}>` : `<${root.name}> in ${root.namespace}`;
    return {
      kind: "not-soap",
      location: "SOAP:Envelope",
      reason: `expected a SOAP 1.1 Envelope (${soapNamespace}); found ${found}`,
    };
  }
  const bodies = childrenNamed(root, soapNamespace, "Body");
  const body = bodies[0];
  if (bodies.length !== 1 || body === undefined) {
    return {
      kind: "not-soap",
      location: "SOAP:Body",
      reason: `expected one SOAP Body; found ${bodies.length}`,
    };
  }

  const diagnostics: Diagnostic[] = [];
  const structure = (
    ruleId: string,
    xpath: string,
    expected: string,
    found: string,
    profile: "both" | "strict" = "both",
  ): void => {
    diagnostics.push({ ruleId, severity: "error", xpath, expected, found, code: "GSA002", profile });
  };
  const count = (
    parent: XmlElement | undefined,
    name: string,
    ruleId: string,
    xpath: string,
    min: 0 | 1,
  ): XmlElement | undefined => {
    const found = parent === undefined ? [] : childrenNamed(parent, naspNamespace, name);
    if (parent !== undefined && (found.length > 1 || found.length < min)) {
      structure(
        ruleId,
        xpath,
        `${min === 1 ? "exactly one" : "at most one"} nasp:${name}`,
        `${found.length}`,
      );
    }
    return found[0];
  };

  const requests = childrenNamed(body, naspNamespace, "getAddressListRequest");
  if (requests.length !== 1) {
    const others = body.children.map((c) => `{${c.namespace ?? ""}}${c.localName}`).join(", ");
    structure(
      "GAZ-001",
      "",
      `exactly one {${naspNamespace}}getAddressListRequest in the SOAP Body`,
      `${requests.length}${others === "" ? "" : ` (the Body holds ${others})`}`,
    );
  }
  const request = requests[0];
  const header = count(request, "messageHeader", "GAZ-002", "nasp:messageHeader", 1);
  const address = count(request, "postalAddress", "GAZ-002", "nasp:postalAddress", 1);
  const maxno = count(request, "maxno", "GAZ-002", "nasp:maxno", 0);

  const messageId = count(header, "messageId", "GAZ-002", "nasp:messageHeader/nasp:messageId", 0);
  const security = header === undefined ? [] : childrenNamed(header, naspNamespace, "securityPackage");
  if (
    header !== undefined &&
    (security.length !== 1 || security[0]?.text.trim() !== "" || security[0].children.length > 0)
  ) {
    structure(
      "GAZ-005",
      "nasp:messageHeader/nasp:securityPackage",
      "one empty nasp:securityPackage",
      security.length === 1 ? "content" : `${security.length}`,
      "strict",
    );
  }

  const fields: Record<(typeof addressFields)[number] | "postcode", string> = {
    address1: "",
    address2: "",
    address3: "",
    town: "",
    county: "",
    country: "",
    postcode: "",
  };
  for (const field of addressFields) {
    fields[field] = textOf(count(address, field, "GAZ-003", `nasp:postalAddress/nasp:${field}`, 0));
  }
  // Spine's validator accepts either spelling, but only one of them, once.
  const postcodes =
    address === undefined
      ? []
      : [
          ...childrenNamed(address, naspNamespace, "postcode"),
          ...childrenNamed(address, naspNamespace, "postCode"),
        ];
  if (postcodes.length > 1)
    structure(
      "GAZ-003",
      "nasp:postalAddress/nasp:postcode",
      "at most one nasp:postcode or nasp:postCode",
      `${postcodes.length}`,
    );
  fields.postcode = textOf(postcodes[0]);

  return {
    kind: "request",
    request: {
      messageId: textOf(messageId),
      ...fields,
      maxno: maxno === undefined ? undefined : textOf(maxno),
    },
    diagnostics,
  };
}

function textOf(element: XmlElement | undefined): string {
  return element === undefined ? "" : element.text.trim();
}
