/**
 * A supplier's inbound MHS for tests: HTTPS on 127.0.0.1 port 0 with mutual TLS both ways. It
 * requires a client certificate chained to the simulator's CA (Spine's msg-out), presents the
 * certificate the simulator issued when the endpoint was registered (SAN 127.0.0.1), records every
 * delivery and answers as scripted: an eb:Acknowledgment by default, or a failure.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { buildAcknowledgment } from "../../src/core/messaging/ebxml-build.js";
import { parseEbxmlEnvelope, type EbxmlHeader } from "../../src/core/messaging/ebxml.js";
import { readHl7Wrapper, type Hl7Wrapper } from "../../src/core/messaging/hl7.js";
import { decodePartText, parseMultipartRelated } from "../../src/core/messaging/mime.js";

export interface Delivery {
  readonly at: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly header: EbxmlHeader;
  readonly hl7: Hl7Wrapper;
  /** The CN of the client certificate Spine presented. */
  readonly clientCommonName: string;
  readonly answer: SupplierAnswer;
}

/** What the supplier does with the next delivery. */
export type SupplierAnswer = "ack" | "fail" | "error-list" | "empty-200";

export interface Supplier {
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Answers for the next deliveries, in order; afterwards "ack". */
  script(answers: readonly SupplierAnswer[]): void;
  /** The party key the supplier acknowledges as (eb:Acknowledgment/eb:From). */
  setPartyKey(key: string): void;
  /** Installs the certificate the simulator issued at registration. */
  useCertificate(files: { certFile: string; keyFile: string }): void;
  /** Resolves once `count` deliveries have arrived (rejects after `timeoutMs`). */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

export async function startSupplier(options: {
  caFile: string;
  partyKey?: string;
  path?: string;
}): Promise<Supplier> {
  const ca = readFileSync(options.caFile);
  const deliveries: Delivery[] = [];
  const queue: SupplierAnswer[] = [];
  let partyKey = options.partyKey ?? "";
  const waiters: (() => void)[] = [];

  const server: Server = createServer({ requestCert: true, rejectUnauthorized: true, ca }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const mime = parseMultipartRelated(body, req.headers["content-type"] ?? "");
      const { header } = parseEbxmlEnvelope(mime.rootText);
      const payload = mime.parts.find((p) => p.contentId === header.manifest[0]?.contentId);
      const hl7 = readHl7Wrapper(payload === undefined ? "<none/>" : decodePartText(payload));
      const answer = queue.shift() ?? "ack";
      const peer = (req.socket as Partial<TLSSocket>).getPeerCertificate?.();
      const cn = peer?.subject.CN;
      deliveries.push({
        at: Date.now(),
        headers: req.headers,
        body,
        header,
        hl7,
        clientCommonName: Array.isArray(cn) ? (cn[0] ?? "") : (cn ?? ""),
        answer,
      });
      for (const wake of waiters.splice(0)) wake();
      if (answer === "fail") {
        res.writeHead(503, { "content-type": "text/plain" }).end("supplier unavailable");
        return;
      }
      if (answer === "empty-200") {
        res.writeHead(200).end();
        return;
      }
      const ack = buildAcknowledgment(header, {
        now: new Date(),
        messageId: randomUUID().toUpperCase(),
        spinePartyKey: partyKey,
      });
      const xml =
        answer === "ack"
          ? ack
          : ack
              .replace("<eb:Action>Acknowledgment</eb:Action>", "<eb:Action>MessageError</eb:Action>")
              .replace(
                /<eb:Acknowledgment[\s\S]*<\/eb:Acknowledgment>/,
                `<eb:ErrorList SOAP:mustUnderstand="1" eb:version="2.0" eb:highestSeverity="Error"><eb:Error eb:codeContext="urn:oasis:names:tc:ebxml-msg:service:errors" eb:errorCode="ValueNotRecognized" eb:severity="Error"><eb:Description xml:lang="en-GB">501314:Invalid To Party Type attribute</eb:Description></eb:Error></eb:ErrorList>`,
              );
      res.writeHead(200, { "content-type": "text/xml" }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}${options.path ?? "/reliablemessaging/inbound"}`,
    deliveries,
    script: (answers) => queue.push(...answers),
    useCertificate: ({ certFile, keyFile }) => {
      server.setSecureContext({ cert: readFileSync(certFile), key: readFileSync(keyFile), ca });
    },
    setPartyKey: (key) => {
      partyKey = key;
    },
    async waitForDeliveries(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`expected ${count} deliveries, got ${deliveries.length} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return deliveries.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
