/**
 * What an LDAP handler returns: a result (RFC 4511 §4.1.9) and, for refusals and malformed
 * requests, the event to log and journal. Handlers never touch the socket; ldap-server.ts encodes
 * and writes.
 */
import { LdapError, resultCodes } from "../ldap-errors.js";

export interface LdapEvent {
  /** Journal kind suffix: `ldap.malformed`, `ldap.refused`, `ldap.noSuchObject`, `ldap.unavailable`. */
  readonly kind: "malformed" | "refused" | "noSuchObject" | "unavailable";
  readonly summary: string;
}

export interface LdapReply {
  readonly resultCode: number;
  readonly matchedDn: string;
  readonly message: string;
  readonly event?: LdapEvent | undefined;
}

export const success: LdapReply = { resultCode: resultCodes.success, matchedDn: "", message: "" };

/** The reply for a refusal raised as an LdapError, described for the journal as `what`. */
export function replyFromError(error: LdapError, what: string): LdapReply {
  return {
    resultCode: error.resultCode,
    matchedDn: error.matchedDn,
    message: error.message,
    event: {
      kind: error.kind,
      summary: `${what} answered ${error.code} (${error.resultCode}): ${error.message}`,
    },
  };
}
