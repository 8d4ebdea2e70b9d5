/**
 * The HTTPS listener: TLS 1.2+, our server certificate, and with mutual TLS on, a client certificate
 * that chains to our CA and is not revoked; refusals are logged and journalled with the reason.
 */
import { createServer, type Server } from "node:https";
import type { RequestListener } from "node:http";
import type { TlsServerMaterial } from "../../tls/pki.js";
import { clientCertificateOptions, refuseUnverifiedClients } from "../client-certificates.js";
import type { ServerDeps } from "../server-deps.js";

export type TlsMaterial = TlsServerMaterial;

export function createHttpsServer(deps: ServerDeps, tls: TlsMaterial, app: RequestListener): Server {
  const server = createServer(
    { ...tls, minVersion: "TLSv1.2", ...clientCertificateOptions(deps.config.mtls) },
    app,
  );
  refuseUnverifiedClients(server, deps, "https");
  return server;
}
