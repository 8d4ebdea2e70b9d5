/**
 * Delivers Spine-originated messages from the outbox to suppliers' endpoints, retrying per the
 * receiver's SDS contract (nhsMHSRetries every nhsMHSRetryInterval) until acknowledged, rejected or
 * past nhsMHSPersistDuration (reference mhs-wire.md §7.4). Every attempt and outcome is journalled.
 * The outbox lives in the store, so a restart picks up exactly where the last process stopped: an
 * attempt in flight when the process died is made again once its lease runs out (at least once).
 * Transport is injected: core knows nothing of HTTP clients or TLS.
 */
import type { Clock } from "../clock.js";
import type { Journal } from "../journal/journal.js";
import type { MessageStore, OutboundMessage } from "../store/message-store.js";
import type { MhsLogger } from "./mhs-types.js";

export interface TransportResponse {
  readonly status: number;
  readonly contentType?: string | undefined;
  readonly body: Buffer;
}

export interface OutboundTransport {
  /** POSTs the message; rejects on connection failure, TLS failure or timeout. */
  post(message: OutboundMessage): Promise<TransportResponse>;
}

export type AnswerVerdict =
  | { readonly kind: "delivered"; readonly detail: string }
  | { readonly kind: "rejected"; readonly detail: string }
  | { readonly kind: "retry"; readonly detail: string };

export interface DeliveryDeps {
  readonly messages: MessageStore;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly logger: MhsLogger;
  readonly transport: OutboundTransport;
  /** Decides what the supplier's answer means (ack, ErrorList, anything else). */
  classify(message: OutboundMessage, response: TransportResponse): AnswerVerdict;
}

export interface DeliveryOptions {
  /** Attempts in flight at once (default 32). */
  readonly maxInFlight?: number;
  /**
   * How far an attempt in flight pushes the message's next attempt (default 15 s, longer than the
   * transport's 10 s timeout): another scan, or a process that restarts after a crash, leaves it
   * alone until then.
   */
  readonly leaseMs?: number;
}

