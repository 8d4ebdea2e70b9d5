/**
 * The SDS directory listeners (LDAP and LDAPS): anonymous and simple binds, searches over the
 * directory index, a read-only directory (reference sds-ldap.md §1, §8, §10). The only module that
 * imports ldapjs.
 *
 * ldapjs 3.0.7 (the last release) sets up connections and parses, routes and answers unbind,
 * abandon, compare and the write operations. Its defects are worked around here:
 *  - every connection gets TCP no-delay (without it every search waits ~40 ms for a delayed ACK);
 *  - the byte stream is framed by LdapConnection, which bounds message size and answers malformed
 *    input instead of letting ldapjs drop the connection silently;
 *  - searches are decoded and answered by our own codec: ldapjs's search parsing is lossy (filter
 *    values arrive still escaped, attribute OIDs and options are refused), its response drops
 *    requested attributes spelled with capitals (#900), its filter matching is case-sensitive on
 *    names (#856) and it applies no scope — so filter evaluation, scope, attribute selection,
 *    size limit and paged results all happen in core/directory;
 *  - binds are answered here too: ldapjs's server assigns to a getter-only property while parsing
 *    a bind (`req.name = …`), which only works while its code runs in sloppy mode — bundled into
 *    an ES module (scripts/build.mjs) every bind failed with invalidDNSyntax; SASL gets 48 (L3);
 *  - extended operations are answered here (ldapjs has no way to journal an unsupported one);
 *  - requests ldapjs cannot parse are answered with protocolError, not a reset connection.
 */
import ldap from "ldapjs";
import type { Server as NetServer, Socket } from "node:net";
import { Server as TlsServer } from "node:tls";
import type { DirectoryIndex } from "../../core/directory/directory-index.js";
import type { SdsBehaviour } from "../../core/directory/sds-behaviour.js";
import { parseDn } from "../../core/directory/dn.js";
import type { ResultAttribute } from "../../core/directory/search.js";
import { BerError, octetString } from "./ber.js";
import { clientCertificateOptions, refuseUnverifiedClients } from "../client-certificates.js";
import type { TlsMaterial } from "../http/https-server.js";
import type { ServerDeps } from "../server-deps.js";
import { handleBind, handleCompare, handleWrite } from "./handlers/directory-operations.js";
import { handleExtended } from "./handlers/extended-handler.js";
import type { LdapEvent, LdapReply } from "./handlers/reply.js";
import { handleSearch } from "./handlers/search-handler.js";
import {
  encodeAttribute,
  encodeControl,
  encodeMessage,
  encodePagedResultsValue,
  encodeResult,
  encodeSearchEntry,
  type Envelope,
} from "./ldap-codec.js";
import { LdapConnection } from "./ldap-connection.js";
import { operationNames, resultCodes, responseTagOf } from "./ldap-errors.js";
import { pagedResultsOid } from "../../core/directory/root-dse.js";

export interface LdapServerDeps extends ServerDeps {
  /** The index of the current directory version; rebuilt by the composition root when data changes. */
  directory(): DirectoryIndex;
  /** The fault hook (scenario `sds` section, PUT /_control/sds/behaviour), read on every bind and search. */
  sdsBehaviour(): SdsBehaviour;
}

/** The diagnostic message of a bind or search refused while the scenario has SDS down (reference E7). */
export const unavailableMessage =
  'SDS is unavailable: the spine-sim scenario has taken the directory down, as Spine does during a maintenance window; retry later (spine-sim: PUT /_control/sds/behaviour {"unavailable": false} brings it back)';

export interface LdapServer {
  /** The underlying socket server, for the shared listen/close helpers. */
  readonly netServer: NetServer;
}

// ---- the parts of ldapjs v3's server we use (its published types describe v2) ----

