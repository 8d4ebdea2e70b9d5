/**
 * The web-service exchange on /sync-service (mhs-wire.md §6): SOAP 1.1 with a WS-Addressing
 * 2004/08 header carrying the HL7 communicationFunction ASIDs, the HL7 interaction in the Body.
 * Parsing reports WS-ADDR-001..005 beside the model rather than throwing, so validators decide.
 */
import { ASID_ROOT } from "./hl7.js";
import { readSoapEnvelope, type SoapEnvelope } from "./soap-envelope.js";
import type { WireProblem } from "./wire-problem.js";
import {
  NS,
  attributeValue,
  childElement,
  childElements,
  escapeXmlAttribute as attr,
  escapeXmlText as text,
  textContent,
  type XmlElement,
} from "./xml.js";

export interface SyncServiceRequest {
  /** `wsa:MessageID` as sent: `uuid:` + UUID from conforming clients. */
  readonly messageId: string;
  readonly action: string;
  /** `wsa:To`: a service URN (MHS adaptor) or a URL (SpineTools); not required to be a URL (C12). */
  readonly to: string;
  readonly fromAddress?: string;
  readonly replyToAddress?: string;
  /** Extension of `hl7:communicationFunctionRcv/hl7:device/hl7:id[@root=ASID_ROOT]`: Spine's ASID. */
  readonly receiverAsid: string;
  /** Extension of `hl7:communicationFunctionSnd/…`: the requester's ASID. */
  readonly senderAsid: string;
  /** The first element of SOAP:Body: the HL7 interaction (or a wrapper around it). */
  readonly payload?: XmlElement;
  readonly soap: SoapEnvelope;
}

export interface ParsedSyncServiceRequest {
  readonly request: SyncServiceRequest;
  /** WS-ADDR-001..005 failures (validation-rules.md §7). */
  readonly problems: readonly WireProblem[];
}

/**
 * Reads a /sync-service request body. Throws a WireError only when there is no SOAP envelope to
 * read (SOAP-001..004); missing or malformed WS-Addressing fields come back in `problems`.
 */
export function parseSyncServiceRequest(xml: string | XmlElement): ParsedSyncServiceRequest {
  const soap = readSoapEnvelope(xml, "SOAP message");
  const problems: WireProblem[] = [];
  const { header } = soap;

  const messageIds = childElements(header, NS.wsa, "MessageID");
  const messageId = messageIds[0] === undefined ? "" : textContent(messageIds[0]);
  if (messageIds.length !== 1 || messageId.length !== 41) {
    problems.push({
      ruleId: "WS-ADDR-001",
      location: "SOAP:Header/wsa:MessageID",
      message:
        messageIds.length === 0
          ? "wsa:MessageID is missing; send uuid: followed by a UUID"
          : messageIds.length > 1
            ? `wsa:MessageID appears ${messageIds.length} times; exactly one is required`
            : `wsa:MessageID "${messageId}" is ${messageId.length} characters; Spine requires uuid: + a 36-character UUID (41)`,
    });
  }
  const actions = childElements(header, NS.wsa, "Action");
  if (actions.length !== 1) {
    problems.push({
      ruleId: "WS-ADDR-002",
      location: "SOAP:Header/wsa:Action",
      message: `wsa:Action appears ${actions.length} times; exactly one is required`,
    });
  }
  const tos = childElements(header, NS.wsa, "To");
  const to = tos[0] === undefined ? "" : textContent(tos[0]);
  if (tos.length !== 1 || to === "") {
    problems.push({
      ruleId: "WS-ADDR-003",
      location: "SOAP:Header/wsa:To",
      message:
        tos.length === 1
          ? "wsa:To is empty; send the service URN or URL"
          : `wsa:To appears ${tos.length} times; exactly one is required`,
    });
  }
  const receiverAsid = readAsid(header, "communicationFunctionRcv", "WS-ADDR-004", problems);
  const senderAsid = readAsid(header, "communicationFunctionSnd", "WS-ADDR-005", problems);
  const fromAddress = address(childElement(header, NS.wsa, "From"));
  const replyToAddress = address(childElement(header, NS.wsa, "ReplyTo"));
  const payload = soap.body.children[0];

  const request: SyncServiceRequest = {
    messageId,
    action: actions[0] === undefined ? "" : textContent(actions[0]),
    to,
    ...(fromAddress === undefined ? {} : { fromAddress }),
    ...(replyToAddress === undefined ? {} : { replyToAddress }),
    receiverAsid,
    senderAsid,
    ...(payload === undefined ? {} : { payload }),
    soap,
  };
  return { request, problems };
}

export interface SyncServiceResponseOptions {
  /** New UUID for `wsa:MessageID`, without the `uuid:` prefix. */
  readonly messageId: string;
  /** `<service>/<response interaction>`, e.g. `urn:nhs:names:services:pdsquery/QUPA_IN050000UK32`. */
  readonly action: string;
  /** `wsa:From/wsa:Address`: the service, e.g. `urn:nhs:names:services:pdsquery`. */
  readonly fromAddress: string;
  /** Spine's ASID for the service (communicationFunctionSnd of the response). */
  readonly spineAsid: string;
  /** The XML placed in SOAP-ENV:Body: the service's response wrapper with the HL7 inside. */
  readonly body: string;
}

