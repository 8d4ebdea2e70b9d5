/**
 * LDAP result codes (RFC 4511 §4.1.9, Appendix A) and the one mapper from directory outcomes to
 * them. Every refusal the listener makes goes through `LdapError`, so each carries a stable result
 * code and a diagnostic message that says what to do.
 */
import type { CompareStatus, SearchStatus } from "../../core/directory/search.js";

export const resultCodes = {
  success: 0,
  operationsError: 1,
  protocolError: 2,
  sizeLimitExceeded: 4,
  compareFalse: 5,
  compareTrue: 6,
  authMethodNotSupported: 7,
  unavailableCriticalExtension: 12,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  inappropriateMatching: 18,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  inappropriateAuthentication: 48,
  insufficientAccessRights: 50,
  unavailable: 52,
  unwillingToPerform: 53,
  other: 80,
  noSuchOperation: 119,
} as const;

export type ResultCodeName = keyof typeof resultCodes;

/** A refusal with its result code; `kind` names the journal event (`ldap.<kind>`). */
export class LdapError extends Error {
  override readonly name = "LdapError";

  constructor(
    readonly code: ResultCodeName,
    message: string,
    readonly kind: "malformed" | "refused" = "refused",
    readonly matchedDn = "",
  ) {
    super(message);
  }

  get resultCode(): number {
    return resultCodes[this.code];
  }
}

/** Directory statuses map one to one onto result code names. */
export function resultCodeOf(status: SearchStatus | CompareStatus): number {
  return resultCodes[status];
}

/** Message types (RFC 4511 §4.2–4.14): request tag → response tag; undefined for requests without a response. */
export const responseTagOf: Readonly<Record<number, number | undefined>> = {
  0x60: 0x61, // bind
  0x42: undefined, // unbind
  0x63: 0x65, // search → searchResultDone
  0x66: 0x67, // modify
  0x68: 0x69, // add
  0x4a: 0x6b, // delete
  0x6c: 0x6d, // modifyDN
  0x6e: 0x6f, // compare
  0x50: undefined, // abandon
  0x77: 0x78, // extended
};

export const operationNames: Readonly<Record<number, string>> = {
  0x60: "bind",
  0x42: "unbind",
  0x63: "search",
  0x66: "modify",
  0x68: "add",
  0x4a: "delete",
  0x6c: "modifyDN",
  0x6e: "compare",
  0x50: "abandon",
  0x77: "extended",
};
