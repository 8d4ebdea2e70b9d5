import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.js";
import { Journal } from "../journal/journal.js";
import type { NewOutboundMessage, OutboundMessage } from "../store/message-store.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import { classifySupplierAnswer } from "./classify-answer.js";
import { DeliveryWorker, type OutboundTransport, type TransportResponse } from "./delivery-worker.js";

const start = new Date("2024-03-14T13:00:00Z");

function message(overrides: Partial<NewOutboundMessage> = {}): NewOutboundMessage {
  return {
    messageId: "MSG-1",
    conversationId: "CONV-1",
    refToMessageId: "REQ-1",
    toPartyKey: "Z99001-0000001",
    svcIA: "urn:nhs:names:services:psis:MCCI_IN010000UK13",
    url: "https://127.0.0.1:9443/inbound",
    soapAction: "urn:nhs:names:services:psis/MCCI_IN010000UK13",
    contentType: "multipart/related",
    body: Buffer.from("body"),
    ackRequested: true,
    retries: 2,
    retryIntervalMs: 60_000,
    createdAt: start.toISOString(),
    expiresAt: new Date(start.getTime() + 300_000).toISOString(),
    nextAttemptAt: start.toISOString(),
    ...overrides,
  };
}

const ack = (messageId: string): TransportResponse => ({
  status: 200,
  contentType: "text/xml",
  body: Buffer.from(
    `<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"><SOAP:Header>` +
      `<eb:MessageHeader eb:version="2.0"><eb:From><eb:PartyId>Z</eb:PartyId></eb:From><eb:To><eb:PartyId>YES-0000806</eb:PartyId></eb:To><eb:CPAId>C</eb:CPAId><eb:ConversationId>CONV-1</eb:ConversationId><eb:Service>urn:oasis:names:tc:ebxml-msg:service</eb:Service><eb:Action>Acknowledgment</eb:Action><eb:MessageData><eb:MessageId>A</eb:MessageId><eb:Timestamp>2024-03-14T13:00:00Z</eb:Timestamp><eb:RefToMessageId>${messageId}</eb:RefToMessageId></eb:MessageData></eb:MessageHeader>` +
      `<eb:Acknowledgment eb:version="2.0"><eb:Timestamp>2024-03-14T13:00:00Z</eb:Timestamp><eb:RefToMessageId>${messageId}</eb:RefToMessageId></eb:Acknowledgment></SOAP:Header><SOAP:Body/></SOAP:Envelope>`,
  ),
});
const unavailable: TransportResponse = { status: 503, body: Buffer.alloc(0) };