/**
 * The /sync-service response (§6.2): new wsa:MessageID, wsa:RelatesTo = the request's
 * wsa:MessageID exactly as sent, ASIDs swapped (Rcv = the requester's), the body the caller
 * supplies. The default namespace is `urn:hl7-org:v3` as in Spine's captures, so unprefixed body
 * elements are HL7. Send with HTTP 200 and `Content-Type: text/xml`.
 */
export function buildSyncServiceResponse(
  request: Pick<SyncServiceRequest, "messageId" | "senderAsid">,
  options: SyncServiceResponseOptions,
): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap}" xmlns:wsa="${NS.wsa}" xmlns:crs="${NS.crs}" xmlns="${NS.hl7}">`,
    `  <SOAP-ENV:Header>`,
    `    <wsa:MessageID>uuid:${text(options.messageId)}</wsa:MessageID>`,
    `    <wsa:Action>${text(options.action)}</wsa:Action>`,
    `    <wsa:To/>`,
    `    <wsa:From><wsa:Address>${text(options.fromAddress)}</wsa:Address></wsa:From>`,
    `    ${communicationFunction("communicationFunctionRcv", "RCV", request.senderAsid, "")}`,
    `    ${communicationFunction("communicationFunctionSnd", "SND", options.spineAsid, "")}`,
    `    <wsa:RelatesTo>${text(request.messageId)}</wsa:RelatesTo>`,
    `  </SOAP-ENV:Header>`,
    `  <SOAP-ENV:Body>`,
    stripXmlDeclaration(options.body),
    `  </SOAP-ENV:Body>`,
    `</SOAP-ENV:Envelope>`,
  ].join("\n");
}

export interface SyncServiceRequestInput {
  /** UUID without the `uuid:` prefix. */
  readonly messageId: string;
  readonly action: string;
  readonly to: string;
  readonly receiverAsid: string;
  readonly senderAsid: string;
  /** The HL7 interaction XML for SOAP-ENV:Body. */
  readonly body: string;
}

/** A request shaped like the NHS MHS adaptor's (§6.1), for tests, benches and examples. */
export function buildSyncServiceRequest(input: SyncServiceRequestInput): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap}" xmlns:wsa="${NS.wsa}" xmlns:hl7="${NS.hl7}">`,
    `  <SOAP-ENV:Header>`,
    `    <wsa:MessageID>uuid:${text(input.messageId)}</wsa:MessageID>`,
    `    <wsa:Action>${text(input.action)}</wsa:Action>`,
    `    <wsa:To>${text(input.to)}</wsa:To>`,
    `    <wsa:From><wsa:Address/></wsa:From>`,
    `    ${communicationFunction("communicationFunctionRcv", "RCV", input.receiverAsid, "hl7:")}`,
    `    ${communicationFunction("communicationFunctionSnd", "SND", input.senderAsid, "hl7:")}`,
    `    <wsa:ReplyTo><wsa:Address/></wsa:ReplyTo>`,
    `  </SOAP-ENV:Header>`,
    `  <SOAP-ENV:Body>`,
    stripXmlDeclaration(input.body),
    `  </SOAP-ENV:Body>`,
    `</SOAP-ENV:Envelope>`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

function readAsid(
  header: XmlElement,
  name: "communicationFunctionRcv" | "communicationFunctionSnd",
  ruleId: "WS-ADDR-004" | "WS-ADDR-005",
  problems: WireProblem[],
): string {
  const wrapper = childElement(header, NS.hl7, name);
  const device = wrapper === undefined ? undefined : childElement(wrapper, NS.hl7, "device");
  const ids =
    device === undefined
      ? []
      : childElements(device, NS.hl7, "id").filter((id) => attributeValue(id, "", "root") === ASID_ROOT);
  const asid = ids[0] === undefined ? "" : (attributeValue(ids[0], "", "extension") ?? "").trim();
  if (ids.length !== 1 || asid === "") {
    problems.push({
      ruleId,
      location: `SOAP:Header/hl7:${name}`,
      message:
        ids.length === 0
          ? `hl7:${name}/hl7:device/hl7:id with root ${ASID_ROOT} is missing`
          : ids.length > 1
            ? `hl7:${name}/hl7:device has ${ids.length} ASID ids; exactly one is required`
            : `hl7:${name}/hl7:device/hl7:id has an empty extension; it must carry the ASID`,
    });
  }
  return asid;
}

function address(parent: XmlElement | undefined): string | undefined {
  const element = parent === undefined ? undefined : childElement(parent, NS.wsa, "Address");
  return element === undefined ? undefined : textContent(element);
}

function communicationFunction(name: string, typeCode: string, asid: string, prefix: string): string {
  const p = prefix;
  return (
    `<${p}${name} typeCode="${typeCode}"><${p}device classCode="DEV" determinerCode="INSTANCE">` +
    `<${p}id root="${ASID_ROOT}" extension="${attr(asid)}"/></${p}device></${p}${name}>`
  );
}

function stripXmlDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml[^?]*\?>\s*/, "");
}
