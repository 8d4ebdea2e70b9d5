/**
 * Extended operations (RFC 4511 §4.12) the real SDS advertises: Who am I? (RFC 4532) answered,
 * password modify refused as a write, cancel (RFC 3909) answered noSuchOperation because every
 * operation has completed by the time a cancel can arrive. No StartTLS (reference L2).
 */
import { cancelOid, passwordModifyOid, whoAmIOid } from "../../../core/directory/root-dse.js";
import { BerError } from "../ber.js";
import type { Envelope } from "../ldap-codec.js";
import { LdapError, resultCodes } from "../ldap-errors.js";
import { refuseUnsupportedCriticalControls } from "./controls.js";
import { replyFromError, success, type LdapReply } from "./reply.js";

const startTlsOid = "1.3.6.1.4.1.1466.20037";

export interface ExtendedReply extends LdapReply {
  readonly responseName?: string | undefined;
  readonly responseValue?: string | undefined;
}

/** `boundDn` is the DN of the connection's last successful simple bind, "" when anonymous. */
export function handleExtended(envelope: Envelope, boundDn: string): ExtendedReply {
  let oid = "";
  try {
    refuseUnsupportedCriticalControls(envelope.controls);
    oid = envelope.op.readString(0x80);
    switch (oid) {
      case whoAmIOid:
        return { ...success, responseValue: boundDn === "" ? "" : `dn:${boundDn}` };
      case passwordModifyOid:
        throw new LdapError(
          "insufficientAccessRights",
          "the SDS directory is read-only; passwords cannot be changed over LDAP",
        );
      case cancelOid:
        return {
          resultCode: resultCodes.noSuchOperation,
          matchedDn: "",
          message: "no operation in progress to cancel",
        };
      case startTlsOid:
        throw new LdapError(
          "protocolError",
          "StartTLS is not offered, as on the real SDS: connect to the LDAPS port instead",
        );
      default:
        throw new LdapError(
          "protocolError",
          `unsupported extended operation ${oid}; supported: ${[whoAmIOid, passwordModifyOid, cancelOid].join(", ")}`,
        );
    }
  } catch (error) {
    if (error instanceof LdapError) return replyFromError(error, `extended operation ${oid || "(unnamed)"}`);
    if (error instanceof BerError) {
      return replyFromError(
        new LdapError("protocolError", `malformed extended request: ${error.message}`, "malformed"),
        "extended operation",
      );
    }
    throw error;
  }
}
