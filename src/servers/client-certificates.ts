/**
 * Mutual TLS for the HTTPS and LDAPS listeners. The handshake asks for a client certificate and
 * OpenSSL verifies it against our CA and CRLs; this module then refuses every connection whose
 * certificate is missing, expired, not yet valid, revoked or foreign before a single byte of the
 * request is read, and records the precise reason. Letting OpenSSL abort the handshake itself would
 * refuse the same connections, but under TLS 1.3 the server only learns "socket hang up", and the
 * journal could not say why a supplier was refused (docs/decisions/0003).
 */
import type { Server as TlsServer, TLSSocket } from "node:tls";
import type { ServerDeps } from "./server-deps.js";

/** Options to spread into tls/https createServer. */
export function clientCertificateOptions(mtls: "on" | "off"): {
  requestCert: boolean;
  rejectUnauthorized: boolean;
} {
  // Verification still happens (socket.authorized); refusal is done by refuseUnverifiedClients.
  return { requestCert: mtls === "on", rejectUnauthorized: false };
}

const reasons: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: "the client certificate has expired",
  CERT_NOT_YET_VALID: "the client certificate is not yet valid",
  CERT_REVOKED: "the client certificate is revoked",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the client certificate does not chain to the spine-sim CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the client certificate does not chain to the spine-sim CA",
  SELF_SIGNED_CERT_IN_CHAIN: "the client certificate does not chain to the spine-sim CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the client certificate is self-signed",
};

export function refuseUnverifiedClients(
  server: TlsServer,
  deps: Pick<ServerDeps, "config" | "logger" | "journal">,
  listener: string,
): void {
  const log = deps.logger.child({ component: listener });
  if (deps.config.mtls === "on") {
    // Prepended so it runs before the protocol layer (HTTP or LDAP) starts reading the socket.
    server.prependListener("secureConnection", (socket: TLSSocket) => {
      if (socket.authorized) return;
      // Typed as always set, but undefined when the client sent no certificate at all.
      const code = String((socket.authorizationError as Error | undefined) ?? "NO_CERTIFICATE");
      const hasCertificate = Object.keys(socket.getPeerCertificate()).length > 0;
      const reason = hasCertificate
        ? (reasons[code] ?? `the client certificate failed verification (${code})`)
        : "no client certificate was presented";
      const summary = `${listener}: mutual TLS refused ${socket.remoteAddress ?? "a client"}: ${reason}`;
      log.warn({ code }, summary);
      deps.journal.record({ kind: "tls.refused", listener, summary, detail: { code } });
      socket.destroy();
    });
  }
  server.on("tlsClientError", (error, socket) => {
    const summary = `${listener}: TLS handshake from ${socket.remoteAddress ?? "a client"} failed: ${error.message}`;
    log.warn({ code: (error as NodeJS.ErrnoException).code }, summary);
    deps.journal.record({ kind: "tls.refused", listener, summary });
  });
}
