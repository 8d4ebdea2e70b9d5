/**
 * Search: decode the request from the wire, check its controls, run it against the directory index
 * (scope, filter, attribute selection, size limit and paging all happen in core), and return the
 * entries with the result.
 */
import type { DirectoryIndex } from "../../../core/directory/directory-index.js";
import { formatFilter } from "../../../core/directory/filter.js";
import { pagedResultsOid } from "../../../core/directory/root-dse.js";
import { searchDirectory, type SearchResultEntry } from "../../../core/directory/search.js";
import { BerError } from "../ber.js";
import { decodePagedResults, decodeSearchRequest, type Envelope, type SearchRequest } from "../ldap-codec.js";
import { LdapError, resultCodeOf } from "../ldap-errors.js";
import { refuseUnsupportedCriticalControls } from "./controls.js";
import { replyFromError, type LdapReply } from "./reply.js";

export interface SearchReply extends LdapReply {
  readonly entries: readonly SearchResultEntry[];
  /** The paged results response control value, when the request carried the control. */
  readonly paged?: { readonly size: number; readonly cookie: Buffer } | undefined;
}

export function handleSearch(index: DirectoryIndex, envelope: Envelope): SearchReply {
  let request: SearchRequest | undefined;
  // Built only when there is something to report: formatting the filter costs more than the search.
  const described = (): string =>
    request === undefined
      ? `search #${envelope.messageId}`
      : `search base ${JSON.stringify(request.base)} scope ${request.scope} filter ${formatFilter(request.filter)}`;
  try {
    refuseUnsupportedCriticalControls(envelope.controls);
    request = decodeSearchRequest(envelope.op);
    const control = envelope.controls.find((c) => c.oid === pagedResultsOid);
    const paged = control === undefined ? undefined : decodePagedResults(control.value);
    const outcome = searchDirectory(index, {
      base: request.base,
      scope: request.scope,
      filter: request.filter,
      attributes: request.attributes,
      typesOnly: request.typesOnly,
      sizeLimit: request.sizeLimit,
      ...(paged === undefined
        ? {}
        : { paged: { size: paged.size, cookie: paged.cookie.toString("latin1") } }),
    });
    const resultCode = resultCodeOf(outcome.status);
    const kind =
      outcome.status === "noSuchObject"
        ? "noSuchObject"
        : outcome.status === "invalidDnSyntax" || outcome.status === "protocolError"
          ? "malformed"
          : outcome.status === "unwillingToPerform"
            ? "refused"
            : undefined;
    return {
      resultCode,
      matchedDn: outcome.matchedDn,
      message: outcome.message,
      entries: outcome.entries,
      paged:
        outcome.paged === undefined
          ? undefined
          : { size: outcome.paged.size, cookie: Buffer.from(outcome.paged.cookie, "latin1") },
      event:
        kind === undefined
          ? undefined
          : {
              kind,
              summary: `${described()} answered ${outcome.status} (${resultCode}): ${outcome.message}`,
            },
    };
  } catch (error) {
    if (error instanceof LdapError) return { ...replyFromError(error, described()), entries: [] };
    if (error instanceof BerError) {
      return {
        ...replyFromError(
          new LdapError("protocolError", `malformed search request: ${error.message}`, "malformed"),
          described(),
        ),
        entries: [],
      };
    }
    throw error;
  }
}
