/**
 * The one event journal: every message and state change is appended to the store and emitted to
 * live subscribers (console timeline, control API, tests).
 */
import { EventEmitter } from "node:events";
import type { Clock } from "../clock.js";
import type { JournalEvent, JournalEventInput, Store } from "../store/store.js";

export type JournalRecord = Omit<JournalEventInput, "at">;

export class Journal {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.emitter.setMaxListeners(0);
  }

  record(event: JournalRecord): JournalEvent {
    const stored = this.store.appendJournal({ ...event, at: this.clock.now().toISOString() });
    this.emitter.emit("event", stored);
    return stored;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: JournalEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  list(options?: { afterId?: number; limit?: number; messageId?: string }): JournalEvent[] {
    return this.store.journal(options);
  }
}
