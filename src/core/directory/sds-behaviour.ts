/**
 * The fault hook of the SDS directory: how slow it is and whether it answers at all. Set from the
 * scenario's `sds` section at start and changed at run time (PUT /_control/sds/behaviour); the LDAP
 * listeners read it on every request. One small object handed through deps, never a global: each
 * simulator (and each test) has its own. Every change is journalled (`sds.behaviour`) and logged.
 */
import { z } from "zod";
import { SimError } from "../errors.js";
import type { Journal } from "../journal/journal.js";

export interface SdsBehaviour {
  /** Added before every search response, in milliseconds of real time. */
  readonly delayMs: number;
  /** Binds and searches are answered with `unavailable` (52), as during a maintenance window (E7). */
  readonly unavailable: boolean;
}

export const defaultSdsBehaviour: SdsBehaviour = Object.freeze({ delayMs: 0, unavailable: false });

/** The longest delay accepted: longer than any client's time-out, short enough to stop a typo hanging a suite. */
export const maxSdsDelayMs = 60_000;

/** The shape of the scenario's `sds` section and of the control API's PUT body (every field optional). */
export const sdsBehaviourFields = {
  delayMs: z
    .number()
    .int("delayMs is a whole number of milliseconds")
    .min(0, "delayMs cannot be negative")
    .max(maxSdsDelayMs, `delayMs is at most ${maxSdsDelayMs} (one minute)`),
  unavailable: z.boolean(),
};

const change = z.strictObject({
  delayMs: sdsBehaviourFields.delayMs.optional(),
  unavailable: sdsBehaviourFields.unavailable.optional(),
});

export interface SdsBehaviourState extends SdsBehaviour {
  /** Who set the current behaviour. */
  readonly setBy: "default" | "scenario" | "control API";
  readonly changedAt: string | undefined;
}

/** The pino call shape used here (core does not import the logging module). */
export interface SdsLogger {
  info(fields: object, message: string): void;
}

export interface SdsBehaviourDeps {
  readonly journal: Journal;
  readonly logger: SdsLogger;
  readonly now: () => Date;
}

export class SdsBehaviourControl {
  private state: SdsBehaviourState = { ...defaultSdsBehaviour, setBy: "default", changedAt: undefined };
  private behaviour: SdsBehaviour = defaultSdsBehaviour;

  constructor(private readonly deps: SdsBehaviourDeps) {}

  /** What the listeners read per request: no allocation, no validation. */
  current(): SdsBehaviour {
    return this.behaviour;
  }

  describe(): SdsBehaviourState {
    return this.state;
  }

  /**
   * Applies a change (`{ delayMs?, unavailable? }`; fields left out keep their value), journals and
   * logs it, and returns the new state. Throws CONFIG_INVALID, saying what is accepted, for a bad body.
   */
  set(input: unknown, setBy: "scenario" | "control API"): SdsBehaviourState {
    const parsed = change.safeParse(input);
    if (!parsed.success) {
      const reasons = parsed.error.issues
        .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
        .join("; ");
      throw new SimError("CONFIG_INVALID", `Invalid SDS behaviour: ${reasons}`, {
        hint: `Send {"delayMs": 250, "unavailable": false}: delayMs a whole number from 0 to ${maxSdsDelayMs}, unavailable true or false; a field left out keeps its value.`,
        details: { setting: "sds", value: input },
      });
    }
    const next: SdsBehaviour = Object.freeze({
      delayMs: parsed.data.delayMs ?? this.behaviour.delayMs,
      unavailable: parsed.data.unavailable ?? this.behaviour.unavailable,
    });
    const previous = this.behaviour;
    this.behaviour = next;
    this.state = { ...next, setBy, changedAt: this.deps.now().toISOString() };
    const summary = `SDS behaviour set by the ${setBy}: ${describeBehaviour(next)} (was ${describeBehaviour(previous)})`;
    this.deps.logger.info({ component: "sds", behaviour: next, setBy }, summary);
    this.deps.journal.record({
      kind: "sds.behaviour",
      listener: setBy === "control API" ? "control" : undefined,
      summary,
      detail: { ...next, previous, setBy },
    });
    return this.state;
  }
}

export function describeBehaviour(behaviour: SdsBehaviour): string {
  if (behaviour.unavailable) return "unavailable (binds and searches answered 52)";
  return behaviour.delayMs > 0 ? `serving, searches delayed ${behaviour.delayMs} ms` : "serving normally";
}
