/**
 * The ebXML 2.0 envelope model: every MessageHeader field and flag, the manifest, and the
 * Acknowledgment or ErrorList a response carries (mhs-wire.md §4.4–§4.6, §5). Parsing is tolerant:
 * a missing required field becomes `""` and is reported as its EBXML-HDR rule, so a validator can
 * report every problem at once and scenarios can waive rules (validation-rules.md V1, V3).
 */
import { readSoapEnvelope, type SoapEnvelope } from "./soap-envelope.js";
import type { WireProblem, WireRuleId } from "./wire-problem.js";
import { NS, attributeValue, childElement, childElements, textContent, type XmlElement } from "./xml.js";

export interface EbxmlAckRequested {
  readonly version?: string;
  readonly signed?: string;
  readonly actor?: string;
}

export interface EbxmlSyncReply {
  readonly version?: string;
  readonly actor?: string;
}

export interface EbxmlManifestReference {
  /** `xlink:href` as written, e.g. `cid:C614484E-…@spine.nhs.uk` or `mid:…`. */
  readonly href: string;
  /** For `cid:` references: the Content-Id it names, URL-decoded, without brackets. */
  readonly contentId?: string;
  readonly description?: string;
  readonly schema?: { readonly location?: string; readonly version?: string };
  /** The `hl7ebxml:Payload` marker of HL7 parts (either namespace spelling). */
  readonly hl7Payload?: { readonly style?: string; readonly encoding?: string; readonly version?: string };
}

export interface EbxmlAcknowledgment {
  readonly version?: string;
  readonly actor?: string;
  readonly timestamp?: string;
  readonly refToMessageId?: string;
  readonly fromPartyId?: string;
}

export interface EbxmlErrorDetail {
  readonly errorCode: string;
  readonly severity?: string;
  readonly codeContext?: string;
  readonly location?: string;
  /** The Description text, e.g. `501319:Unknown eb:CPAId`. */
  readonly description?: string;
  /** The six-digit code before the colon of the Description, when it has one. */
  readonly descriptionCode?: string;
}

export interface EbxmlErrorList {
  readonly highestSeverity?: string;
  readonly errors: readonly EbxmlErrorDetail[];
}

export interface EbxmlHeader {
  readonly fromPartyId: string;
  readonly fromPartyType?: string;
  readonly toPartyId: string;
  readonly toPartyType?: string;
  readonly cpaId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
  readonly messageId: string;
  readonly timestamp: string;
  readonly refToMessageId?: string;
  readonly timeToLive?: string;
  /** `eb:MessageHeader/@eb:version` as written (rule EBXML-HDR-011). */
  readonly messageHeaderVersion?: string;
  readonly duplicateElimination: boolean;
  readonly ackRequested?: EbxmlAckRequested;
  readonly syncReply: boolean;
  readonly syncReplyAttributes?: EbxmlSyncReply;
  /** `eb:Manifest/@eb:version` as written (rule EBXML-MAN-001). */
  readonly manifestVersion?: string;
  readonly manifest: readonly EbxmlManifestReference[];
  readonly acknowledgment?: EbxmlAcknowledgment;
  readonly errorList?: EbxmlErrorList;
}

export interface EbxmlEnvelope {
  readonly header: EbxmlHeader;
  readonly soap: SoapEnvelope;
  /** EBXML-HDR-001..010 failures: required header elements missing, repeated or empty. */
  readonly problems: readonly WireProblem[];
}

/**
 * Reads the ebXML envelope from the root part's XML text (or its parsed root element). Throws a
 * WireError only when there is no SOAP envelope to read (SOAP-001..004); header problems are
 * returned in `problems`.
 */
