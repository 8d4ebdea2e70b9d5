/**
 * How the Spine Security Broker refuses, as data (errors.md §7). Each code names the documented
 * wire text a client looks for; `reason` says what exactly was wrong and `hint` what to do, for the
 * log, the journal and the control API. The wire never tells a client more than Spine would.
 */
export const ssbErrorCatalogue = {
  /** GAS: malformed gpOBJECT or a missing parameter (attested string). */
  SSB_INVALID_INPUT: { wire: "Invalid input request", status: 400 },
  /** GAS: challenge/signature mismatch, unknown uid, inactive person (attested string). */
  SSB_VALIDATION_FAILED: { wire: "Failed To Validate", status: 401 },
  /** Virtual card: no card with this id in the scenario. */
  SSB_UNKNOWN_CARD: { wire: "Failed To Validate", status: 404 },
  /** Virtual card: the passcode does not match the card's. */
  SSB_BAD_PASSCODE: { wire: "Failed To Validate", status: 401 },
  /** The person exists but nhsPersonStatus is not 1. */
  SSB_PERSON_INACTIVE: { wire: "Failed To Validate", status: 403 },
  /** Unknown, expired or logged-out SSO ticket (SIM-OWN text, ssb.md R2). */
  SSB_TOKEN_INVALID: { wire: "Invalid or expired token", status: 401 },
  /** Role selection: the user holds no role profile with this id. */
  SSB_ROLE_NOT_HELD: { wire: "The selected role is not held by this user", status: 422 },
} as const satisfies Record<string, { wire: string; status: number }>;

export type SsbErrorCode = keyof typeof ssbErrorCatalogue;

export class SsbError extends Error {
  override readonly name = "SsbError";

  constructor(
    readonly code: SsbErrorCode,
    /** What exactly was wrong (never sent to GAS clients; shown in logs and the control API). */
    readonly reason: string,
    /** What the user can do about it. */
    readonly hint: string,
  ) {
    super(`${ssbErrorCatalogue[code].wire}: ${reason}`);
  }

  /** The text the SSB puts on the wire. */
  get wire(): string {
    return ssbErrorCatalogue[this.code].wire;
  }

  /** HTTP status for the JSON control API (GAS and sbapi always answer 200). */
  get status(): number {
    return ssbErrorCatalogue[this.code].status;
  }
}

export function isSsbError(value: unknown): value is SsbError {
  return value instanceof SsbError;
}
