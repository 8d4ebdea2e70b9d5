/**
 * Spine → supplier over mutual TLS, as msg-out (mhs-wire.md §7.1–§7.2): the msg-out certificate
 * and key from the local PKI as the client identity, the supplier's certificate verified against
 * our CA bundle (never switched off), a 10 s limit per attempt, and the HTTP headers Spine's
 * captured deliveries carry. One undici Agent for the life of the simulator.
 */
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { Agent, request } from "undici";
import type { OutboundTransport, TransportResponse } from "../../core/mhs/delivery-worker.js";
import type { OutboundMessage } from "../../core/store/message-store.js";

export interface OutboundTlsFiles {
  /** PEM: the msg-out certificate (leaf then intermediate). */
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM: the CA certificates suppliers' endpoint certificates must chain to. */
  readonly caFile: string;
}

/** The public fake Spine's inbound timeout, applied to connect, headers and body alike. */
export const deliveryTimeoutMs = 10_000;

export interface ClosableTransport extends OutboundTransport {
  close(): Promise<void>;
}

export function createOutboundTransport(
  tls: OutboundTlsFiles,
  timeoutMs = deliveryTimeoutMs,
): ClosableTransport {
  // One secure context for every connection: building it (parsing the key and certificates) costs
  // more than the handshake itself, and Spine closes each delivery's connection.
  const secureContext = createSecureContext({
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    ca: readFileSync(tls.caFile),
  });
  const agent = new Agent({
    connect: { secureContext, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async post(message: OutboundMessage): Promise<TransportResponse> {
      const response = await request(message.url, {
        dispatcher: agent,
        method: "POST",
        // §7.2: the header block preserved from an OpenTest delivery.
        headers: {
          soapaction: message.soapAction,
          "content-type": message.contentType,
          "user-agent": "Mozilla/5.0 (compatible; pycurl)",
          accept: "*/*",
          "accept-encoding": "none",
          connection: "close",
        },
        body: message.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      const type = response.headers["content-type"];
      return {
        status: response.statusCode,
        contentType: Array.isArray(type) ? type[0] : type,
        body,
      };
    },
    close: () => agent.close(),
  };
}