export function parseEbxmlEnvelope(xml: string | XmlElement): EbxmlEnvelope {
  const soap = readSoapEnvelope(xml, "ebXML header part");
  const problems: WireProblem[] = [];
  const headers = childElements(soap.header, NS.eb, "MessageHeader");
  if (headers.length !== 1) {
    problems.push({
      ruleId: "EBXML-HDR-001",
      location: "eb:MessageHeader",
      message: `SOAP:Header has ${headers.length} eb:MessageHeader elements; exactly one is required`,
    });
  }
  const messageHeader = headers[0];
  // Without a MessageHeader, EBXML-HDR-001 alone says it all; no need to list every field.
  const required = (parent: XmlElement | undefined, name: string, ruleId: WireRuleId, field: string) =>
    messageHeader === undefined ? "" : readRequired(parent, name, ruleId, `ebXMLSchema.${field}`, problems);

  const from = messageHeader === undefined ? undefined : childElement(messageHeader, NS.eb, "From");
  const to = messageHeader === undefined ? undefined : childElement(messageHeader, NS.eb, "To");
  const fromPartyId = required(from, "PartyId", "EBXML-HDR-002", "fromPartyId");
  const toPartyId = required(to, "PartyId", "EBXML-HDR-003", "toPartyId");
  const cpaId = required(messageHeader, "CPAId", "EBXML-HDR-004", "cpaId");
  const conversationId = required(messageHeader, "ConversationId", "EBXML-HDR-005", "conversationId");
  const service = required(messageHeader, "Service", "EBXML-HDR-006", "service");
  const action = required(messageHeader, "Action", "EBXML-HDR-007", "action");
  required(messageHeader, "MessageData", "EBXML-HDR-008", "messageData");
  const messageData =
    messageHeader === undefined ? undefined : childElement(messageHeader, NS.eb, "MessageData");
  const messageId = required(messageData, "MessageId", "EBXML-HDR-009", "messageId");
  const timestamp = required(messageData, "Timestamp", "EBXML-HDR-010", "timestamp");

  const ackRequested = childElement(soap.header, NS.eb, "AckRequested");
  const syncReply = childElement(soap.header, NS.eb, "SyncReply");
  const manifest = childElement(soap.body, NS.eb, "Manifest");
  const acknowledgment = childElement(soap.header, NS.eb, "Acknowledgment");
  const errorList = childElement(soap.header, NS.eb, "ErrorList");

  const header: EbxmlHeader = {
    fromPartyId,
    ...optional("fromPartyType", partyType(from)),
    toPartyId,
    ...optional("toPartyType", partyType(to)),
    cpaId,
    conversationId,
    service,
    action,
    messageId,
    timestamp,
    ...optional("refToMessageId", optionalText(messageData, "RefToMessageId")),
    ...optional("timeToLive", optionalText(messageData, "TimeToLive")),
    ...optional("messageHeaderVersion", messageHeader && ebAttribute(messageHeader, "version")),
    duplicateElimination:
      messageHeader !== undefined && childElement(messageHeader, NS.eb, "DuplicateElimination") !== undefined,
    ...optional(
      "ackRequested",
      ackRequested && {
        ...optional("version", ebAttribute(ackRequested, "version")),
        ...optional("signed", ebAttribute(ackRequested, "signed")),
        ...optional("actor", attributeValue(ackRequested, NS.soap, "actor")),
      },
    ),
    syncReply: syncReply !== undefined,
    ...optional(
      "syncReplyAttributes",
      syncReply && {
        ...optional("version", ebAttribute(syncReply, "version")),
        ...optional("actor", attributeValue(syncReply, NS.soap, "actor")),
      },
    ),
    ...optional("manifestVersion", manifest && ebAttribute(manifest, "version")),
    manifest: manifest === undefined ? [] : childElements(manifest, NS.eb, "Reference").map(readReference),
    ...optional("acknowledgment", acknowledgment && readAcknowledgment(acknowledgment)),
    ...optional("errorList", errorList && readErrorList(errorList)),
  };
  return { header, soap, problems };
}

/** The Content-Id a `cid:` manifest href names (URL-decoded), or undefined for other schemes. */
export function contentIdOfHref(href: string): string | undefined {
  if (!/^cid:/i.test(href)) return undefined;
  const id = href.slice(4).trim();
  try {
    return decodeURIComponent(id);
  } catch {
    return id; // a stray % is not worth rejecting here; MIME-004 compares what is left
  }
}

