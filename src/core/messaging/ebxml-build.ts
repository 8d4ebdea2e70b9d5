/**
 * ebXML messages Spine writes: the synchronous eb:Acknowledgment and MessageError answers
 * (mhs-wire.md §5.1, §5.2) and the asynchronous messages it POSTs to suppliers (§7). Written as
 * plain strings rather than through a DOM builder: the shapes are fixed, element order matters
 * to clients, and acknowledgements are on the hot path of every reliable exchange.
 */
import type { EbxmlHeader } from "./ebxml.js";
import { buildMultipartRelated, EBXML_HEADER_CONTENT_ID, type MimePartInput } from "./mime-build.js";
import { buildSoapAction } from "./soap-action.js";
import { NS, escapeXmlAttribute as attr, escapeXmlText as text } from "./xml.js";

export const PARTY_TYPE = "urn:nhs:names:partyType:ocs+serviceInstance";
export const EBXML_MSG_SERVICE = "urn:oasis:names:tc:ebxml-msg:service";
export const ACTOR_TO_PARTY_MSH = "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH";
export const ACTOR_NEXT_MSH = "urn:oasis:names:tc:ebxml-msg:actor:nextMSH";
export const SOAP_ACTOR_NEXT = "http://schemas.xmlsoap.org/soap/actor/next";
export const EBXML_ERROR_CODE_CONTEXT = "urn:oasis:names:tc:ebxml-msg:service:errors";
export const HL7_MESSAGE_SCHEMA = {
  location: "http://www.nhsia.nhs.uk/schemas/HL7-Message.xsd",
  version: "1.0",
};

/** `YYYY-MM-DDThh:mm:ssZ` in UTC, the commonest form in NHS examples (decision V7). */
export function formatEbxmlTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface SignalOptions {
  readonly now: Date;
  /** The new eb:MessageId (an upper-case UUID in Spine's own messages). */
  readonly messageId: string;
  /** Spine's party key, `YES-0000806` in INT-shaped data. */
  readonly spinePartyKey: string;
}

/**
 * The eb:Acknowledgment Spine returns for a reliable request with SyncReply (§5.1): parties
 * swapped, CPAId and ConversationId copied, RefToMessageId = the request's eb:MessageId, no
 * reliability elements, an empty Body. Send with HTTP 202 and `Content-Type: text/xml`.
 */
export function buildAcknowledgment(request: EbxmlHeader, options: SignalOptions): string {
  const timestamp = formatEbxmlTimestamp(options.now);
  // The ack answers the AckRequested actor; only an intermediary hop asks for nextMSH (§11).
  const actor = request.ackRequested?.actor === ACTOR_NEXT_MSH ? ACTOR_NEXT_MSH : ACTOR_TO_PARTY_MSH;
  return signal(request, "Acknowledgment", options, [
    `    <eb:Acknowledgment SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="${actor}">`,
    `      <eb:Timestamp>${timestamp}</eb:Timestamp>`,
    `      <eb:RefToMessageId>${text(request.messageId)}</eb:RefToMessageId>`,
    `      ${party("From", options.spinePartyKey)}`,
    `    </eb:Acknowledgment>`,
  ]);
}

export interface EbxmlErrorInput {
  /** The ebMS 2.0 code (`ValueNotRecognized`, `Inconsistent`, `MimeProblem`, …) or a Spine number. */
  readonly errorCode: string;
  /** The six-digit description code, e.g. `501319`. */
  readonly code: string;
  /** The description text, e.g. `Unknown eb:CPAId`. */
  readonly text: string;
  /** Default `Error`. */
  readonly severity?: "Error" | "Warning";
  /** Default `urn:oasis:names:tc:ebxml-msg:service:errors`. */
  readonly codeContext?: string;
}

/**
 * The ebXML MessageError (§5.2): the acknowledgement's header with Action `MessageError` and an
 * eb:ErrorList holding one eb:Error per problem, each described `NNNNNN:text`. Send with HTTP 200
 * (the simulator's default, §8) and `Content-Type: text/xml`.
 */
