/**
 * Bind, compare and the write operations. Binds follow reference L3: anonymous always, simple
 * binds with any password (no scenario defines credentials yet), a DN without a password refused
 * as OpenLDAP does, SASL refused with 48. Writes are refused with insufficientAccessRights (L4):
 * SDS is read-only to clients.
 */
import type { DirectoryIndex } from "../../../core/directory/directory-index.js";
import { compareDirectory } from "../../../core/directory/search.js";
import { parseDn } from "../../../core/directory/dn.js";
import { BerError } from "../ber.js";
import { decodeBindRequest, type Control, type Envelope } from "../ldap-codec.js";
import { LdapError, resultCodeOf } from "../ldap-errors.js";
import { refuseUnsupportedCriticalControls } from "./controls.js";
import { replyFromError, success, type LdapReply } from "./reply.js";

/** What a bind answers, and the DN the connection is bound as afterwards ("" for anonymous). */
export interface BindReply extends LdapReply {
  readonly boundDn: string;
}

/** Binds are answered here rather than by ldapjs (see ldap-server.ts). A failed bind leaves the connection anonymous. */
export function handleBind(envelope: Envelope): BindReply {
  let described = `bind #${envelope.messageId}`;
  try {
    refuseUnsupportedCriticalControls(envelope.controls);
    const request = decodeBindRequest(envelope.op);
    described = `bind as ${JSON.stringify(request.dn)}`;
    if (request.version !== 3) {
      throw new LdapError("protocolError", `LDAP version ${request.version} is not supported; use LDAPv3`);
    }
    if (request.method === "sasl") {
      throw new LdapError(
        "inappropriateAuthentication",
        `SASL authentication (${request.mechanism ?? "?"}) is not supported: bind anonymously, as every SDS client does, or with a simple bind`,
      );
    }
    if (parseDn(request.dn) === undefined) {
      throw new LdapError("invalidDnSyntax", `invalid DN ${JSON.stringify(request.dn)}`, "malformed");
    }
    if (request.dn !== "" && request.password === "") {
      throw new LdapError(
        "unwillingToPerform",
        "unauthenticated bind (DN with no password) disallowed; bind anonymously or give a password",
      );
    }
    return { ...success, boundDn: request.dn };
  } catch (error) {
    if (error instanceof LdapError) return { ...replyFromError(error, described), boundDn: "" };
    if (error instanceof BerError) {
      return {
        ...replyFromError(
          new LdapError("protocolError", `malformed bind request: ${error.message}`, "malformed"),
          described,
        ),
        boundDn: "",
      };
    }
    throw error;
  }
}

export interface CompareRequest {
  readonly dn: string;
  readonly attribute: string;
  readonly value: string;
  readonly controls: readonly Control[];
}

export function handleCompare(index: DirectoryIndex, request: CompareRequest): LdapReply {
  const what = `compare ${request.attribute} on ${JSON.stringify(request.dn)}`;
  try {
    refuseUnsupportedCriticalControls(request.controls);
  } catch (error) {
    if (error instanceof LdapError) return replyFromError(error, what);
    throw error;
  }
  const outcome = compareDirectory(index, {
    dn: request.dn,
    attribute: request.attribute,
    value: request.value,
  });
  const resultCode = resultCodeOf(outcome.status);
  const failed =
    outcome.status !== "compareTrue" &&
    outcome.status !== "compareFalse" &&
    outcome.status !== "noSuchAttribute";
  return {
    resultCode,
    matchedDn: outcome.matchedDn,
    message: outcome.message,
    event: failed
      ? {
          kind:
            outcome.status === "noSuchObject"
              ? "noSuchObject"
              : outcome.status === "invalidDnSyntax"
                ? "malformed"
                : "refused",
          summary: `${what} answered ${outcome.status} (${resultCode}): ${outcome.message}`,
        }
      : undefined,
  };
}

export function handleWrite(operation: string, dn: string): LdapReply {
  return replyFromError(
    new LdapError(
      "insufficientAccessRights",
      `the SDS directory is read-only over LDAP; change its data with a scenario or the control API (POST /_control/endpoints)`,
    ),
    `${operation} of ${JSON.stringify(dn)}`,
  );
}
