/**
 * What the wire parsers report when a message cannot be read: the id of the rule it breaks
 * (validation-rules.md), where (the `nasp:location` Spine would name) and what exactly is wrong.
 * Problems that stop parsing are thrown inside a {@link WireError}; problems a validator may
 * choose to enforce or waive (scenarios can disable rules) are returned beside the parsed model.
 */

/** The rule ids the wire layer itself can detect; the rest belong to the validators. */
export type WireRuleId =
  | "HTTP-003"
  | "HTTP-007"
  | "HTTP-008"
  | "HTTP-009"
  | "MIME-001"
  | "MIME-002"
  | "MIME-003"
  | "MIME-006"
  | "SOAP-001"
  | "SOAP-002"
  | "SOAP-003"
  | "SOAP-004"
  | "EBXML-HDR-001"
  | "EBXML-HDR-002"
  | "EBXML-HDR-003"
  | "EBXML-HDR-004"
  | "EBXML-HDR-005"
  | "EBXML-HDR-006"
  | "EBXML-HDR-007"
  | "EBXML-HDR-008"
  | "EBXML-HDR-009"
  | "EBXML-HDR-010"
  | "WS-ADDR-001"
  | "WS-ADDR-002"
  | "WS-ADDR-003"
  | "WS-ADDR-004"
  | "WS-ADDR-005";

export interface WireProblem {
  readonly ruleId: WireRuleId;
  /** Where, in Spine's words: the `nasp:location` of the SOAP Fault (e.g. `MIME root part`). */
  readonly location: string;
  /** What is wrong and what was expected, precise enough to fix the message. */
  readonly message: string;
  /** 1-based line and column in the XML text, for well-formedness problems. */
  readonly line?: number;
  readonly column?: number;
}

/** Thrown by the parsers when a message cannot be read any further. */
export class WireError extends Error {
  override readonly name = "WireError";
  readonly problems: readonly [WireProblem, ...WireProblem[]];

  constructor(problems: readonly [WireProblem, ...WireProblem[]]) {
    super(problems.map((p) => `${p.ruleId} (${p.location}): ${p.message}`).join("; "));
    this.problems = problems;
  }

  get ruleIds(): readonly WireRuleId[] {
    return this.problems.map((p) => p.ruleId);
  }
}

export function isWireError(value: unknown): value is WireError {
  return value instanceof WireError;
}

/** A WireError for a list of problems known to be non-empty (a programming error otherwise). */
export function wireErrorOf(problems: readonly WireProblem[]): WireError {
  const [first, ...rest] = problems;
  if (first === undefined) throw new Error("wireErrorOf needs at least one problem");
  return new WireError([first, ...rest]);
}

/** Shorthand for throwing one problem. */
export function wireError(ruleId: WireRuleId, location: string, message: string): WireError {
  return new WireError([{ ruleId, location, message }]);
}

/** The TMS error a SOAP Fault carries for a wire problem (errors.md §2); shaped like `TmsError`. */
export interface TmsErrorFields {
  readonly code: string;
  readonly location: string;
  readonly description: string;
}

const NOT_WELL_FORMED = "The message is not well formed";

/**
 * Maps a wire problem to the TMS code and text Spine answers with: 101 for SOAPAction problems,
 * 9001 for oversize bodies, 201 for everything else the wire layer detects (validation-rules.md
 * §1–§4, §7). The precise message stays in logs and the journal; the Fault carries Spine's text.
 */
export function tmsErrorFor(problem: WireProblem): TmsErrorFields {
  switch (problem.ruleId) {
    case "HTTP-003":
      return {
        code: "101",
        location: problem.location,
        description: "The service/interaction is not supported for the requested URI",
      };
    case "HTTP-009":
      return {
        code: "9001",
        location: problem.location,
        description: "Message size exceeds the permitted maximum",
      };
    default:
      return { code: "201", location: problem.location, description: NOT_WELL_FORMED };
  }
}