export function buildMessageError(
  request: EbxmlHeader,
  errors: readonly EbxmlErrorInput[],
  options: SignalOptions,
): string {
  if (errors.length === 0) throw new Error("a MessageError needs at least one error");
  const highest = errors.some((e) => (e.severity ?? "Error") === "Error") ? "Error" : "Warning";
  const lines = [
    `    <eb:ErrorList SOAP:mustUnderstand="1" eb:version="2.0" eb:highestSeverity="${highest}">`,
  ];
  for (const error of errors) {
    const context = attr(error.codeContext ?? EBXML_ERROR_CODE_CONTEXT);
    const description = error.code === "" ? error.text : `${error.code}:${error.text}`;
    lines.push(
      `      <eb:Error eb:codeContext="${context}" eb:errorCode="${attr(error.errorCode)}" eb:severity="${error.severity ?? "Error"}">`,
      `        <eb:Description xml:lang="en-GB">${text(description)}</eb:Description>`,
      `      </eb:Error>`,
    );
  }
  lines.push(`    </eb:ErrorList>`);
  return signal(request, "MessageError", options, lines);
}

/** The header of an ebXML message Spine originates. */
export interface OutboundEbxmlHeader {
  readonly fromPartyId: string;
  readonly toPartyId: string;
  readonly cpaId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
  readonly messageId: string;
  readonly timestamp: Date;
  readonly refToMessageId?: string;
  readonly timeToLive?: Date;
  readonly duplicateElimination: boolean;
  /** Present when the receiver's contract asks for acknowledgement; `actor` per `nhsMHSActor`. */
  readonly ackRequested?: { readonly actor: string };
  readonly syncReply: boolean;
}

export interface ReplyContract {
  /** Receiver's CPA id for the reply interaction (`nhsMhsCPAId` of its entry). */
  readonly cpaId: string;
  readonly duplicateElimination: boolean;
  /** The `nhsMHSActor` when `nhsMHSAckRequested` is `always`; absent otherwise. */
  readonly ackActor?: string;
  readonly syncReply: boolean;
}

/**
 * The header of Spine's asynchronous reply to a request (§7.3): from Spine to the requester,
 * same ConversationId, RefToMessageId = the request's **eb:MessageId** (not its HL7 id), and the
 * reliability elements of the requester's contract for the reply interaction.
 */
export function asyncReplyHeader(
  request: EbxmlHeader,
  reply: {
    readonly service: string;
    readonly action: string;
    readonly contract: ReplyContract;
  } & SignalOptions,
): OutboundEbxmlHeader {
  return {
    fromPartyId: reply.spinePartyKey,
    toPartyId: request.fromPartyId,
    cpaId: reply.contract.cpaId,
    conversationId: request.conversationId,
    service: reply.service,
    action: reply.action,
    messageId: reply.messageId,
    timestamp: reply.now,
    refToMessageId: request.messageId,
    duplicateElimination: reply.contract.duplicateElimination,
    ...(reply.contract.ackActor === undefined ? {} : { ackRequested: { actor: reply.contract.ackActor } }),
    syncReply: reply.contract.syncReply,
  };
}

export interface EbxmlPayloadInput {
  /** The HL7 message. */
  readonly xml: string;
  /** Default `<eb:MessageId>@spine.nhs.uk` (§7.2). */
  readonly contentId?: string;
  /** Default `application/xml` (§7.2). */
  readonly contentType?: string;
  /** Default `HL7 payload`. */
  readonly description?: string;
  /** Default the HL7-Message.xsd reference; MCCI replies use `urn:hl7-org:v3_MCCI_IN010000UK13.xsd` / `13`. */
  readonly schema?: { readonly location: string; readonly version: string };
}

export interface EbxmlAttachmentInput extends MimePartInput {
  readonly description?: string;
}

export interface BuiltEbxmlMessage {
  readonly body: Buffer;
  /** The HTTP Content-Type value, as Spine's captured replies send it. */
  readonly contentType: string;
  /** The HTTP SOAPAction value: `<service>/<action>`. */
  readonly soapAction: string;
  /** The ebXML header container (root part) as text, for the journal. */
  readonly envelope: string;
}

