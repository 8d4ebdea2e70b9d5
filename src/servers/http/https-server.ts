/**
 * The HTTPS listener: TLS 1.2+, our server certificate, and with mutual TLS on, a client certificate
 * that chains to our CA and is not revoked, checked in the handshake as Spine does. Refused
 * handshakes are logged and journalled with the reason.
 */
import { createServer, type Server } from "node:https";
import type { RequestListener } from "node:http";
import type { ServerDeps } from "../server-deps.js";

export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca: string | Buffer;
  readonly crl: string | Buffer;
}

export function createHttpsServer(deps: ServerDeps, tls: TlsMaterial, app: RequestListener): Server {
  const mutual = deps.config.mtls === "on";
  const server = createServer(
    {
      ...tls,
      minVersion: "TLSv1.2",
      requestCert: mutual,
      rejectUnauthorized: mutual,
    },
    app,
  );
  const log = deps.logger.child({ component: "https" });
  server.on("tlsClientError", (error, socket) => {
    const summary = `TLS handshake from ${socket.remoteAddress ?? "unknown"} refused: ${error.message}`;
    log.warn({ code: (error as NodeJS.ErrnoException).code }, summary);
    deps.journal.record({ kind: "tls.refused", listener: "https", summary });
  });
  return server;
}
