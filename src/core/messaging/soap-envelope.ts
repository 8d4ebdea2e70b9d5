/**
 * The SOAP 1.1 envelope shared by both wire formats: the ebXML header container and the
 * /sync-service request (validation-rules.md §3, rules SOAP-002..004).
 */
import { WireError, wireErrorOf, type WireProblem } from "./wire-problem.js";
import { NS, childElement, childElements, parseXml, textContent, type XmlElement } from "./xml.js";

export interface SoapEnvelope {
  readonly envelope: XmlElement;
  readonly header: XmlElement;
  readonly body: XmlElement;
}

const SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";

/**
 * Finds the Envelope, Header and Body of a SOAP 1.1 message, whatever their prefixes. Accepts
 * the XML text (parsed with {@link parseXml}, so SOAP-001 problems surface too) or a parsed root.
 * Throws a WireError: SOAP-002 (the root is not a SOAP 1.1 Envelope), SOAP-003 and SOAP-004
 * (Header or Body missing or repeated; both reported together).
 */
export function readSoapEnvelope(xml: string | XmlElement, location = "SOAP envelope"): SoapEnvelope {
  const envelope = typeof xml === "string" ? parseXml(xml, { location }) : xml;
  if (envelope.localName !== "Envelope" || envelope.namespace !== NS.soap) {
    const what =
      envelope.namespace === SOAP_12
        ? "a SOAP 1.2 Envelope; Spine speaks SOAP 1.1 only"
        : `<${envelope.name}> in namespace "${envelope.namespace}"`;
    throw new WireError([
      {
        ruleId: "SOAP-002",
        location: "soapEnvelopeCount",
        message: `the document element is ${what}; expected Envelope in ${NS.soap}`,
      },
    ]);
  }
  const headers = childElements(envelope, NS.soap, "Header");
  const bodies = childElements(envelope, NS.soap, "Body");
  const [header] = headers;
  const [body] = bodies;
  if (header !== undefined && body !== undefined && headers.length === 1 && bodies.length === 1) {
    return { envelope, header, body };
  }
  const problems: WireProblem[] = [];
  if (headers.length !== 1) {
    problems.push({
      ruleId: "SOAP-003",
      location: "soapHeaderCount",
      message: `the Envelope has ${headers.length} SOAP Header elements; exactly one is required`,
    });
  }
  if (bodies.length !== 1) {
    problems.push({
      ruleId: "SOAP-004",
      location: "soapBodyCount",
      message: `the Envelope has ${bodies.length} SOAP Body elements; exactly one is required`,
    });
  }
  throw wireErrorOf(problems);
}

export interface SoapFaultError {
  readonly codeContext?: string;
  readonly errorCode?: string;
  readonly severity?: string;
  readonly location?: string;
  readonly description?: string;
}

export interface SoapFault {
  readonly faultcode: string;
  readonly faultstring: string;
  /** The `detail/nasp:errorList/nasp:error` entries (mhs-wire.md §5.3); empty when there are none. */
  readonly errors: readonly SoapFaultError[];
}

/**
 * Reads a SOAP Fault, as a supplier may answer Spine's asynchronous deliveries (§7.4). Returns
 * undefined when the document is a SOAP envelope without a Fault in its Body; throws a WireError
 * when it is not XML or not a SOAP envelope. A Fault needs no SOAP Header.
 */
export function readSoapFault(xml: string | XmlElement): SoapFault | undefined {
  const envelope = typeof xml === "string" ? parseXml(xml, { location: "SOAP Fault" }) : xml;
  if (envelope.localName !== "Envelope" || envelope.namespace !== NS.soap) {
    throw new WireError([
      {
        ruleId: "SOAP-002",
        location: "soapEnvelopeCount",
        message: `<${envelope.name}> is not a SOAP 1.1 Envelope`,
      },
    ]);
  }
  const body = childElement(envelope, NS.soap, "Body");
  const fault = body === undefined ? undefined : childElement(body, NS.soap, "Fault");
  if (fault === undefined) return undefined;
  // faultcode, faultstring and detail are unqualified in SOAP 1.1; tolerate qualified ones too.
  const plain = (parent: XmlElement, name: string): XmlElement | undefined =>
    parent.children.find((c) => c.localName === name && (c.namespace === "" || c.namespace === NS.soap));
  const text = (parent: XmlElement | undefined, name: string, namespace?: string): string | undefined => {
    const element =
      parent === undefined
        ? undefined
        : namespace === undefined
          ? plain(parent, name)
          : childElement(parent, namespace, name);
    return element === undefined ? undefined : textContent(element);
  };
  const detail = plain(fault, "detail");
  const errorList = detail === undefined ? undefined : childElement(detail, NS.nasp, "errorList");
  const errors = (errorList === undefined ? [] : childElements(errorList, NS.nasp, "error")).map((error) => {
    const fields: Record<string, string | undefined> = {
      codeContext: text(error, "codeContext", NS.nasp),
      errorCode: text(error, "errorCode", NS.nasp),
      severity: text(error, "severity", NS.nasp),
      location: text(error, "location", NS.nasp),
      description: text(error, "description", NS.nasp),
    };
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  });
  return { faultcode: text(fault, "faultcode") ?? "", faultstring: text(fault, "faultstring") ?? "", errors };
}
