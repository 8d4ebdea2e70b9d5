/**
 * The messaging state that must survive a restart: the outbox of Spine-originated messages
 * (async replies, forwarded messages) with their delivery attempts, and the record of received
 * messages that duplicate elimination answers from. sqlite-message-store.ts implements it; Store
 * exposes it as `store.messages`.
 */

export type DeliveryState = "pending" | "delivered" | "rejected" | "expired";

export interface NewOutboundMessage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly refToMessageId?: string | undefined;
  /** Party key and service-interaction of the receiving MHS entry the message was addressed by. */
  readonly toPartyKey: string;
  readonly svcIA: string;
  readonly url: string;
  readonly soapAction: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** True when the receiver must answer with an eb:Acknowledgment (AckRequested). */
  readonly ackRequested: boolean;
  /** Further attempts after the first (nhsMHSRetries). */
  readonly retries: number;
  readonly retryIntervalMs: number;
  readonly createdAt: string;
  /** createdAt + nhsMHSPersistDuration: no attempt is made after it. */
  readonly expiresAt: string;
  /** The first attempt: after the synchronous answer plus the scenario's reply delay. */
  readonly nextAttemptAt: string;
}

export interface OutboundMessage extends NewOutboundMessage {
  readonly id: number;
  readonly attempts: number;
  readonly state: DeliveryState;
  readonly lastError?: string | undefined;
}

export interface ReceivedMessage {
  readonly fromPartyKey: string;
  readonly messageId: string;
  readonly hl7Id?: string | undefined;
  /** The synchronous answer, kept byte for byte so a duplicate gets exactly the same answer. */
  readonly status: number;
  readonly contentType?: string | undefined;
  readonly body: Buffer;
  readonly receivedAt: string;
  readonly expiresAt: string;
}

export interface MessageStore {
  /**
   * Runs `work` in one transaction of the store's database, so that everything one exchange
   * writes (journal events, the received-message record, the outbox) commits once.
   */
  atomically<T>(work: () => T): T;
  enqueue(message: NewOutboundMessage): OutboundMessage;
  /** Pending messages whose next attempt is due at `now`, oldest first. */
  due(now: string, limit: number): OutboundMessage[];
  /** When the earliest pending attempt is due, if any. */
  nextAttemptAt(): string | undefined;
  recordAttempt(
    id: number,
    attempt: { attempts: number; nextAttemptAt: string; lastError?: string | undefined },
  ): void;
  settle(id: number, state: Exclude<DeliveryState, "pending">, lastError?: string): void;
  outbound(messageId: string): OutboundMessage | undefined;
  /** The outbound messages answering this eb:MessageId (RefToMessageId), oldest first. */
  repliesTo(messageId: string): OutboundMessage[];

  /** Records an accepted message; an expired record with the same party and MessageId is replaced. */
  rememberReceived(message: ReceivedMessage): void;
  /** A message received from this party with this eb:MessageId whose window has not passed. */
  receivedWithin(fromPartyKey: string, messageId: string, now: string): ReceivedMessage | undefined;
  /** Whether this HL7 message id was received within its window under another eb:MessageId. */
  hl7IdSeen(hl7Id: string, now: string): boolean;
}
