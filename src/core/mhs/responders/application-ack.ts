/**
 * The application acknowledgement MCCI_IN010000UK13 (mhs-wire.md §12) as a reply: AA for accepted
 * reliable updates, AE 914 when no responder is configured for an unreliable query (decision V12),
 * AR with 17.32 codes for rejections such as a duplicate HL7 id (code 202, DUP-002).
 */
import {
  buildApplicationAcknowledgement,
  MCCI_INTERACTION,
  type AckDetailInput,
  type AckTypeCode,
} from "../../messaging/mcci.js";
import type { Responder, ResponderReply, ResponderRequest } from "./responder.js";

/** The manifest Spine's own MCCI replies carry (mhs-wire.md §4.6). */
export const MCCI_SCHEMA = { location: "urn:hl7-org:v3_MCCI_IN010000UK13.xsd", version: "13" } as const;

export function applicationAcknowledgement(
  request: ResponderRequest,
  typeCode: AckTypeCode,
  details: readonly AckDetailInput[] = [],
  outcome = `MCCI_IN010000UK13 ${typeCode}`,
): ResponderReply {
  return {
    interaction: MCCI_INTERACTION,
    outcome,
    description: "Application Acknowledgement",
    schema: MCCI_SCHEMA,
    xml: buildApplicationAcknowledgement({
      messageId: request.newId(),
      creationTime: request.now,
      typeCode,
      acknowledgedMessageId: request.hl7.messageId ?? "",
      receiverAsid: request.senderAsid,
      spineAsid: request.spineAsid,
      details,
    }),
  };
}

/** AA for an accepted reliable message. */
export const acceptReliableUpdate: Responder = (request) =>
  applicationAcknowledgement(request, "AA", [], `${request.interaction} accepted: MCCI_IN010000UK13 AA`);

/** Errors.md §4: the texts the simulator uses for its own AR/AE details. */
export const ackDetails = {
  duplicateHl7Id: { code: "202", displayName: "Duplicate HL7 ID Error" },
  noResponder: { code: "914", displayName: "No simulated response is configured for this interaction" },
} as const satisfies Record<string, AckDetailInput>;
