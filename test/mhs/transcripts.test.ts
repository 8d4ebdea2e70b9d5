/**
 * Golden transcripts: request bytes → response bytes (and, for the asynchronous patterns, the reply
 * Spine queues for the supplier), with fixed ids and a fixed clock. Regenerate deliberately with
 * UPDATE_GOLDEN=1 and review the diff.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { counterIds, startInProcessMhs, type InProcessMhs } from "./in-process.js";
import { ebxmlRequest, pdsRetrievalRequest, type BuiltRequest } from "./mhs-messages.js";

const directory = fileURLToPath(new URL("./transcripts/", import.meta.url));
const PSIS = "urn:nhs:names:services:psis";
const PSISQUERY = "urn:nhs:names:services:psisquery";

function golden(name: string, actual: string): string {
  const path = `${directory}${name}.txt`;
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(path, actual);
  return readFileSync(path, "utf8");
}

function post(mhs: InProcessMhs, path: string, message: BuiltRequest): ReturnType<InProcessMhs["exchange"]> {
  return mhs.exchange({
    path,
    soapAction: message.soapAction,
    contentType: message.contentType,
    body: message.body,
  });
}

/** The outbox message a request caused, as the delivery worker will POST it. */
function queuedReply(mhs: InProcessMhs, messageId: string): string {
  const [reply, ...more] = mhs.store.messages.repliesTo(messageId);
  expect(more).toHaveLength(0);
  if (reply === undefined) throw new Error(`no reply queued for ${messageId}`);
  return [
    `>> POST ${reply.url}`,
    `>> SOAPAction: ${reply.soapAction}`,
    `>> Content-Type: ${reply.contentType}`,
    `>> (attempts: ${reply.retries + 1}, every ${reply.retryIntervalMs} ms, from ${reply.nextAttemptAt} until ${reply.expiresAt}, ack requested: ${reply.ackRequested})`,
    ">>",
    reply.body.toString("utf8"),
  ].join("\n");
}

// Request ids come from their own counter, so they never collide with the simulator's.
const requestIds = (): (() => string) => {
  const next = counterIds();
  return () => next().replace(/^00000000/, "AAAAAAAA");
};

describe("golden transcripts", () => {
  it("reliable request: 202 + eb:Acknowledgment, then an MCCI AA reply queued for the supplier", () => {
    const mhs = startInProcessMhs([`${PSIS}:REPC_IN150016UK05`]);
    const ids = requestIds();
    const messageId = ids();
    const request = ebxmlRequest({
      from: mhs.supplier.partyKey,
      cpaId: "S20001A000182",
      service: PSIS,
      interaction: "REPC_IN150016UK05",
      messageId,
      conversationId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      reliable: true,
    });
    const { transcript } = post(mhs, "/reliablemessaging/reliablerequest", request);
    expect(transcript).toBe(golden("reliable-request", transcript));
    const reply = queuedReply(mhs, messageId);
    expect(reply).toBe(golden("reliable-request.reply", reply));
    expect(mhs.pokes).toBe(1);
  });

  it("unreliable request: an empty 202, then the PSIS query response queued without reliability elements", () => {
    const mhs = startInProcessMhs([`${PSISQUERY}:QUPC_IN160101UK05`]);
    const ids = requestIds();
    const messageId = ids();
    const request = ebxmlRequest({
      from: mhs.supplier.partyKey,
      cpaId: "S20003A000304",
      service: PSISQUERY,
      interaction: "QUPC_IN160101UK05",
      messageId,
      conversationId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      reliable: false,
    });
    const { transcript } = post(mhs, "/reliablemessaging/queryrequest", request);
    expect(transcript).toBe(golden("unreliable-request", transcript));
    const reply = queuedReply(mhs, messageId);
    expect(reply).toBe(golden("unreliable-request.reply", reply));
  });

  it("web service: a PDS retrieval answered from the scenario's patients", () => {
    const mhs = startInProcessMhs(["urn:nhs:names:services:pdsquery:QUPA_IN040000UK32"]);
    const ids = requestIds();
    const request = pdsRetrievalRequest({
      messageId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      nhsNumber: "9000000009",
    });
    const { transcript } = post(mhs, "/sync-service", request);
    expect(transcript).toBe(golden("sync-pds-retrieval", transcript));
  });

  it("web service: an unknown NHS number answered QUQI_IN010000UK14 AE", () => {
    const mhs = startInProcessMhs(["urn:nhs:names:services:pdsquery:QUPA_IN040000UK32"]);
    const ids = requestIds();
    const request = pdsRetrievalRequest({
      messageId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      nhsNumber: "9990000018",
    });
    const { transcript } = post(mhs, "/sync-service", request);
    expect(transcript).toBe(golden("sync-pds-not-found", transcript));
  });

  it("MessageError: an unknown CPAId is answered 200 with eb:ErrorList 501319", () => {
    const mhs = startInProcessMhs([`${PSIS}:REPC_IN150016UK05`]);
    const ids = requestIds();
    const request = ebxmlRequest({
      from: mhs.supplier.partyKey,
      cpaId: "S00000WRONG",
      service: PSIS,
      interaction: "REPC_IN150016UK05",
      messageId: ids(),
      conversationId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      reliable: true,
    });
    const { transcript } = post(mhs, "/reliablemessaging/reliablerequest", request);
    expect(transcript).toBe(golden("message-error-unknown-cpaid", transcript));
  });

  it("SOAP Fault: a multipart body without a boundary is answered 500 with TMS 201", () => {
    const mhs = startInProcessMhs([`${PSIS}:REPC_IN150016UK05`]);
    const ids = requestIds();
    const request = ebxmlRequest({
      from: mhs.supplier.partyKey,
      cpaId: "S20001A000182",
      service: PSIS,
      interaction: "REPC_IN150016UK05",
      messageId: ids(),
      conversationId: ids(),
      hl7Id: ids(),
      senderAsid: mhs.supplier.asid,
      reliable: true,
    });
    const { transcript } = post(mhs, "/reliablemessaging/reliablerequest", {
      ...request,
      contentType: 'multipart/related; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"',
    });
    expect(transcript).toBe(golden("fault-missing-boundary", transcript));
  });
});
