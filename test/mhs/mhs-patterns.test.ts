/**
 * The three direct patterns end to end over real sockets: a supplier MHS posts to the simulator
 * with mutual TLS, and receives the asynchronous reply on its own mutual-TLS inbound endpoint.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { parseEbxmlEnvelope } from "../../src/core/messaging/ebxml.js";
import { readHl7Wrapper } from "../../src/core/messaging/hl7.js";
import { parseSyncServiceRequest } from "../../src/core/messaging/soap-wsa.js";
import { startTestSimulator } from "../support/start-test-simulator.js";
import {
  sdsContract,
  sdsCpaId,
  spineClient,
  spineCpaId,
  startRegisteredSupplier,
  waitForEvent,
} from "./harness.js";
import { ebxmlRequest, pdsRetrievalRequest } from "./mhs-messages.js";

const PSIS = "urn:nhs:names:services:psis";
const PSISQUERY = "urn:nhs:names:services:psisquery";
const id = (): string => randomUUID().toUpperCase();

async function setUp() {
  const sim = await startTestSimulator();
  onTestFinished(() => sim.stop());
  const { supplier, registration } = await startRegisteredSupplier(sim.ready, "Z99100", [
    `${PSIS}:REPC_IN150016UK05`,
    `${PSISQUERY}:QUPC_IN160101UK05`,
    "urn:nhs:names:services:pdsquery:QUPA_IN040000UK32",
  ]);
  onTestFinished(() => supplier.close());
  const client = spineClient(sim.ready, registration);
  onTestFinished(() => client.close());
  return { sim, supplier, registration, client };
}

describe("MHS messaging patterns", () => {
  it("acknowledges a reliable request with 202 and delivers the MCCI reply to the supplier, which acknowledges it", async () => {
    const { sim, supplier, registration, client } = await setUp();
    const messageId = id();
    const conversationId = id();
    const hl7Id = id();
    const message = ebxmlRequest({
      from: registration.partyKey,
      cpaId: spineCpaId(sim.directory(), `${PSIS}:REPC_IN150016UK05`),
      service: PSIS,
      interaction: "REPC_IN150016UK05",
      messageId,
      conversationId,
      hl7Id,
      senderAsid: registration.asid,
      reliable: true,
    });

    const response = await client.post("/reliablemessaging/reliablerequest", message);

    expect(response.status).toBe(202);
    expect(response.headers["content-type"]).toBe("text/xml");
    const ack = parseEbxmlEnvelope(response.text).header;
    expect(ack.action).toBe("Acknowledgment");
    expect(ack.acknowledgment?.refToMessageId).toBe(messageId);
    expect(ack.toPartyId).toBe(registration.partyKey);
    expect(ack.conversationId).toBe(conversationId);

    const [delivery] = await supplier.waitForDeliveries(1);
    if (delivery === undefined) throw new Error("no delivery");
    expect(delivery.clientCommonName).toBe("msg-out.int.spine2.ncrs.nhs.uk");
    expect(delivery.headers.soapaction).toBe(`${PSIS}/MCCI_IN010000UK13`);
    expect(delivery.headers["user-agent"]).toBe("Mozilla/5.0 (compatible; pycurl)");
    expect(delivery.header.refToMessageId).toBe(messageId);
    expect(delivery.header.conversationId).toBe(conversationId);
    expect(delivery.header.toPartyId).toBe(registration.partyKey);
    // The reliability elements follow the supplier's SDS contract for the reply interaction.
    const contract = sdsContract(sim.directory(), registration.partyKey, `${PSIS}:MCCI_IN010000UK13`);
    expect(delivery.header.duplicateElimination).toBe(contract.duplicateElimination);
    expect(delivery.header.ackRequested?.actor).toBe(contract.ackRequested ? contract.actor : undefined);
    expect(delivery.header.syncReply).toBe(
      contract.ackRequested && !/^(None|Never)$/.test(contract.syncReplyMode),
    );
    expect(delivery.header.cpaId).toBe(
      sdsCpaId(sim.directory(), registration.partyKey, `${PSIS}:MCCI_IN010000UK13`),
    );
    expect(delivery.hl7.acknowledgement?.typeCode).toBe("AA");
    expect(delivery.hl7.acknowledgement?.messageRef).toBe(hl7Id);
    expect(delivery.hl7.receiverAsid).toBe(registration.asid);

    const delivered = await waitForEvent(sim.journal, (e) => e.kind === "mhs.delivery.delivered");
    expect(delivered.messageId).toBe(delivery.header.messageId);
    expect(delivered.conversationId).toBe(conversationId);
    expect(sim.store.messages.outbound(delivery.header.messageId)?.state).toBe("delivered");
    const kinds = sim.journal
      .list()
      .filter((e) => e.conversationId === conversationId)
      .map((e) => e.kind);
    expect(kinds).toEqual([
      "mhs.received",
      "mhs.acknowledged",
      "mhs.reply.queued",
      "mhs.delivery.attempt",
      "mhs.delivery.delivered",
    ]);
  });

  it("accepts an unreliable query with an empty 202 and delivers the query response once, without acknowledgement", async () => {
    const { sim, supplier, registration, client } = await setUp();
    const messageId = id();
    const message = ebxmlRequest({
      from: registration.partyKey,
      cpaId: spineCpaId(sim.directory(), `${PSISQUERY}:QUPC_IN160101UK05`),
      service: PSISQUERY,
      interaction: "QUPC_IN160101UK05",
      messageId,
      conversationId: id(),
      hl7Id: id(),
      senderAsid: registration.asid,
      reliable: false,
    });

    const response = await client.post("/reliablemessaging/queryrequest", message);

    expect(response.status).toBe(202);
    expect(response.body.length).toBe(0);
    const [delivery] = await supplier.waitForDeliveries(1);
    expect(delivery?.header.action).toBe("QUPC_IN160102UK05");
    expect(delivery?.header.refToMessageId).toBe(messageId);
    expect(delivery?.header.duplicateElimination).toBe(false);
    expect(delivery?.header.ackRequested).toBeUndefined();
    expect(delivery?.header.syncReply).toBe(false);
    await waitForEvent(sim.journal, (e) => e.kind === "mhs.delivery.delivered");
  });

  it("answers a PDS retrieval on /sync-service from the scenario's patients, and not-found for an unknown NHS number", async () => {
    const { sim, registration, client } = await setUp();
    const patient = sim.store.patient("9000000009");
    if (patient === undefined) throw new Error("the int scenario has no patient 9000000009");
    const messageId = id();

    const found = await client.post(
      "/sync-service",
      pdsRetrievalRequest({ messageId, hl7Id: id(), senderAsid: registration.asid, nhsNumber: "9000000009" }),
    );

    expect(found.status).toBe(200);
    expect(found.headers["content-type"]).toBe("text/xml");
    const response = parseSyncServiceRequest(found.text).request;
    expect(response.action).toBe("urn:nhs:names:services:pdsquery/QUPA_IN050000UK32");
    expect(found.text).toContain(`<wsa:RelatesTo>uuid:${messageId}</wsa:RelatesTo>`);
    expect(response.receiverAsid).toBe(registration.asid);
    expect(response.senderAsid).toBe("928942012545");
    const hl7 = readHl7Wrapper(response.payload ?? "");
    expect(hl7.interactionId).toBe("QUPA_IN050000UK32");
    expect(found.text).toContain(`<family>${patient.familyName}</family>`);

    const missing = await client.post(
      "/sync-service",
      pdsRetrievalRequest({
        messageId: id(),
        hl7Id: id(),
        senderAsid: registration.asid,
        nhsNumber: "9990000018",
      }),
    );
    expect(missing.status).toBe(200);
    expect(missing.text).toContain("urn:nhs:names:services:pdsquery/QUQI_IN010000UK14");
    expect(missing.text).toContain('<acknowledgement typeCode="AE">');
  });

  it("answers an interaction without a built-in responder from the scenario's reply template", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spine-sim-scenario-"));
    writeFileSync(
      join(dir, "reply.xml"),
      '<XXXX_IN000001UK01 xmlns="urn:hl7-org:v3"><id root="{{messageId}}"/><messageRef root="{{refToMessageId}}"/><patient>{{patient.familyName}}</patient></XXXX_IN000001UK01>',
    );
    writeFileSync(
      join(dir, "templates.yaml"),
      [
        "name: mhs-templates",
        "extends: int",
        "behaviours:",
        "  - respond:",
        "      interaction: QUPA_IN000014UK01",
        "      reply: XXXX_IN000001UK01",
        "      wrapper: exampleQueryResponse",
        "      templateFile: reply.xml",
      ].join("\n"),
    );
    const sim = await startTestSimulator({ scenario: join(dir, "templates.yaml") });
    onTestFinished(() => sim.stop());
    const { supplier, registration } = await startRegisteredSupplier(sim.ready, "Z99101", []);
    onTestFinished(() => supplier.close());
    const client = spineClient(sim.ready, registration);
    onTestFinished(() => client.close());
    const hl7Id = id();

    const response = await client.post(
      "/sync-service",
      pdsRetrievalRequest({
        interaction: "QUPA_IN000014UK01",
        messageId: id(),
        hl7Id,
        senderAsid: registration.asid,
        nhsNumber: "9000000009",
      }),
    );

    expect(response.status).toBe(200);
    expect(response.text).toContain(
      "<wsa:Action>urn:nhs:names:services:pdsquery/XXXX_IN000001UK01</wsa:Action>",
    );
    expect(response.text).toMatch(
      new RegExp(
        `<exampleQueryResponse>\\s*<XXXX_IN000001UK01 xmlns="urn:hl7-org:v3"><id root="[0-9A-F-]{36}"/><messageRef root="${hl7Id}"/><patient>Kaur</patient>`,
      ),
    );
  });

  it("refuses to move a real clock", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const response = await request(`${sim.ready.control}/_control/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ by: "PT1M" }),
    });
    expect(response.statusCode).toBe(400);
    expect(((await response.body.json()) as { detail: string }).detail).toMatch(/--clock virtual/);
  });
});