interface LdapjsDn {
  toString(): string;
}
interface LdapjsRequest {
  readonly dn: LdapjsDn;
  readonly entry?: LdapjsDn;
  readonly object?: LdapjsDn;
  readonly attribute?: string;
  readonly value?: string;
}
interface LdapjsResponse {
  matchedDN: string;
  diagnosticMessage: string;
  end(status?: number): void;
}
type LdapjsHandler = (req: LdapjsRequest, res: LdapjsResponse, next: () => void) => void;
interface LdapjsParser {
  write(data: Buffer): boolean;
  removeAllListeners(event: "error"): void;
  on(event: "error", listener: (error: Error) => void): void;
}
interface LdapjsConnection extends Socket {
  parser: LdapjsParser;
}
interface LdapjsServer {
  compare(dn: string, handler: LdapjsHandler): void;
  add(dn: string, handler: LdapjsHandler): void;
  del(dn: string, handler: LdapjsHandler): void;
  modify(dn: string, handler: LdapjsHandler): void;
  modifyDN(dn: string, handler: LdapjsHandler): void;
  on(event: "error", listener: (error: Error) => void): void;
  newConnection(socket: Socket): void;
  readonly server: NetServer;
}

/** Encoded attributes, shared by every search: the directory builds each ResultAttribute once per version. */
const encodedAttributes = new WeakMap<ResultAttribute, Buffer>();

function encoded(attribute: ResultAttribute): Buffer {
  let bytes = encodedAttributes.get(attribute);
  if (bytes === undefined) {
    bytes = encodeAttribute(attribute.name, attribute.values);
    encodedAttributes.set(attribute, bytes);
  }
  return bytes;
}

