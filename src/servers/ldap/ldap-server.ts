/**
 * The SDS directory listeners (LDAP and LDAPS). The only module that imports ldapjs.
 * Foundation scope: anonymous bind and the root DSE; the directory search engine arrives with the
 * SDS feature.
 */
import ldap from "ldapjs";
import type { Server as NetServer } from "node:net";
import type { ServerDeps } from "../server-deps.js";
import type { TlsMaterial } from "../http/https-server.js";

/** The parts of ldapjs v3's server request/response we use (its published types describe v2). */
interface LdapRequest {
  readonly dn: { toString(): string };
  readonly scope?: string;
}
interface LdapResponse {
  send(entry: { dn: string; attributes: Record<string, string[]> }, noFiltering?: boolean): void;
  end(status?: number): void;
}
type Handler = (req: LdapRequest, res: LdapResponse, next: () => void) => void;
interface LdapjsServer {
  bind(dn: string, handler: Handler): void;
  search(dn: string, handler: Handler): void;
  readonly server: NetServer;
}

export interface LdapServer {
  /** The underlying socket server, for the shared listen/close helpers. */
  readonly netServer: NetServer;
}

export function createLdapServer(deps: ServerDeps, tls?: TlsMaterial): LdapServer {
  const log = deps.logger.child({ component: tls === undefined ? "ldap" : "ldaps" });
  const mutual = deps.config.mtls === "on";
  const options =
    tls === undefined
      ? {}
      : { ...tls, certificate: tls.cert, minVersion: "TLSv1.2", requestCert: mutual, rejectUnauthorized: mutual };
  const server = ldap.createServer(options as ldap.ServerOptions) as unknown as LdapjsServer;
  server.bind("", (req, res, next) => {
    log.debug({ dn: req.dn.toString() }, "bind");
    res.end();
    next();
  });
  // The root DSE is registered last: ldapjs matches routes by suffix and "" matches every DN.
  server.search("", (req, res, next) => {
    if (req.dn.toString() === "" && req.scope === "base") {
      res.send({
        dn: "",
        attributes: {
          objectClass: ["top", "OpenLDAProotDSE"],
          namingContexts: ["o=nhs"],
          subschemaSubentry: ["cn=Subschema"],
          supportedLDAPVersion: ["3"],
        },
      });
    }
    res.end();
    next();
  });
  const net = server.server;
  if (tls !== undefined) {
    net.on("tlsClientError", (error: Error) => {
      const summary = `LDAPS handshake refused: ${error.message}`;
      log.warn(summary);
      deps.journal.record({ kind: "tls.refused", listener: "ldaps", summary });
    });
  }
  return { netServer: net };
}
