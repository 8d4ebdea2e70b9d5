/**
 * A responder builds the business reply to an accepted request: the HL7 payload and the reply
 * interaction. The pipelines carry it (inside the /sync-service response, or as an asynchronous
 * ebXML message through the outbox); responders never see the wire.
 */
import type { Hl7Wrapper } from "../../messaging/hl7.js";
import type { PatientRecord } from "../../store/store.js";

export type RequestPattern = "sync" | "reliable" | "unreliable";

export interface ResponderRequest {
  readonly pattern: RequestPattern;
  /** `eb:Service` / the service part of the SOAPAction, e.g. `urn:nhs:names:services:pdsquery`. */
  readonly service: string;
  /** The request interaction id, e.g. `QUPA_IN040000UK32`. */
  readonly interaction: string;
  /** The request's HL7 transmission wrapper. */
  readonly hl7: Hl7Wrapper;
  /** The requester's ASID (communicationFunctionSnd), the reply's communicationFunctionRcv. */
  readonly senderAsid: string;
  /** Spine's ASID for the service, the reply's communicationFunctionSnd and author. */
  readonly spineAsid: string;
  readonly now: Date;
  /** ebXML identity of the request, on the asynchronous patterns. */
  readonly ebxml?: {
    readonly conversationId: string;
    readonly messageId: string;
    readonly fromPartyKey: string;
  };
  readonly newId: () => string;
  readonly patient: (nhsNumber: string) => PatientRecord | undefined;
}

export interface ResponderReply {
  /** The reply interaction id (wsa:Action or eb:Action), e.g. `QUPA_IN050000UK32`. */
  readonly interaction: string;
  /** The HL7 payload (no XML declaration). */
  readonly xml: string;
  /** The /sync-service response wrapper element, e.g. `retrievalQueryResponse` (mhs-wire.md §6.2). */
  readonly wrapper?: string;
  /** One line for the journal: what the responder decided. */
  readonly outcome: string;
  /** Manifest description and schema for asynchronous delivery (defaults: HL7 payload, HL7-Message.xsd). */
  readonly description?: string;
  readonly schema?: { readonly location: string; readonly version: string };
}

/** Answers a request, or returns undefined when it has nothing to say (the pattern's default applies). */
export type Responder = (request: ResponderRequest) => ResponderReply | undefined;
