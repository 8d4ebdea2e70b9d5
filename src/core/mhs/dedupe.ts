/**
 * Duplicate memory (validation-rules.md §11, decision V11). ebXML duplicates are keyed on the
 * eb:From party key and the upper-cased eb:MessageId; HL7 duplicates on the upper-cased `id/@root`.
 * The window is the `nhsMHSPersistDuration` of Spine's contract for the service-interaction, else
 * one hour. Accepted messages are remembered with their synchronous answer, byte for byte.
 */
import type { ReceivedMessage } from "../store/message-store.js";
import type { MhsDeps } from "./mhs-types.js";
import type { MhsEntry } from "./sds-routes.js";

export const defaultDuplicateWindowMs = 3_600_000;

export function acceptedDuplicateWindowMs(spineEntry: MhsEntry | undefined): number {
  return spineEntry?.contract.persistDurationMs ?? defaultDuplicateWindowMs;
}

/** DUP-001: the stored answer to this party's eb:MessageId, while its window lasts. */
export function storedAnswer(
  deps: Pick<MhsDeps, "messages">,
  fromPartyKey: string,
  messageId: string,
  now: Date,
): ReceivedMessage | undefined {
  return deps.messages.receivedWithin(fromPartyKey.toUpperCase(), messageId.toUpperCase(), now.toISOString());
}

/** DUP-002: a text for the journal when this HL7 id was already received within its window. */
export function hl7DuplicateOf(
  deps: Pick<MhsDeps, "messages">,
  hl7Id: string | undefined,
  now: Date,
): string | undefined {
  if (hl7Id === undefined || hl7Id === "") return undefined;
  return deps.messages.hl7IdSeen(hl7Id.toUpperCase(), now.toISOString())
    ? `HL7 id ${hl7Id} was already received: MCCI_IN010000UK13 AR 202 Duplicate HL7 ID Error`
    : undefined;
}