/** A complete ebXML message (§4.3, §7.2): header container, HL7 payload, then any attachments. */
export function buildEbxmlMessage(
  header: OutboundEbxmlHeader,
  payload: EbxmlPayloadInput,
  attachments: readonly EbxmlAttachmentInput[] = [],
): BuiltEbxmlMessage {
  const payloadId = payload.contentId ?? `${header.messageId}@spine.nhs.uk`;
  const schema = payload.schema ?? HL7_MESSAGE_SCHEMA;
  const references = [
    `      <eb:Reference xlink:href="cid:${attr(payloadId)}">`,
    `        <eb:Schema eb:location="${attr(schema.location)}" eb:version="${attr(schema.version)}"/>`,
    `        <eb:Description xml:lang="en">${text(payload.description ?? "HL7 payload")}</eb:Description>`,
    `        <hl7ebxml:Payload style="HL7" encoding="XML" version="3.0"/>`,
    `      </eb:Reference>`,
  ];
  for (const attachment of attachments) {
    references.push(
      `      <eb:Reference xlink:href="cid:${attr(attachment.contentId)}">`,
      `        <eb:Description xml:lang="en">${text(attachment.description ?? "")}</eb:Description>`,
      `      </eb:Reference>`,
    );
  }
  const envelope = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<SOAP:Envelope xmlns:SOAP="${NS.soap}" xmlns:eb="${NS.eb}" xmlns:hl7ebxml="${NS.hl7ebxml}" xmlns:xlink="${NS.xlink}">`,
    `  <SOAP:Header>`,
    ...messageHeader(header),
    ...(header.ackRequested === undefined
      ? []
      : [
          `    <eb:AckRequested SOAP:mustUnderstand="1" eb:version="2.0" eb:signed="false" SOAP:actor="${attr(header.ackRequested.actor)}"/>`,
        ]),
    ...(header.syncReply
      ? [`    <eb:SyncReply SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="${SOAP_ACTOR_NEXT}"/>`]
      : []),
    `  </SOAP:Header>`,
    `  <SOAP:Body>`,
    `    <eb:Manifest SOAP:mustUnderstand="1" eb:version="2.0">`,
    ...references,
    `    </eb:Manifest>`,
    `  </SOAP:Body>`,
    `</SOAP:Envelope>`,
  ].join("\n");
  const { body, contentType } = buildMultipartRelated([
    { contentId: EBXML_HEADER_CONTENT_ID, contentType: "text/xml", body: envelope },
    { contentId: payloadId, contentType: payload.contentType ?? "application/xml", body: payload.xml },
    ...attachments,
  ]);
  return { body, contentType, soapAction: buildSoapAction(header.service, header.action), envelope };
}

// ---------------------------------------------------------------------------------------------

function party(element: "From" | "To", partyId: string): string {
  return `<eb:${element}><eb:PartyId eb:type="${PARTY_TYPE}">${text(partyId)}</eb:PartyId></eb:${element}>`;
}

function messageHeader(header: OutboundEbxmlHeader): string[] {
  return [
    `    <eb:MessageHeader SOAP:mustUnderstand="1" eb:version="2.0">`,
    `      ${party("From", header.fromPartyId)}`,
    `      ${party("To", header.toPartyId)}`,
    `      <eb:CPAId>${text(header.cpaId)}</eb:CPAId>`,
    `      <eb:ConversationId>${text(header.conversationId)}</eb:ConversationId>`,
    `      <eb:Service>${text(header.service)}</eb:Service>`,
    `      <eb:Action>${text(header.action)}</eb:Action>`,
    `      <eb:MessageData>`,
    `        <eb:MessageId>${text(header.messageId)}</eb:MessageId>`,
    `        <eb:Timestamp>${formatEbxmlTimestamp(header.timestamp)}</eb:Timestamp>`,
    ...(header.refToMessageId === undefined
      ? []
      : [`        <eb:RefToMessageId>${text(header.refToMessageId)}</eb:RefToMessageId>`]),
    ...(header.timeToLive === undefined
      ? []
      : [`        <eb:TimeToLive>${formatEbxmlTimestamp(header.timeToLive)}</eb:TimeToLive>`]),
    `      </eb:MessageData>`,
    ...(header.duplicateElimination ? [`      <eb:DuplicateElimination/>`] : []),
    `    </eb:MessageHeader>`,
  ];
}

/** Acknowledgment and MessageError share everything but the Action and the signal element. */
function signal(
  request: EbxmlHeader,
  action: "Acknowledgment" | "MessageError",
  options: SignalOptions,
  signalLines: readonly string[],
): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<SOAP:Envelope xmlns:SOAP="${NS.soap}" xmlns:eb="${NS.eb}">`,
    `  <SOAP:Header>`,
    ...messageHeader({
      fromPartyId: options.spinePartyKey,
      toPartyId: request.fromPartyId,
      cpaId: request.cpaId,
      conversationId: request.conversationId,
      service: EBXML_MSG_SERVICE,
      action,
      messageId: options.messageId,
      timestamp: options.now,
      refToMessageId: request.messageId,
      duplicateElimination: false,
      syncReply: false,
    }),
    ...signalLines,
    `  </SOAP:Header>`,
    `  <SOAP:Body/>`,
    `</SOAP:Envelope>`,
  ].join("\n");
}
