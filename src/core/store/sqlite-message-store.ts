/** SQLite implementation of the MessageStore (tables from migration "messaging"). */
import type Database from "better-sqlite3";
import type {
  DeliveryState,
  MessageStore,
  NewOutboundMessage,
  OutboundMessage,
  ReceivedMessage,
} from "./message-store.js";

type Row = Record<string, string | number | Buffer | null>;

export class SqliteMessageStore implements MessageStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      enqueue: db.prepare(
        `INSERT INTO outbound_message (message_id, conversation_id, ref_to_message_id, to_party_key, svc_ia, url, soap_action,
           content_type, body, ack_requested, retries, retry_interval_ms, created_at, expires_at, next_attempt_at, attempts, state)
         VALUES (@messageId, @conversationId, @refToMessageId, @toPartyKey, @svcIA, @url, @soapAction,
           @contentType, @body, @ackRequested, @retries, @retryIntervalMs, @createdAt, @expiresAt, @nextAttemptAt, 0, 'pending')
         RETURNING *`,
      ),
      due: db.prepare(
        "SELECT * FROM outbound_message WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
      ),
      nextAttemptAt: db
        .prepare("SELECT min(next_attempt_at) FROM outbound_message WHERE state = 'pending'")
        .pluck(),
      recordAttempt: db.prepare(
        "UPDATE outbound_message SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
      ),
      settle: db.prepare(
        "UPDATE outbound_message SET state = ?, last_error = coalesce(?, last_error) WHERE id = ?",
      ),
      byMessageId: db.prepare("SELECT * FROM outbound_message WHERE message_id = ? ORDER BY id DESC LIMIT 1"),
      repliesTo: db.prepare("SELECT * FROM outbound_message WHERE ref_to_message_id = ? ORDER BY id"),
      remember: db.prepare(
        `INSERT INTO received_message (from_party_key, message_id, hl7_id, status, content_type, body, received_at, expires_at)
         VALUES (@fromPartyKey, @messageId, @hl7Id, @status, @contentType, @body, @receivedAt, @expiresAt)
         ON CONFLICT (from_party_key, message_id) DO UPDATE SET
           hl7_id = excluded.hl7_id, status = excluded.status, content_type = excluded.content_type,
           body = excluded.body, received_at = excluded.received_at, expires_at = excluded.expires_at
         WHERE received_message.expires_at <= excluded.received_at`,
      ),
      received: db.prepare(
        "SELECT * FROM received_message WHERE from_party_key = ? AND message_id = ? AND expires_at > ?",
      ),
      hl7Seen: db
        .prepare("SELECT 1 FROM received_message WHERE hl7_id = ? AND expires_at > ? LIMIT 1")
        .pluck(),
    };
  }

  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  enqueue(message: NewOutboundMessage): OutboundMessage {
    const row = this.statements.enqueue.get({
      ...message,
      refToMessageId: message.refToMessageId ?? null,
      ackRequested: message.ackRequested ? 1 : 0,
    }) as Row;
    return toOutbound(row);
  }

  due(now: string, limit: number): OutboundMessage[] {
    return (this.statements.due.all(now, limit) as Row[]).map(toOutbound);
  }

  nextAttemptAt(): string | undefined {
    return (this.statements.nextAttemptAt.get() as string | null) ?? undefined;
  }

  recordAttempt(
    id: number,
    attempt: { attempts: number; nextAttemptAt: string; lastError?: string | undefined },
  ): void {
    this.statements.recordAttempt.run(attempt.attempts, attempt.nextAttemptAt, attempt.lastError ?? null, id);
  }

  settle(id: number, state: Exclude<DeliveryState, "pending">, lastError?: string): void {
    this.statements.settle.run(state, lastError ?? null, id);
  }

  outbound(messageId: string): OutboundMessage | undefined {
    const row = this.statements.byMessageId.get(messageId) as Row | undefined;
    return row === undefined ? undefined : toOutbound(row);
  }

  repliesTo(messageId: string): OutboundMessage[] {
    return (this.statements.repliesTo.all(messageId) as Row[]).map(toOutbound);
  }

  rememberReceived(message: ReceivedMessage): void {
    this.statements.remember.run({
      ...message,
      hl7Id: message.hl7Id ?? null,
      contentType: message.contentType ?? null,
    });
  }

  receivedWithin(fromPartyKey: string, messageId: string, now: string): ReceivedMessage | undefined {
    const row = this.statements.received.get(fromPartyKey, messageId, now) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      fromPartyKey: String(row.from_party_key),
      messageId: String(row.message_id),
      hl7Id: row.hl7_id === null ? undefined : String(row.hl7_id),
      status: Number(row.status),
      contentType: row.content_type === null ? undefined : String(row.content_type),
      body: row.body as Buffer,
      receivedAt: String(row.received_at),
      expiresAt: String(row.expires_at),
    };
  }

  hl7IdSeen(hl7Id: string, now: string): boolean {
    return this.statements.hl7Seen.get(hl7Id, now) !== undefined;
  }
}

function toOutbound(row: Row): OutboundMessage {
  return {
    id: Number(row.id),
    messageId: String(row.message_id),
    conversationId: String(row.conversation_id),
    refToMessageId: row.ref_to_message_id === null ? undefined : String(row.ref_to_message_id),
    toPartyKey: String(row.to_party_key),
    svcIA: String(row.svc_ia),
    url: String(row.url),
    soapAction: String(row.soap_action),
    contentType: String(row.content_type),
    body: row.body as Buffer,
    ackRequested: row.ack_requested === 1,
    retries: Number(row.retries),
    retryIntervalMs: Number(row.retry_interval_ms),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    nextAttemptAt: String(row.next_attempt_at),
    attempts: Number(row.attempts),
    state: String(row.state) as DeliveryState,
    lastError: row.last_error === null ? undefined : String(row.last_error),
  };
}

/** The migration that creates these tables; appended to the store's migrations list. */
export const messagingMigration = `
  CREATE TABLE outbound_message (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    ref_to_message_id TEXT,
    to_party_key TEXT NOT NULL,
    svc_ia TEXT NOT NULL,
    url TEXT NOT NULL,
    soap_action TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    ack_requested INTEGER NOT NULL,
    retries INTEGER NOT NULL,
    retry_interval_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    state TEXT NOT NULL,
    last_error TEXT
  ) STRICT;
  CREATE INDEX outbound_message_due ON outbound_message (state, next_attempt_at);
  CREATE INDEX outbound_message_id ON outbound_message (message_id);
  CREATE INDEX outbound_message_ref ON outbound_message (ref_to_message_id);

  CREATE TABLE received_message (
    from_party_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    hl7_id TEXT,
    status INTEGER NOT NULL,
    content_type TEXT,
    body BLOB NOT NULL,
    received_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (from_party_key, message_id)
  ) STRICT;
  CREATE INDEX received_message_hl7 ON received_message (hl7_id);
`;
