/**
 * The outbox survives the process: the built simulator (dist/main.js) runs with a file database,
 * is killed with SIGKILL while a reply waits for its retry, and a new process delivers it. The
 * virtual clock (POST /_control/clock/advance) stands in for the SDS retry interval.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import type { ReadyInfo } from "../../src/simulator.js";
import { startCli } from "../support/cli.js";
import { sharedCertsDir } from "../support/start-test-simulator.js";
import { registerEndpoint, spineClient } from "./harness.js";
import { ebxmlRequest } from "./mhs-messages.js";
import { startSupplier } from "./supplier.js";

const PSIS = "urn:nhs:names:services:psis";
const id = (): string => randomUUID().toUpperCase();

interface MessageState {
  readonly replies: readonly {
    messageId: string;
    state: string;
    attempts: number;
    retryIntervalMs: number;
  }[];
}

async function control<T>(ready: ReadyInfo, path: string, body?: unknown): Promise<T> {
  const response = await request(`${ready.control}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return (await response.body.json()) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("MHS outbox across a crash", () => {
  it("delivers a reply after the process is killed with SIGKILL mid-retry and started again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spine-sim-restart-"));
    const args = [
      "--db",
      join(dir, "spine-sim.db"),
      "--data-dir",
      dir,
      "--certs-dir",
      sharedCertsDir,
      "--clock",
      "virtual",
      "--https-port",
      "0",
      "--ldap-port",
      "0",
      "--ldaps-port",
      "0",
      "--control-port",
      "0",
      "--log-level",
      "warn",
    ];
    const first = await startCli(args, join(dir, "ready-1.json"));
    onTestFinished(async () => {
      if (first.child.exitCode === null) await first.stop("SIGKILL");
    });
    const ready1 = first.ready as unknown as ReadyInfo;
    const supplier = await startSupplier({ caFile: ready1.caFile });
    onTestFinished(() => supplier.close());
    const registration = await registerEndpoint(ready1.control, {
      odsCode: "Z99500",
      url: supplier.url,
      interactions: [`${PSIS}:REPC_IN150016UK05`],
    });
    supplier.useCertificate(registration);
    supplier.setPartyKey(registration.partyKey);
    supplier.script(["fail"]);

    const messageId = id();
    const client = spineClient(ready1, registration);
    const cpaId = "S20001A000182";
    const response = await client.post(
      "/reliablemessaging/reliablerequest",
      ebxmlRequest({
        from: registration.partyKey,
        cpaId,
        service: PSIS,
        interaction: "REPC_IN150016UK05",
        messageId,
        conversationId: id(),
        hl7Id: id(),
        senderAsid: registration.asid,
        reliable: true,
      }),
    );
    await client.close();
    expect(response.status).toBe(202);
    await control(ready1, "/_control/clock/advance", { ms: 500 });
    await supplier.waitForDeliveries(1);
    const pending = await until("the retry to be scheduled", async () => {
      const state = await control<MessageState>(ready1, `/_control/messages/${messageId}`);
      const reply = state.replies[0];
      return reply?.attempts === 1 && reply.state === "pending" ? reply : undefined;
    });

    // kill -9: no shutdown hook runs, nothing is flushed on purpose.
    expect(await first.stop("SIGKILL")).toBeNull();

    const second = await startCli(args, join(dir, "ready-2.json"));
    onTestFinished(async () => {
      await second.stop();
    });
    const ready2 = second.ready as unknown as ReadyInfo;
    await control(ready2, "/_control/clock/advance", { ms: pending.retryIntervalMs });
    await supplier.waitForDeliveries(2);
    const delivered = await until("the reply to be delivered", async () => {
      const state = await control<MessageState>(ready2, `/_control/messages/${messageId}`);
      const reply = state.replies[0];
      return reply?.state === "delivered" ? reply : undefined;
    });

    expect(delivered).toMatchObject({ messageId: pending.messageId, attempts: 2 });
    expect(supplier.deliveries.map((d) => d.header.messageId)).toEqual([
      pending.messageId,
      pending.messageId,
    ]);
    expect(supplier.deliveries.map((d) => d.answer)).toEqual(["fail", "ack"]);
    const journal = await control<{ journal: { kind: string }[] }>(
      ready2,
      `/_control/messages/${pending.messageId}`,
    );
    expect(journal.journal.map((e) => e.kind)).toEqual([
      "mhs.delivery.attempt",
      "mhs.delivery.retry-scheduled",
      "mhs.delivery.attempt",
      "mhs.delivery.delivered",
    ]);
  });
});
