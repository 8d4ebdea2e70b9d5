/**
 * The protocol-neutral shapes of the MHS: what an inbound pipeline receives, what it answers, and
 * what it needs. Handlers return data; the HTTP adapter (src/servers/mhs) writes the bytes.
 */
import type { Clock } from "../clock.js";
import type { Journal } from "../journal/journal.js";
import type { EbxmlErrorInput } from "../messaging/ebxml-build.js";
import type { EbxmlHeader } from "../messaging/ebxml.js";
import type { TmsErrorFields } from "../messaging/wire-problem.js";
import type { MessageStore } from "../store/message-store.js";
import type { PatientRecord } from "../store/store.js";
import type { Responder } from "./responders/responder.js";
import type { MhsRoutes } from "./sds-routes.js";

/** The verified mutual-TLS client certificate, when the listener asked for one. */
export interface MhsClientIdentity {
  readonly commonName: string;
  readonly fingerprint256: string;
}

export interface MhsRequest {
  readonly path: string;
  /** The SOAPAction header as received (Node joins repeats; other stacks may give an array). */
  readonly soapAction: string | readonly string[] | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
  readonly clientIdentity?: MhsClientIdentity | undefined;
}

/** Rule ids behind an answer, sent as `X-Spine-Sim-Rules` (validation-rules.md V16). */
export type RuleIds = readonly string[];

/** Bytes ready to send: an acknowledgement, a /sync-service response, an empty 202, a replay. */
export interface MhsReply {
  readonly kind: "reply";
  readonly status: number;
  readonly contentType?: string;
  readonly body: Buffer;
  readonly ruleIds?: RuleIds;
}

/** A SOAP Fault (HTTP 500): TMS errors, each with its `nasp:location`. */
export interface MhsFault {
  readonly kind: "fault";
  readonly errors: readonly [TmsErrorFields, ...TmsErrorFields[]];
  readonly ruleIds: RuleIds;
}

/** An ebXML MessageError (HTTP 200) answering the request whose header it swaps. */
export interface MhsMessageError {
  readonly kind: "messageError";
  readonly request: EbxmlHeader;
  readonly errors: readonly [EbxmlErrorInput, ...EbxmlErrorInput[]];
  readonly ruleIds: RuleIds;
  /** The MessageError's own eb:MessageId and timestamp, chosen by the pipeline (journalled). */
  readonly messageId: string;
  readonly now: Date;
}

export type MhsAnswer = MhsReply | MhsFault | MhsMessageError;

/** A logger with the pino call shapes the pipelines use (a child per component). */
export interface MhsLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface MhsDeps {
  readonly clock: Clock;
  readonly journal: Journal;
  readonly messages: MessageStore;
  readonly logger: MhsLogger;
  /** SDS as the MHS reads it; rebuilt only when the directory changes. */
  routes(): MhsRoutes;
  /** Scenario patients, for the PDS responders. */
  readonly patient: (nhsNumber: string) => PatientRecord | undefined;
  /** Spine's party key and default ASID (the environment profile). */
  readonly spine: { readonly partyKey: string; readonly asid: string };
  /** New upper-case UUIDs for message ids (injected so that transcripts can be golden). */
  readonly newId: () => string;
  /** Responders by request interaction id; see responders/index.ts. */
  readonly responders: ReadonlyMap<string, Responder>;
  /** Delay before the first delivery of an async reply (mhs-wire.md §7.4; default 500 ms). */
  readonly replyDelayMs: number;
  /** Tells the delivery worker that the outbox has new work. */
  poke(): void;
}