/** The longest a real-clock timer sleeps before looking again (guards against clock jumps). */
const maxSleepMs = 60_000;
/** The shortest: never spin on work that is due but cannot start yet. */
const minSleepMs = 10;

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private scanning = false;
  private again = false;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly maxInFlight: number;
  private readonly leaseMs: number;

  constructor(
    private readonly deps: DeliveryDeps,
    options: DeliveryOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 32;
    this.leaseMs = options.leaseMs ?? 15_000;
  }

  /** Starts delivering, beginning with whatever a previous process left pending. */
  start(): void {
    this.stopped = false;
    const next = this.deps.messages.nextAttemptAt();
    if (next !== undefined) {
      this.deps.logger.info({ nextAttemptAt: next }, "resuming pending deliveries from the outbox");
      this.deps.journal.record({
        kind: "mhs.delivery.resumed",
        listener: "outbound",
        summary: `pending deliveries found in the outbox; the next attempt is due at ${next}`,
      });
    }
    this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Look for due work now: after an enqueue, or after the virtual clock moved. */
  poke(): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.again = true;
      return;
    }
    this.scan();
  }

  /** Resolves when no attempt is in flight (for tests and the control API). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private scan(): void {
    this.scanning = true;
    try {
      do {
        this.again = false;
        const capacity = this.maxInFlight - this.inFlight.size;
        if (capacity <= 0) break;
        // Rows in flight can be due again (a virtual clock moved past their lease): skip them.
        const due = this.deps.messages.due(
          this.deps.clock.now().toISOString(),
          capacity + this.inFlight.size,
        );
        let started = 0;
        for (const message of due) {
          if (started === capacity || this.stopped) break;
          if (this.inFlight.has(message.id)) continue;
          this.begin(message);
          started++;
        }
        if (started === capacity) this.again = true;
      } while (this.again && !this.stopped);
    } finally {
      this.scanning = false;
    }
    this.schedule();
  }

  private begin(message: OutboundMessage): void {
    const lease = new Date(this.deps.clock.now().getTime() + this.leaseMs).toISOString();
    this.deps.messages.recordAttempt(message.id, {
      attempts: message.attempts,
      nextAttemptAt: lease,
      lastError: message.lastError,
    });
    const attempt = this.attempt(message)
      .catch((error: unknown) => {
        // A bug in classification or the store must not stop the worker; the lease brings it back.
        this.deps.logger.error(
          { err: error, messageId: message.messageId },
          "delivery attempt failed unexpectedly",
        );
      })
      .finally(() => {
        this.inFlight.delete(message.id);
        this.poke();
      });
    this.inFlight.set(message.id, attempt);
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    // A virtual clock only moves when told to; whoever moves it pokes the worker.
    if (this.stopped || this.deps.clock.kind === "virtual") return;
    const next = this.deps.messages.nextAttemptAt();
    if (next === undefined) return;
    const wait = Math.min(
      Math.max(Date.parse(next) - this.deps.clock.now().getTime(), minSleepMs),
      maxSleepMs,
    );
    this.timer = setTimeout(() => this.poke(), wait);
    this.timer.unref();
  }

  private async attempt(message: OutboundMessage): Promise<void> {
    const { messages, journal, clock, logger } = this.deps;
    const event = {
      listener: "outbound",
      messageId: message.messageId,
      conversationId: message.conversationId,
    };
    const record = (kind: string, summary: string, detail?: Record<string, unknown>): void => {
      journal.record({ ...event, kind, summary, ...(detail === undefined ? {} : { detail }) });
    };
    if (clock.now().toISOString() >= message.expiresAt) {
      const why = `persist duration passed before attempt ${message.attempts + 1}`;
      messages.settle(message.id, "expired", why);
      logger.warn({ messageId: message.messageId, url: message.url }, `delivery expired: ${why}`);
      record("mhs.delivery.expired", `${message.svcIA} to ${message.toPartyKey} expired: ${why}`, {
        attempts: message.attempts,
        lastError: message.lastError,
      });
      return;
    }
    const attempts = message.attempts + 1;
    record("mhs.delivery.attempt", `attempt ${attempts} of ${message.retries + 1}: POST ${message.url}`, {
      attempt: attempts,
      url: message.url,
      soapAction: message.soapAction,
    });
    let verdict: AnswerVerdict;
    let answer: Record<string, unknown> | undefined;
    try {
      const response = await this.deps.transport.post(message);
      answer = {
        status: response.status,
        contentType: response.contentType,
        text: response.body.toString("utf8", 0, 65_536),
      };
      verdict = this.deps.classify(message, response);
    } catch (error) {
      verdict = { kind: "retry", detail: describeError(error) };
    }
    const now = clock.now();
    if (verdict.kind === "delivered") {
      messages.recordAttempt(message.id, { attempts, nextAttemptAt: now.toISOString() });
      messages.settle(message.id, "delivered");
      logger.info({ messageId: message.messageId, attempts }, `delivered to ${message.toPartyKey}`);
      record(
        "mhs.delivery.delivered",
        `acknowledged by the supplier on attempt ${attempts}: ${verdict.detail}`,
        {
          attempt: attempts,
          answer,
        },
      );
      return;
    }
    if (verdict.kind === "rejected") {
      messages.recordAttempt(message.id, {
        attempts,
        nextAttemptAt: now.toISOString(),
        lastError: verdict.detail,
      });
      messages.settle(message.id, "rejected", verdict.detail);
      logger.warn({ messageId: message.messageId, attempts }, `delivery rejected: ${verdict.detail}`);
      record("mhs.delivery.rejected", `rejected by the supplier: ${verdict.detail}`, {
        attempt: attempts,
        answer,
      });
      return;
    }
    const next = new Date(now.getTime() + message.retryIntervalMs).toISOString();
    if (attempts > message.retries || next >= message.expiresAt) {
      messages.recordAttempt(message.id, { attempts, nextAttemptAt: next, lastError: verdict.detail });
      messages.settle(message.id, "expired", verdict.detail);
      const why =
        attempts > message.retries
          ? `all ${attempts} attempt(s) failed`
          : "the persist duration passes before the next retry";
      logger.warn({ messageId: message.messageId, attempts }, `delivery gave up: ${why}: ${verdict.detail}`);
      record("mhs.delivery.expired", `gave up: ${why}; last answer: ${verdict.detail}`, {
        attempt: attempts,
        answer,
      });
      return;
    }
    messages.recordAttempt(message.id, { attempts, nextAttemptAt: next, lastError: verdict.detail });
    logger.warn(
      { messageId: message.messageId, attempts, next },
      `delivery attempt failed: ${verdict.detail}`,
    );
    record(
      "mhs.delivery.retry-scheduled",
      `attempt ${attempts} failed (${verdict.detail}); next attempt at ${next}`,
      {
        attempt: attempts,
        nextAttemptAt: next,
        answer,
      },
    );
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code;
  const suffix = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : "";
  return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${suffix}`;
}
