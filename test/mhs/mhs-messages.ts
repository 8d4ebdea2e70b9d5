/**
 * Requests as a supplier's MHS sends them, built from fixed ids so that transcripts can be golden:
 * ebXML over multipart/related (reliable and unreliable patterns, shaped like the NHS MHS adaptor's)
 * and SOAP + WS-Addressing for /sync-service.
 */
import { ACTOR_TO_PARTY_MSH, buildEbxmlMessage } from "../../src/core/messaging/ebxml-build.js";
import { buildSyncServiceRequest } from "../../src/core/messaging/soap-wsa.js";

export const SPINE_PARTY_KEY = "YES-0000806";
export const SPINE_ASID = "928942012545";

export interface Hl7Input {
  readonly interaction: string;
  readonly hl7Id: string;
  readonly senderAsid: string;
  readonly receiverAsid?: string;
  /** ControlActEvent children after author1; default a minimal subject. */
  readonly controlAct?: string;
}

export function hl7Payload(input: Hl7Input): string {
  const device = (asid: string): string =>
    `<device classCode="DEV" determinerCode="INSTANCE"><id root="1.2.826.0.1285.0.2.0.107" extension="${asid}"/></device>`;
  return [
    `<${input.interaction} xmlns="urn:hl7-org:v3">`,
    `  <id root="${input.hl7Id}"/>`,
    `  <creationTime value="20240314130512"/>`,
    `  <versionCode code="V3NPfIT3.0"/>`,
    `  <interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="${input.interaction}"/>`,
    `  <processingCode code="P"/>`,
    `  <processingModeCode code="T"/>`,
    `  <acceptAckCode code="NE"/>`,
    `  <communicationFunctionRcv typeCode="RCV">${device(input.receiverAsid ?? SPINE_ASID)}</communicationFunctionRcv>`,
    `  <communicationFunctionSnd typeCode="SND">${device(input.senderAsid)}</communicationFunctionSnd>`,
    `  <ControlActEvent classCode="CACT" moodCode="EVN">`,
    `    <author1 typeCode="AUT"><AgentSystemSDS classCode="AGNT"><agentSystemSDS classCode="DEV" determinerCode="INSTANCE"><id root="1.2.826.0.1285.0.2.0.107" extension="${input.senderAsid}"/></agentSystemSDS></AgentSystemSDS></author1>`,
    `    ${input.controlAct ?? `<subject typeCode="SUBJ"><placeholder/></subject>`}`,
    `  </ControlActEvent>`,
    `</${input.interaction}>`,
  ].join("\n");
}

export interface EbxmlRequestInput {
  readonly from: string;
  readonly to?: string;
  readonly cpaId: string;
  readonly service: string;
  readonly interaction: string;
  readonly messageId: string;
  readonly conversationId: string;
  readonly hl7Id: string;
  readonly senderAsid: string;
  readonly reliable: boolean;
  readonly timestamp?: Date;
  readonly controlAct?: string;
}

export interface BuiltRequest {
  readonly soapAction: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** An ebXML request with the reliability elements of its pattern (mhs-wire.md §4.5). */
export function ebxmlRequest(input: EbxmlRequestInput): BuiltRequest {
  const built = buildEbxmlMessage(
    {
      fromPartyId: input.from,
      toPartyId: input.to ?? SPINE_PARTY_KEY,
      cpaId: input.cpaId,
      conversationId: input.conversationId,
      service: input.service,
      action: input.interaction,
      messageId: input.messageId,
      timestamp: input.timestamp ?? new Date("2024-03-14T13:05:12Z"),
      duplicateElimination: input.reliable,
      ...(input.reliable ? { ackRequested: { actor: ACTOR_TO_PARTY_MSH } } : {}),
      syncReply: input.reliable,
    },
    {
      xml: hl7Payload({
        interaction: input.interaction,
        hl7Id: input.hl7Id,
        senderAsid: input.senderAsid,
        ...(input.controlAct === undefined ? {} : { controlAct: input.controlAct }),
      }),
    },
  );
  return { soapAction: built.soapAction, contentType: built.contentType, body: built.body };
}

export interface SyncRequestInput {
  readonly interaction?: string;
  readonly messageId: string;
  readonly hl7Id: string;
  readonly senderAsid: string;
  readonly nhsNumber: string;
}

/** A PDS retrieval query (QUPA_IN040000UK32) as the MHS adaptor sends it. */
export function pdsRetrievalRequest(input: SyncRequestInput): BuiltRequest {
  const interaction = input.interaction ?? "QUPA_IN040000UK32";
  const query = [
    `<query>`,
    `<historicDataIndicator><value code="0" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.36"/><semanticsText>historicDataIndicator</semanticsText></historicDataIndicator>`,
    `<person.id><value root="2.16.840.1.113883.2.1.4.1" extension="${input.nhsNumber}"/><semanticsText>person.id</semanticsText></person.id>`,
    `<retrievalItem><semanticsText>person.allData</semanticsText></retrievalItem>`,
    `</query>`,
  ].join("");
  const action = `urn:nhs:names:services:pdsquery/${interaction}`;
  const xml = buildSyncServiceRequest({
    messageId: input.messageId,
    action,
    to: "urn:nhs:names:services:pdsquery",
    receiverAsid: SPINE_ASID,
    senderAsid: input.senderAsid,
    body: hl7Payload({ interaction, hl7Id: input.hl7Id, senderAsid: input.senderAsid, controlAct: query }),
  });
  return { soapAction: action, contentType: "text/xml", body: Buffer.from(xml, "utf8") };
}