// ---------------------------------------------------------------------------------------------

/** Spreads `{ [key]: value }` only when the value is present (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function ebAttribute(element: XmlElement, name: string): string | undefined {
  return attributeValue(element, NS.eb, name);
}

function partyType(parent: XmlElement | undefined): string | undefined {
  const party = parent === undefined ? undefined : childElement(parent, NS.eb, "PartyId");
  return party === undefined ? undefined : ebAttribute(party, "type");
}

function optionalText(parent: XmlElement | undefined, name: string): string | undefined {
  const element = parent === undefined ? undefined : childElement(parent, NS.eb, name);
  return element === undefined ? undefined : textContent(element);
}

/** Exactly one `eb:<name>` child of `parent`, with non-empty content (S2X asserts both). */
function readRequired(
  parent: XmlElement | undefined,
  name: string,
  ruleId: WireRuleId,
  location: string,
  problems: WireProblem[],
): string {
  const found = parent === undefined ? [] : childElements(parent, NS.eb, name);
  const element = found[0];
  const value = element === undefined ? "" : textContent(element);
  const hasContent = element !== undefined && (value !== "" || element.children.length > 0);
  if (found.length !== 1 || !hasContent) {
    const what =
      found.length > 1 ? `appears ${found.length} times` : found.length === 0 ? "is missing" : "is empty";
    problems.push({
      ruleId,
      location,
      message: `eb:${name} ${what}; exactly one non-empty element is required`,
    });
  }
  return element !== undefined && element.children.length === 0 ? value : "";
}

function readReference(reference: XmlElement): EbxmlManifestReference {
  const href =
    attributeValue(reference, NS.xlink, "href") ??
    reference.attributes.find((a) => a.localName === "href")?.value ??
    "";
  const description = childElement(reference, NS.eb, "Description");
  const schema = childElement(reference, NS.eb, "Schema");
  const payload =
    childElement(reference, NS.hl7ebxml, "Payload") ??
    childElement(reference, NS.hl7ebxmlLowerCase, "Payload");
  return {
    href,
    ...optional("contentId", contentIdOfHref(href)),
    ...optional("description", description && textContent(description)),
    ...optional(
      "schema",
      schema && {
        ...optional("location", ebAttribute(schema, "location")),
        ...optional("version", ebAttribute(schema, "version")),
      },
    ),
    ...optional(
      "hl7Payload",
      payload && {
        ...optional("style", attributeValue(payload, "", "style")),
        ...optional("encoding", attributeValue(payload, "", "encoding")),
        ...optional("version", attributeValue(payload, "", "version")),
      },
    ),
  };
}

function readAcknowledgment(element: XmlElement): EbxmlAcknowledgment {
  return {
    ...optional("version", ebAttribute(element, "version")),
    ...optional("actor", attributeValue(element, NS.soap, "actor")),
    ...optional("timestamp", optionalText(element, "Timestamp")),
    ...optional("refToMessageId", optionalText(element, "RefToMessageId")),
    ...optional("fromPartyId", optionalText(childElement(element, NS.eb, "From"), "PartyId")),
  };
}

function readErrorList(element: XmlElement): EbxmlErrorList {
  return {
    ...optional("highestSeverity", ebAttribute(element, "highestSeverity")),
    errors: childElements(element, NS.eb, "Error").map((error): EbxmlErrorDetail => {
      const description = optionalText(error, "Description");
      const code = description === undefined ? undefined : /^\s*(\d{6})\s*:/.exec(description)?.[1];
      return {
        errorCode: ebAttribute(error, "errorCode") ?? "",
        ...optional("severity", ebAttribute(error, "severity")),
        ...optional("codeContext", ebAttribute(error, "codeContext")),
        ...optional("location", ebAttribute(error, "location")),
        ...optional("description", description),
        ...optional("descriptionCode", code),
      };
    }),
  };
}
