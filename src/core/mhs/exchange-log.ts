/**
 * One inbound exchange's journal and log lines: every event carries the listener, the pattern and,
 * once the message has been read far enough, its message id and conversation id, so a test or the
 * console can follow a conversation. Failures are logged at warn and journalled with their rule ids.
 */
import { decodeUtf8 } from "../messaging/utf8.js";
import type { MhsDeps, MhsRequest } from "./mhs-types.js";

/** Raw bodies above this size are journalled truncated (a GP2GP extract may approach 5 MB). */
export const journalBodyLimit = 1_000_000;

export interface RawBody {
  readonly bytes: number;
  /** The body as UTF-8 text, when it is valid UTF-8. */
  readonly text?: string;
  /** Otherwise the body in base64. */
  readonly base64?: string;
  readonly truncated?: true;
}

/** The raw bytes of a message in a form the journal (JSON) can hold without loss. */
export function rawBody(body: Buffer | string): RawBody {
  const bytes = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (typeof body === "string") {
    return bytes <= journalBodyLimit
      ? { bytes, text: body }
      : { bytes, text: body.slice(0, journalBodyLimit), truncated: true };
  }
  const slice = body.length > journalBodyLimit ? body.subarray(0, journalBodyLimit) : body;
  const decoded = decodeUtf8(slice);
  const content = "text" in decoded ? { text: decoded.text } : { base64: slice.toString("base64") };
  return body.length > journalBodyLimit ? { bytes, ...content, truncated: true } : { bytes, ...content };
}

export type ExchangePattern = "sync" | "reliable" | "unreliable" | "intermediary";

export class ExchangeLog {
  messageId: string | undefined;
  conversationId: string | undefined;
  /** Whether an event already holds the raw request (later events then need not repeat it). */
  requestRecorded = false;

  constructor(
    private readonly deps: Pick<MhsDeps, "journal" | "logger">,
    readonly pattern: ExchangePattern,
    readonly request: MhsRequest,
  ) {}

  /** The request as received, for the first event of the exchange. */
  requestDetail(): Record<string, unknown> {
    const { path, soapAction, contentType, body, clientIdentity } = this.request;
    return {
      pattern: this.pattern,
      path,
      soapAction,
      contentType,
      ...(clientIdentity === undefined ? {} : { client: clientIdentity.commonName }),
      raw: rawBody(body),
    };
  }

  /** The first event of an exchange whose message could be read: the request with its fields. */
  received(summary: string, fields: Record<string, unknown>): void {
    this.record("mhs.received", summary, { ...this.requestDetail(), ...fields });
    this.requestRecorded = true;
  }

  record(kind: string, summary: string, detail?: Record<string, unknown>): void {
    this.deps.journal.record({
      kind,
      listener: "https",
      messageId: this.messageId,
      conversationId: this.conversationId,
      summary,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  /** A failure: logged at warn (with the rule ids) and journalled. */
  fail(kind: string, summary: string, detail: Record<string, unknown>): void {
    this.deps.logger.warn(
      { pattern: this.pattern, path: this.request.path, messageId: this.messageId, ruleIds: detail.ruleIds },
      summary,
    );
    this.record(kind, summary, detail);
  }
}
