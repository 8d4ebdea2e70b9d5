/**
 * The one error class of spine-sim. Every failure the simulator raises on purpose carries a stable
 * code from the catalogue below; each wire format (SOAP fault, ebXML MessageError, LDAP result,
 * JSON problem, CLI exit) maps these codes in its own mapper.
 */
export const errorCatalogue = {
  CONFIG_INVALID: { exitCode: 2, summary: "The configuration is invalid" },
  SCENARIO_INVALID: { exitCode: 2, summary: "The scenario is invalid" },
  SCENARIO_NOT_FOUND: { exitCode: 2, summary: "The scenario could not be found" },
  SEED_DATA_INVALID: { exitCode: 2, summary: "The seed data is invalid" },
  STORE_UNREADABLE: { exitCode: 3, summary: "The SQLite database cannot be used" },
  STORE_FOREIGN: { exitCode: 3, summary: "The SQLite database belongs to another application" },
  STORE_TOO_NEW: { exitCode: 3, summary: "The SQLite database was written by a newer spine-sim" },
  DIR_UNWRITABLE: { exitCode: 3, summary: "A directory cannot be written" },
  PKI_FAILED: { exitCode: 3, summary: "The local PKI could not be created" },
  PORT_IN_USE: { exitCode: 4, summary: "A listener could not bind its port" },
  LISTEN_FAILED: { exitCode: 4, summary: "A listener could not start" },
  ENDPOINT_INVALID: { exitCode: 2, summary: "The endpoint registration is invalid" },
  LDIF_INVALID: { exitCode: 2, summary: "The LDIF does not fit the SDS schema or tree" },
  NOT_FOUND: { exitCode: 1, summary: "Not found" },
} as const satisfies Record<string, { exitCode: number; summary: string }>;

export type SimErrorCode = keyof typeof errorCatalogue;

export interface SimErrorOptions {
  /** What the user can do about it; printed after the message. */
  readonly hint?: string;
  /** Structured facts for logs and JSON problems (setting name, value given, file and line, …). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class SimError extends Error {
  override readonly name = "SimError";
  readonly code: SimErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: SimErrorCode, message: string, options: SimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }

  /** The message followed by the hint, as printed on the console. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  ${this.hint}`;
  }
}

export function isSimError(value: unknown): value is SimError {
  return value instanceof SimError;
}
