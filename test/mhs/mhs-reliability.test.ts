/**
 * Reliability end to end, on a virtual clock so that SDS intervals (minutes, hours) pass in
 * milliseconds: the test moves time with POST /_control/clock/advance, which also wakes the
 * delivery worker. Every other part is real: sockets, mutual TLS both ways, SQLite outbox.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { request } from "undici";
import { parseDurationMs } from "../../src/core/duration.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { sdsContract, spineClient, spineCpaId, startRegisteredSupplier, waitForEvent } from "./harness.js";
import { ebxmlRequest } from "./mhs-messages.js";

const PSIS = "urn:nhs:names:services:psis";
const REPLY = `${PSIS}:MCCI_IN010000UK13`;
const id = (): string => randomUUID().toUpperCase();

async function advance(sim: TestSimulator, ms: number): Promise<void> {
  const response = await request(`${sim.ready.control}/_control/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
  });
  expect(response.statusCode).toBe(200);
  await response.body.dump();
}

async function setUp() {
  const sim = await startTestSimulator({ clock: "virtual" });
  onTestFinished(() => sim.stop());
  const { supplier, registration } = await startRegisteredSupplier(sim.ready, "Z99200", [
    `${PSIS}:REPC_IN150016UK05`,
  ]);
  onTestFinished(() => supplier.close());
  const client = spineClient(sim.ready, registration);
  onTestFinished(() => client.close());
  const contract = sdsContract(sim.directory(), registration.partyKey, REPLY);
  const retryIntervalMs = parseDurationMs(contract.retryInterval) ?? Number.NaN;
  const persistMs = parseDurationMs(contract.persistDuration) ?? Number.NaN;
  const send = (overrides: { messageId?: string; hl7Id?: string; conversationId?: string } = {}) => {
    const message = ebxmlRequest({
      from: registration.partyKey,
      cpaId: spineCpaId(sim.directory(), `${PSIS}:REPC_IN150016UK05`),
      service: PSIS,
      interaction: "REPC_IN150016UK05",
      messageId: overrides.messageId ?? id(),
      conversationId: overrides.conversationId ?? id(),
      hl7Id: overrides.hl7Id ?? id(),
      senderAsid: registration.asid,
      reliable: true,
    });
    return client.post("/reliablemessaging/reliablerequest", message);
  };
  return { sim, supplier, registration, contract, retryIntervalMs, persistMs, send };
}

const kinds = (sim: TestSimulator, messageId: string): string[] =>
  sim.journal.list({ messageId, limit: 1000 }).map((e) => e.kind);

describe("MHS reliability", () => {
  it("retries a reply the supplier fails twice and delivers it once on the third attempt, at the SDS retry interval", async () => {
    const { sim, supplier, contract, retryIntervalMs, send } = await setUp();
    expect(contract.retries).toBeGreaterThanOrEqual(2);
    supplier.script(["fail", "fail"]);

    expect((await send()).status).toBe(202);
    await advance(sim, 500); // the reply delay
    await supplier.waitForDeliveries(1);
    const replyId = supplier.deliveries[0]?.header.messageId ?? "";
    await waitForEvent(
      sim.journal,
      (e) => e.kind === "mhs.delivery.retry-scheduled" && e.messageId === replyId,
    );
    await advance(sim, retryIntervalMs);
    await supplier.waitForDeliveries(2);
    await waitForEvent(
      sim.journal,
      (e) =>
        e.kind === "mhs.delivery.retry-scheduled" &&
        e.messageId === replyId &&
        e.detail !== undefined &&
        (e.detail as { attempt: number }).attempt === 2,
    );
    await advance(sim, retryIntervalMs);
    await supplier.waitForDeliveries(3);
    await waitForEvent(sim.journal, (e) => e.kind === "mhs.delivery.delivered" && e.messageId === replyId);

    // The same message (same eb:MessageId) each time, three attempts, one delivery.
    expect(supplier.deliveries.map((d) => d.header.messageId)).toEqual([replyId, replyId, replyId]);
    expect(supplier.deliveries.map((d) => d.answer)).toEqual(["fail", "fail", "ack"]);
    const attempts = sim.journal
      .list({ messageId: replyId })
      .filter((e) => e.kind === "mhs.delivery.attempt");
    const times = attempts.map((e) => Date.parse(e.at));
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([retryIntervalMs, retryIntervalMs]);
    expect(kinds(sim, replyId)).toEqual([
      "mhs.delivery.attempt",
      "mhs.delivery.retry-scheduled",
      "mhs.delivery.attempt",
      "mhs.delivery.retry-scheduled",
      "mhs.delivery.attempt",
      "mhs.delivery.delivered",
    ]);
    expect(sim.store.messages.outbound(replyId)).toMatchObject({ state: "delivered", attempts: 3 });
  });

  it("gives up once the persist duration has passed, and journals the expiry", async () => {
    const { sim, supplier, persistMs, send } = await setUp();
    supplier.script(["fail", "fail", "fail"]);

    expect((await send()).status).toBe(202);
    await advance(sim, 500);
    await supplier.waitForDeliveries(1);
    const replyId = supplier.deliveries[0]?.header.messageId ?? "";
    await waitForEvent(
      sim.journal,
      (e) => e.kind === "mhs.delivery.retry-scheduled" && e.messageId === replyId,
    );
    await advance(sim, persistMs);
    const expired = await waitForEvent(
      sim.journal,
      (e) => e.kind === "mhs.delivery.expired" && e.messageId === replyId,
    );

    expect(expired.summary).toMatch(/persist duration passed/);
    expect(supplier.deliveries).toHaveLength(1);
    expect(sim.store.messages.outbound(replyId)?.state).toBe("expired");
  });

  it("answers a duplicate MessageId with the original acknowledgement, byte for byte, and processes it once", async () => {
    const { sim, supplier, send } = await setUp();
    const messageId = id();
    const conversationId = id();
    const hl7Id = id();

    const first = await send({ messageId, conversationId, hl7Id });
    const second = await send({ messageId, conversationId, hl7Id });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers["content-type"]).toBe("text/xml");
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers["x-spine-sim-rules"]).toBe("DUP-001");
    await advance(sim, 500);
    await supplier.waitForDeliveries(1);
    await waitForEvent(sim.journal, (e) => e.kind === "mhs.delivery.delivered");
    await advance(sim, 60_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(supplier.deliveries).toHaveLength(1);
    expect(kinds(sim, messageId)).toEqual([
      "mhs.received",
      "mhs.acknowledged",
      "mhs.reply.queued",
      "mhs.received",
      "mhs.duplicate",
    ]);
    expect(sim.store.messages.repliesTo(messageId)).toHaveLength(1);
  });

  it("accepts an HL7 id reused under a new MessageId, then rejects it asynchronously with MCCI AR 202", async () => {
    const { sim, supplier, send } = await setUp();
    const hl7Id = id();

    expect((await send({ hl7Id })).status).toBe(202);
    const again = await send({ hl7Id });
    expect(again.status).toBe(202);
    await advance(sim, 500);
    await supplier.waitForDeliveries(2);

    const [accepted, rejected] = [...supplier.deliveries].sort((a, b) =>
      (a.hl7.acknowledgement?.typeCode ?? "").localeCompare(b.hl7.acknowledgement?.typeCode ?? ""),
    );
    expect(accepted?.hl7.acknowledgement?.typeCode).toBe("AA");
    expect(rejected?.hl7.acknowledgement).toMatchObject({
      typeCode: "AR",
      messageRef: hl7Id,
      details: [
        {
          typeCode: "ER",
          code: "202",
          codeSystem: "2.16.840.1.113883.2.1.3.2.4.17.32",
          displayName: "Duplicate HL7 ID Error",
        },
      ],
    });
  });

  it("stops at an ebXML ErrorList from the supplier: rejected, not retried", async () => {
    const { sim, supplier, send } = await setUp();
    supplier.script(["error-list"]);

    await send();
    await advance(sim, 500);
    await supplier.waitForDeliveries(1);
    const replyId = supplier.deliveries[0]?.header.messageId ?? "";
    const rejected = await waitForEvent(
      sim.journal,
      (e) => e.kind === "mhs.delivery.rejected" && e.messageId === replyId,
    );
    expect(rejected.summary).toContain("501314");
    await advance(sim, 24 * 3_600_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(supplier.deliveries).toHaveLength(1);
    expect(sim.store.messages.outbound(replyId)?.state).toBe("rejected");
  });
});
