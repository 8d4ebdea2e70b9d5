/**
 * End-to-end plumbing for the MHS tests: a simulator on port 0, a supplier inbound endpoint
 * registered through the control API (which issues its certificate), an HTTPS client presenting
 * that certificate, and waits on the journal. Nothing here switches TLS verification off.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";
import type { JournalEvent } from "../../src/core/store/store.js";
import type { ReadyInfo } from "../../src/simulator.js";
import type { BuiltRequest } from "./mhs-messages.js";
import { startSupplier, type Supplier } from "./supplier.js";

export interface Registration {
  readonly partyKey: string;
  readonly asid: string;
  readonly odsCode: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface SpineResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
}

/** POST /_control/endpoints, as a test suite that starts its inbound server on port 0 would. */
export async function registerEndpoint(
  control: string,
  body: { odsCode: string; url: string; interactions: readonly string[] },
): Promise<Registration> {
  const response = await request(`${control}/_control/endpoints`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.body.json()) as Registration & { detail?: string };
  if (response.statusCode !== 201)
    throw new Error(`registration failed: ${response.statusCode} ${json.detail ?? ""}`);
  return json;
}

/** A supplier endpoint on port 0, registered and holding its issued certificate. */
export async function startRegisteredSupplier(
  ready: ReadyInfo,
  odsCode: string,
  interactions: readonly string[],
): Promise<{ supplier: Supplier; registration: Registration }> {
  const supplier = await startSupplier({ caFile: ready.caFile });
  const registration = await registerEndpoint(ready.control, { odsCode, url: supplier.url, interactions });
  supplier.useCertificate(registration);
  supplier.setPartyKey(registration.partyKey);
  return { supplier, registration };
}

/** An HTTPS client of the simulator that presents the supplier's certificate (mutual TLS). */
export function spineClient(
  ready: ReadyInfo,
  identity: { certFile: string; keyFile: string },
): {
  post(
    path: string,
    message: BuiltRequest | { soapAction?: string; contentType?: string; body: Buffer | string },
    method?: string,
  ): Promise<SpineResponse>;
  close(): Promise<void>;
} {
  const agent = new Agent({
    connect: {
      ca: readFileSync(ready.caFile),
      cert: readFileSync(identity.certFile),
      key: readFileSync(identity.keyFile),
      servername: "localhost",
    },
  });
  return {
    async post(path, message, method = "POST") {
      const headers: Record<string, string> = {};
      if (message.soapAction !== undefined) headers.soapaction = message.soapAction;
      if (message.contentType !== undefined) headers["content-type"] = message.contentType;
      const response = await request(`${ready.https}${path}`, {
        dispatcher: agent,
        method: method as "POST",
        headers,
        ...(method === "POST" ? { body: message.body } : {}),
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body, text: body.toString("utf8") };
    },
    close: () => agent.close(),
  };
}

/** Resolves with the first journal event (already recorded or still to come) that matches. */
export function waitForEvent(
  journal: {
    list(options?: { afterId?: number; limit?: number }): JournalEvent[];
    subscribe(listener: (e: JournalEvent) => void): () => void;
  },
  match: (event: JournalEvent) => boolean,
  timeoutMs = 10_000,
): Promise<JournalEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching journal event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = journal.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
    const existing = journal.list({ limit: 100_000 }).find(match);
    if (existing !== undefined) {
      clearTimeout(timer);
      unsubscribe();
      resolve(existing);
    }
  });
}

type Directory = readonly { attributes: Readonly<Record<string, readonly string[]>> }[];

/** The CPA id of a party's entry for a service-interaction, as SDS clients read it. */
export function sdsCpaId(directory: Directory, partyKey: string, svcIA: string): string {
  const entry = directory.find(
    (e) =>
      e.attributes.nhsMhsSvcIA?.includes(svcIA) === true && e.attributes.nhsMHSPartyKey?.[0] === partyKey,
  );
  const cpaId = entry?.attributes.nhsMhsCPAId?.[0];
  if (cpaId === undefined) throw new Error(`${partyKey} has no entry for ${svcIA}`);
  return cpaId;
}

/** The CPA id of Spine's entry for a service-interaction. */
export function spineCpaId(directory: Directory, svcIA: string): string {
  return sdsCpaId(directory, "YES-0000806", svcIA);
}

/** The contract attributes of a party's nhsMhs entry for a service-interaction, as SDS holds them. */
export function sdsContract(
  directory: Directory,
  partyKey: string,
  svcIA: string,
): {
  ackRequested: boolean;
  duplicateElimination: boolean;
  actor?: string;
  syncReplyMode: string;
  retries: number;
  retryInterval: string;
  persistDuration: string;
} {
  const entry = directory.find(
    (e) =>
      e.attributes.nhsMhsSvcIA?.includes(svcIA) === true && e.attributes.nhsMHSPartyKey?.[0] === partyKey,
  );
  if (entry === undefined) throw new Error(`${partyKey} has no nhsMhs entry for ${svcIA}`);
  const a = entry.attributes;
  const actor = a.nhsMHSActor?.[0];
  return {
    ackRequested: a.nhsMHSAckRequested?.[0] === "always",
    duplicateElimination: a.nhsMHSDuplicateElimination?.[0] === "always",
    ...(actor === undefined ? {} : { actor }),
    syncReplyMode: a.nhsMHSSyncReplyMode?.[0] ?? "",
    retries: Number(a.nhsMHSRetries?.[0] ?? 0),
    retryInterval: a.nhsMHSRetryInterval?.[0] ?? "",
    persistDuration: a.nhsMHSPersistDuration?.[0] ?? "",
  };
}