/** A transport that answers from a script and records when each attempt happened. */
function scripted(clock: VirtualClock, answers: (TransportResponse | Error | "hang")[]) {
  const attempts: { at: string; messageId: string }[] = [];
  const hanging: (() => void)[] = [];
  const transport: OutboundTransport = {
    post(sent: OutboundMessage) {
      attempts.push({ at: clock.now().toISOString(), messageId: sent.messageId });
      const next = answers.shift() ?? ack(sent.messageId);
      if (next === "hang") return new Promise((resolve) => hanging.push(() => resolve(ack(sent.messageId))));
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
  return { transport, attempts, release: () => hanging.splice(0).forEach((r) => r()) };
}

function setUp(
  answers: (TransportResponse | Error | "hang")[],
  store: Store = openSqliteStore(":memory:"),
  clock = new VirtualClock(start),
) {
  const journal = new Journal(store, clock);
  const transport = scripted(clock, answers);
  const worker = new DeliveryWorker({
    messages: store.messages,
    journal,
    clock,
    logger: pino({ level: "silent" }),
    transport: transport.transport,
    classify: classifySupplierAnswer,
  });
  return { store, clock, journal, worker, ...transport };
}

const kinds = (journal: Journal): string[] => journal.list().map((e) => e.kind);

describe("DeliveryWorker", () => {
  it("retries at the retry interval with the same message and settles delivered on the acknowledgement", async () => {
    const { store, clock, journal, worker, attempts } = setUp([unavailable, new Error("ECONNREFUSED")]);
    worker.start();
    store.messages.enqueue(message());
    worker.poke();
    await worker.idle();
    clock.advance(60_000);
    worker.poke();
    await worker.idle();
    clock.advance(60_000);
    worker.poke();
    await worker.idle();

    expect(attempts.map((a) => a.at)).toEqual([
      "2024-03-14T13:00:00.000Z",
      "2024-03-14T13:01:00.000Z",
      "2024-03-14T13:02:00.000Z",
    ]);
    expect(store.messages.outbound("MSG-1")).toMatchObject({ state: "delivered", attempts: 3 });
    expect(kinds(journal)).toEqual([
      "mhs.delivery.attempt",
      "mhs.delivery.retry-scheduled",
      "mhs.delivery.attempt",
      "mhs.delivery.retry-scheduled",
      "mhs.delivery.attempt",
      "mhs.delivery.delivered",
    ]);
    await worker.stop();
  });

  it("does not attempt a message before its next attempt is due", async () => {
    const { store, clock, worker, attempts } = setUp([unavailable]);
    store.messages.enqueue(message());
    worker.start();
    await worker.idle();
    clock.advance(59_999);
    worker.poke();
    await worker.idle();
    expect(attempts).toHaveLength(1);
    await worker.stop();
  });

  it("gives up after nhsMHSRetries further attempts", async () => {
    const { store, clock, journal, worker, attempts } = setUp([unavailable, unavailable, unavailable]);
    store.messages.enqueue(message({ expiresAt: new Date(start.getTime() + 3_600_000).toISOString() }));
    worker.start();
    for (let i = 0; i < 4; i++) {
      await worker.idle();
      clock.advance(60_000);
      worker.poke();
    }
    await worker.idle();
    expect(attempts).toHaveLength(3);
    expect(store.messages.outbound("MSG-1")?.state).toBe("expired");
    expect(journal.list().at(-1)?.summary).toMatch(/all 3 attempt\(s\) failed/);
    await worker.stop();
  });

  it("expires a message whose persist duration passes before its next attempt", async () => {
    const { store, clock, journal, worker, attempts } = setUp([unavailable]);
    store.messages.enqueue(message());
    worker.start();
    await worker.idle();
    clock.advance(600_000);
    worker.poke();
    await worker.idle();
    expect(attempts).toHaveLength(1);
    expect(store.messages.outbound("MSG-1")?.state).toBe("expired");
    expect(kinds(journal).at(-1)).toBe("mhs.delivery.expired");
    await worker.stop();
  });

  it("does not retry an ebXML ErrorList", async () => {
    const errorList: TransportResponse = {
      status: 500,
      contentType: "text/xml",
      body: Buffer.from(
        ack("MSG-1")
          .body.toString()
          .replace(
            /<eb:Acknowledgment[\s\S]*<\/eb:Acknowledgment>/,
            '<eb:ErrorList eb:highestSeverity="Error"><eb:Error eb:errorCode="ValueNotRecognized" eb:severity="Error"><eb:Description>501314:Invalid To Party Type attribute</eb:Description></eb:Error></eb:ErrorList>',
          ),
      ),
    };
    const { store, clock, worker, attempts } = setUp([errorList]);
    store.messages.enqueue(message());
    worker.start();
    await worker.idle();
    clock.advance(3_600_000);
    worker.poke();
    await worker.idle();
    expect(attempts).toHaveLength(1);
    expect(store.messages.outbound("MSG-1")).toMatchObject({ state: "rejected" });
    await worker.stop();
  });

  it("never runs two attempts of one message at once, even when the clock passes its lease", async () => {
    const { store, clock, worker, attempts, release } = setUp(["hang"]);
    store.messages.enqueue(message());
    worker.start();
    clock.advance(120_000);
    worker.poke();
    worker.poke();
    expect(attempts).toHaveLength(1);
    release();
    await worker.idle();
    expect(store.messages.outbound("MSG-1")?.state).toBe("delivered");
    await worker.stop();
  });

  it("resumes what a previous worker left pending in the same store (a restart)", async () => {
    const store = openSqliteStore(":memory:");
    const first = setUp([unavailable], store);
    store.messages.enqueue(message());
    first.worker.start();
    await first.worker.idle();
    await first.worker.stop();

    const clock = new VirtualClock(new Date(start.getTime() + 60_000));
    const second = setUp([], store, clock);
    second.worker.start();
    await second.worker.idle();
    expect(second.attempts).toHaveLength(1);
    expect(store.messages.outbound("MSG-1")).toMatchObject({ state: "delivered", attempts: 2 });
    expect(kinds(second.journal)).toContain("mhs.delivery.resumed");
    await second.worker.stop();
  });

  it("delivers a message that asked for no acknowledgement on any 2xx", async () => {
    const { store, worker } = setUp([{ status: 202, body: Buffer.alloc(0) }]);
    store.messages.enqueue(message({ ackRequested: false, retries: 0 }));
    worker.start();
    await worker.idle();
    expect(store.messages.outbound("MSG-1")?.state).toBe("delivered");
    await worker.stop();
  });
});
