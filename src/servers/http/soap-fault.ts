/**
 * The SOAP Fault Spine answers with for transport and TMS failures (reference/mhs-wire.md §5.3):
 * HTTP 500, Content-Type exactly `text/xml`, one nasp:error per failure.
 */
import { create } from "xmlbuilder2";

export interface TmsError {
  readonly code: string;
  readonly location: string;
  readonly description: string;
}

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const NASP = "http://national.carerecords.nhs.uk/schema/";

/** TMS 101 and 201 are the client's fault; everything else is the server's (errors.md §2). */
const clientCodes = new Set(["101", "201"]);

export function buildSoapFault(errors: readonly TmsError[]): string {
  const faultcode = errors.some((e) => clientCodes.has(e.code)) ? "SOAP:Client" : "SOAP:Server";
  const fault = create({ version: "1.0", encoding: "UTF-8" })
    .ele(SOAP, "SOAP:Envelope")
    .ele(SOAP, "SOAP:Body")
    .ele(SOAP, "SOAP:Fault");
  fault.ele("faultcode").txt(faultcode);
  fault.ele("faultstring").txt("Application Exception");
  const list = fault.ele("detail").ele(NASP, "nasp:errorList");
  for (const error of errors) {
    const item = list.ele(NASP, "nasp:error");
    item.ele(NASP, "nasp:codeContext").txt("urn:nhs:names:error:tms");
    item.ele(NASP, "nasp:errorCode").txt(error.code);
    item.ele(NASP, "nasp:severity").txt("Error");
    item.ele(NASP, "nasp:location").txt(error.location);
    item.ele(NASP, "nasp:description").txt(error.description);
  }
  return fault.doc().end({ prettyPrint: false });
}

export const soapFaultContentType = "text/xml";
