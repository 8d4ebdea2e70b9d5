/**
 * The HL7 V3 transmission wrapper Spine puts around its replies (mhs-wire.md §12, §14), with the
 * ControlActEvent content left to each responder. Unprefixed, in the `urn:hl7-org:v3` default
 * namespace as in the captured PDS replies, declared on the root so the same text works inside a
 * /sync-service body and as an asynchronous payload.
 */
import { ASID_ROOT, INTERACTION_ID_ROOT } from "../../messaging/hl7.js";
import { formatHl7Timestamp } from "../../messaging/mcci.js";
import { escapeXmlAttribute as attr } from "../../messaging/xml.js";
import type { ResponderRequest } from "./responder.js";

export interface Hl7MessageInput {
  readonly interaction: string;
  readonly acknowledgement?: "AA" | "AE" | "AR";
  /** The ControlActEvent's children after author1 (subject, reason, queryAck…). */
  readonly controlAct: readonly string[];
  /** Default `V3NPfIT3.0` (SIM-OWN default, mhs-wire.md §12). */
  readonly versionCode?: string;
}

const device = (asid: string): string =>
  `<device classCode="DEV" determinerCode="INSTANCE"><id root="${ASID_ROOT}" extension="${attr(asid)}"/></device>`;

/** A reply to `request`: new id, now, Rcv = the requester, Snd and author = Spine. */
export function buildHl7Message(request: ResponderRequest, input: Hl7MessageInput): string {
  const lines = [
    `<${input.interaction} xmlns="urn:hl7-org:v3">`,
    `  <id root="${request.newId()}"/>`,
    `  <creationTime value="${formatHl7Timestamp(request.now)}"/>`,
    `  <versionCode code="${attr(input.versionCode ?? "V3NPfIT3.0")}"/>`,
    `  <interactionId root="${INTERACTION_ID_ROOT}" extension="${attr(input.interaction)}"/>`,
    `  <processingCode code="P"/>`,
    `  <processingModeCode code="T"/>`,
    `  <acceptAckCode code="NE"/>`,
  ];
  if (input.acknowledgement !== undefined) {
    lines.push(
      `  <acknowledgement typeCode="${input.acknowledgement}">`,
      `    <messageRef><id root="${attr(request.hl7.messageId ?? "")}"/></messageRef>`,
      `  </acknowledgement>`,
    );
  }
  lines.push(
    `  <communicationFunctionRcv typeCode="RCV">${device(request.senderAsid)}</communicationFunctionRcv>`,
    `  <communicationFunctionSnd typeCode="SND">${device(request.spineAsid)}</communicationFunctionSnd>`,
    `  <ControlActEvent classCode="CACT" moodCode="EVN">`,
    `    <author1 typeCode="AUT"><AgentSystemSDS classCode="AGNT"><agentSystemSDS classCode="DEV" determinerCode="INSTANCE"><id root="${ASID_ROOT}" extension="${attr(request.spineAsid)}"/></agentSystemSDS></AgentSystemSDS></author1>`,
    ...input.controlAct.map((line) => `    ${line}`),
    `  </ControlActEvent>`,
    `</${input.interaction}>`,
  );
  return lines.join("\n");
}

/** HL7 `queryAck` with a query response code: OK, NF (no data found), AE, QE. */
export function queryAck(code: "OK" | "NF" | "AE" | "QE"): string {
  return `<queryAck type="QueryAck"><queryResponseCode code="${code}"/></queryAck>`;
}