export function createLdapServer(deps: LdapServerDeps, tls?: TlsMaterial): LdapServer {
  const listener = tls === undefined ? "ldap" : "ldaps";
  const log = deps.logger.child({ component: listener });

  const journal = (kind: string, summary: string): void => {
    try {
      deps.journal.record({ kind, listener, summary });
    } catch (error) {
      // The journal (SQLite) failing must not take the listener down with it.
      log.error({ err: error }, `could not journal ${kind}: ${summary}`);
    }
  };
  const report = (event: LdapEvent, peer: string): void => {
    const summary = `${listener} ${peer}: ${event.summary}`;
    if (event.kind === "noSuchObject" || event.kind === "unavailable") log.info(summary);
    else log.warn(summary);
    journal(`ldap.${event.kind}`, summary);
  };

  /** Writes a result for a request ldapjs did not answer itself. */
  const result = (envelope: Envelope, reply: LdapReply): Buffer | undefined => {
    const responseTag = responseTagOf[envelope.opTag];
    if (responseTag === undefined) return undefined;
    return encodeMessage(
      envelope.messageId,
      encodeResult(responseTag, reply.resultCode, reply.matchedDn, reply.message),
    );
  };

  const options = {
    connectionRouter: (socket: Socket) => {
      accept(socket);
    },
    ...(tls === undefined
      ? {}
      : {
          ...tls,
          certificate: tls.cert,
          minVersion: "TLSv1.2",
          ...clientCertificateOptions(deps.config.mtls),
        }),
  };
  const server = ldap.createServer(options) as unknown as LdapjsServer;
  // ldapjs re-emits its socket server's errors on itself; without a listener a port clash would
  // throw instead of reaching listen()'s precise "port in use" error.
  server.on("error", (error) => {
    log.debug({ err: error }, "ldap server error");
  });
  if (server.server instanceof TlsServer) refuseUnverifiedClients(server.server, deps, "ldaps");

  /** Answers an ldapjs-routed request from a handler's reply, reporting refusals. */
  const answer = (res: LdapjsResponse, reply: LdapReply, peer: string): void => {
    if (reply.event !== undefined) report(reply.event, peer);
    res.matchedDN = reply.matchedDn;
    res.diagnosticMessage = reply.message;
    res.end(reply.resultCode);
  };
  const peerOf = (req: LdapjsRequest): string =>
    (req as { connection?: { ldap?: { id?: string } } }).connection?.ldap?.id ?? "client";
  /**
   * The message ldapjs is parsing and handling right now, for its controls and for answering a parse
   * failure. Safe to share: ldapjs parses and runs our handlers synchronously inside parser.write().
   */
  let currentEnvelope: Envelope | undefined;

  server.compare("", (req, res, next) => {
    const request = {
      dn: req.entry?.toString() ?? "",
      attribute: req.attribute ?? "",
      value: req.value ?? "",
      controls: currentEnvelope?.controls ?? [],
    };
    answer(res, handleCompare(deps.directory(), request), peerOf(req));
    next();
  });
  const write =
    (operation: string, dnOf: (req: LdapjsRequest) => LdapjsDn | undefined): LdapjsHandler =>
    (req, res, next) => {
      answer(res, handleWrite(operation, dnOf(req)?.toString() ?? ""), peerOf(req));
      next();
    };
  server.add(
    "",
    write("add", (req) => req.entry),
  );
  server.del(
    "",
    write("delete", (req) => req.entry),
  );
  server.modify(
    "",
    write("modify", (req) => req.object),
  );
  server.modifyDN(
    "",
    write("modifyDN", (req) => req.entry),
  );

  function accept(plain: Socket): void {
    // With mutual TLS on, refuseUnverifiedClients may already have closed the socket.
    if (plain.destroyed) return;
    const socket = plain as LdapjsConnection;
    socket.setNoDelay(true);
    server.newConnection(socket);
    const peer = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    /** The DN of the last successful bind on this connection; "" while anonymous. */
    let boundDn = "";
    // LdapConnection frames the stream; ldapjs's parser only ever sees whole, well-formed messages.
    socket.removeAllListeners("data");
    const parser = socket.parser;
    parser.removeAllListeners("error");
    parser.on("error", (error: Error) => {
      // ldapjs could not parse a message LdapConnection framed: answer it instead of dropping the client.
      if (currentEnvelope !== undefined)
        connection.write(refuseUnparsed(currentEnvelope, error, peer) ?? Buffer.alloc(0));
    });
    const connection = new LdapConnection({
      socket,
      report: (event) => {
        report(event, peer);
      },
      // The pipeline for one message: framing and envelope (LdapConnection) → route by operation →
      // handler (returns data) → encode → write. Search, bind and extended operations are answered
      // here; the rest go to ldapjs.
      answer: (envelope) => {
        try {
          // The fault hook first: while the scenario has SDS down, binds and searches get 52 (E7).
          const behaviour = deps.sdsBehaviour();
          if (behaviour.unavailable && (envelope.opTag === 0x63 || envelope.opTag === 0x60))
            return unavailableResponse(envelope, peer);
          if (envelope.opTag === 0x63) {
            if (behaviour.delayMs > 0) return delayed(behaviour.delayMs, envelope, peer);
            return searchResponse(envelope, peer);
          }
          if (envelope.opTag === 0x60) {
            const reply = handleBind(envelope);
            if (reply.event !== undefined) report(reply.event, peer);
            boundDn = reply.boundDn;
            return result(envelope, reply);
          }
          if (envelope.opTag === 0x77) {
            const reply = handleExtended(envelope, boundDn);
            if (reply.event !== undefined) report(reply.event, peer);
            const extra = reply.responseValue === undefined ? [] : [octetString(reply.responseValue, 0x8b)];
            return encodeMessage(
              envelope.messageId,
              encodeResult(0x78, reply.resultCode, reply.matchedDn, reply.message, ...extra),
            );
          }
          return undefined;
        } catch (error) {
          return internalError(envelope, error, peer);
        }
      },
      delegate: (frame, envelope) => {
        // ldapjs answers a DN it cannot parse with a bare invalidDNSyntax; answer it here, with a reason, and journal it.
        const badDn = invalidDnOf(envelope);
        if (badDn !== undefined) {
          const operation = operationNames[envelope.opTag] ?? "request";
          const message = `invalid DN ${JSON.stringify(badDn)}: write DNs as in RFC 4514, e.g. uniqueIdentifier=918999198993,ou=Services,o=nhs`;
          report(
            { kind: "malformed", summary: `${operation} answered invalidDNSyntax (34): ${message}` },
            peer,
          );
          connection.write(
            result(envelope, { resultCode: resultCodes.invalidDnSyntax, matchedDn: "", message }) ??
              Buffer.alloc(0),
          );
          return;
        }
        currentEnvelope = envelope;
        try {
          parser.write(frame);
        } catch (error) {
          connection.write(internalError(envelope, error, peer) ?? Buffer.alloc(0));
        } finally {
          currentEnvelope = undefined;
        }
      },
    });
  }

  function searchResponse(envelope: Envelope, peer: string): Buffer {
    const reply = handleSearch(deps.directory(), envelope);
    if (reply.event !== undefined) report(reply.event, peer);
    const parts = reply.entries.map((entry) =>
      encodeSearchEntry(envelope.messageId, entry.dn, entry.attributes.map(encoded)),
    );
    const controls =
      reply.paged === undefined
        ? []
        : [encodeControl(pagedResultsOid, encodePagedResultsValue(reply.paged.size, reply.paged.cookie))];
    parts.push(
      encodeMessage(
        envelope.messageId,
        encodeResult(0x65, reply.resultCode, reply.matchedDn, reply.message),
        controls,
      ),
    );
    return Buffer.concat(parts);
  }

  /** A bind or search while the scenario has SDS unavailable; a bind leaves the connection as it was. */
  function unavailableResponse(envelope: Envelope, peer: string): Buffer | undefined {
    const operation = operationNames[envelope.opTag] ?? "request";
    report(
      { kind: "unavailable", summary: `${operation} answered unavailable (52): the scenario has SDS down` },
      peer,
    );
    return result(envelope, {
      resultCode: resultCodes.unavailable,
      matchedDn: "",
      message: unavailableMessage,
    });
  }

  /**
   * A search answered after the scenario's delay, searched when the delay ends (so it sees the
   * directory as it is then). Real time, not the virtual clock: it stands for a slow network or server.
   */
  function delayed(delayMs: number, envelope: Envelope, peer: string): Promise<Buffer> {
    return new Promise((resolve) => {
      setTimeout(() => {
        try {
          resolve(searchResponse(envelope, peer));
        } catch (error) {
          resolve(internalError(envelope, error, peer) ?? Buffer.alloc(0));
        }
      }, delayMs).unref();
    });
  }

  /** A request ldapjs failed to parse: answered with protocolError instead of a dropped connection. */
  function refuseUnparsed(envelope: Envelope, error: Error, peer: string): Buffer | undefined {
    const operation = operationNames[envelope.opTag] ?? "request";
    const message = `malformed ${operation} request: ${error.message}`;
    report({ kind: "malformed", summary: `${operation} answered protocolError (2): ${message}` }, peer);
    return result(envelope, { resultCode: resultCodes.protocolError, matchedDn: "", message });
  }

  function internalError(envelope: Envelope, error: unknown, peer: string): Buffer | undefined {
    const operation = operationNames[envelope.opTag] ?? "request";
    log.error({ err: error }, `${listener} ${peer}: ${operation} failed`);
    journal("ldap.error", `${listener} ${peer}: ${operation} failed: ${String(error)}`);
    return result(envelope, {
      resultCode: resultCodes.operationsError,
      matchedDn: "",
      message: "internal error in the SDS simulator; see its log",
    });
  }

  return { netServer: server.server };
}

/** The DN a compare or write names, if it is not a valid DN; undefined when valid or unreadable. */
function invalidDnOf(envelope: Envelope): string | undefined {
  try {
    let dn: string;
    if (envelope.opTag === 0x4a) {
      dn = envelope.op.readRest();
    } else if ([0x66, 0x68, 0x6c, 0x6e].includes(envelope.opTag)) {
      dn = envelope.op.readString();
    } else {
      return undefined;
    }
    return parseDn(dn) === undefined ? dn : undefined;
  } catch (error) {
    // Unreadable: ldapjs's parser will fail on it too, and refuseUnparsed answers.
    if (error instanceof BerError) return undefined;
    throw error;
  } finally {
    envelope.op.rewind();
  }
}
