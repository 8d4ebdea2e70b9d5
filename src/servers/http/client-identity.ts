/** The verified client certificate of a mutual-TLS request, for handlers to check against SDS. */
import type { TLSSocket } from "node:tls";
import type { Request } from "express";

export interface ClientIdentity {
  readonly commonName: string;
  readonly fingerprint256: string;
  readonly validTo: string;
}

export function clientIdentity(req: Request): ClientIdentity | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.authorized !== true || socket.getPeerCertificate === undefined) return undefined;
  const cert = socket.getPeerCertificate();
  const cn = cert.subject.CN;
  const commonName = Array.isArray(cn) ? (cn[0] ?? "") : (cn ?? "");
  return { commonName, fingerprint256: cert.fingerprint256, validTo: cert.valid_to };
}
