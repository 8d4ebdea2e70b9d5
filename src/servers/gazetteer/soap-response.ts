/**
 * Writes getAddressListResponse (gazetteer.md §3, §4) with xmlbuilder2: the address list with
 * totalmatches, or an errorList inside the messageHeader, placed before the empty securityPackage
 * as in the published error example.
 */
import { create } from "xmlbuilder2";
import { gazetteerCodeContext, gazetteerCodes, type GazetteerCode } from "../../core/gazetteer/codes.js";
import type { AddressLines } from "../../core/gazetteer/format-address.js";
import { naspNamespace, soapNamespace } from "./soap-request.js";

const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

type XMLBuilder = ReturnType<typeof create>;

export interface GazetteerErrorItem {
  readonly code: GazetteerCode;
  /** An XPointer to the offending part, when there is one. */
  readonly location?: string | undefined;
}

function responseElement(): XMLBuilder {
  return create({ version: "1.0", encoding: "UTF-8" })
    .ele(soapNamespace, "SOAP-ENV:Envelope")
    .ele(soapNamespace, "SOAP-ENV:Header")
    .up()
    .ele(soapNamespace, "SOAP-ENV:Body")
    .ele(naspNamespace, "nasp:getAddressListResponse");
}

export function buildAddressListResponse(
  messageId: string,
  addresses: readonly AddressLines[],
  totalMatches: number,
): string {
  const response = responseElement();
  const header = response.ele(naspNamespace, "nasp:messageHeader");
  header.ele(naspNamespace, "nasp:messageId").txt(messageId);
  header.ele(naspNamespace, "nasp:securityPackage").att(xsiNamespace, "xsi:nil", "true");
  const list = response.ele(naspNamespace, "nasp:addressList");
  for (const address of addresses) {
    const item = list.ele(naspNamespace, "nasp:postalAddress");
    field(item, "address1", address.address1);
    field(item, "address2", address.address2);
    field(item, "address3", address.address3);
    field(item, "town", address.town);
    field(item, "county", address.county);
    field(item, "postCode", address.postCode);
    field(item, "country", address.country);
    field(item, "addressKey", String(address.addressKey));
  }
  response.ele(naspNamespace, "nasp:totalmatches").txt(String(totalMatches));
  return response.doc().end({ prettyPrint: false });
}

export function buildErrorResponse(messageId: string, errors: readonly GazetteerErrorItem[]): string {
  const response = responseElement();
  const header = response.ele(naspNamespace, "nasp:messageHeader");
  header.ele(naspNamespace, "nasp:messageId").txt(messageId);
  const list = header.ele(naspNamespace, "nasp:errorList");
  for (const error of errors) {
    const info = gazetteerCodes[error.code];
    const item = list.ele(naspNamespace, "nasp:error");
    item.ele(naspNamespace, "nasp:codeContext").txt(gazetteerCodeContext);
    item.ele(naspNamespace, "nasp:errorCode").txt(error.code);
    item.ele(naspNamespace, "nasp:severity").txt(info.severity);
    if (error.location !== undefined) item.ele(naspNamespace, "nasp:location").txt(error.location);
    item.ele(naspNamespace, "nasp:description").txt(info.description);
  }
  header.ele(naspNamespace, "nasp:securityPackage");
  return response.doc().end({ prettyPrint: false });
}

function field(parent: XMLBuilder, name: string, value: string): void {
  const element = parent.ele(naspNamespace, `nasp:${name}`);
  if (value !== "") element.txt(value);
}
