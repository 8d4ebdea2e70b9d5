/**
 * Bad input over real sockets: each case gets the Spine-shaped error the reference gives, is
 * logged and journalled with its rule id, and the simulator keeps serving (the next good request
 * is answered normally).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { parseEbxmlEnvelope } from "../../src/core/messaging/ebxml.js";
import { readSoapFault } from "../../src/core/messaging/soap-envelope.js";
import { createSimulator, type ReadyInfo, type Simulator } from "../../src/simulator.js";
import { sharedCertsDir } from "../support/start-test-simulator.js";
import {
  spineClient,
  spineCpaId,
  startRegisteredSupplier,
  type Registration,
  type SpineResponse,
} from "./harness.js";
import { ebxmlRequest, pdsRetrievalRequest, type BuiltRequest } from "./mhs-messages.js";
import type { Supplier } from "./supplier.js";

const PSIS = "urn:nhs:names:services:psis";
const RELIABLE = "/reliablemessaging/reliablerequest";
const id = (): string => randomUUID().toUpperCase();

let sim: Simulator;
let ready: ReadyInfo;
let supplier: Supplier;
let registration: Registration;
let client: ReturnType<typeof spineClient>;
const logLines: { level: number; msg: string; ruleIds?: string[] }[] = [];

beforeAll(async () => {
  const config = loadConfig({
    env: {},
    flags: {
      db: ":memory:",
      certsDir: sharedCertsDir,
      dataDir: mkdtempSync(join(tmpdir(), "spine-sim-data-")),
      httpsPort: 0,
      ldapPort: 0,
      ldapsPort: 0,
      controlPort: 0,
    },
  });
  // A logger whose warnings the tests can read: every failure must be logged, not only journalled.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean))
        logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  sim = createSimulator(config, { logger: pino({ level: "warn" }, sink) });
  ready = await sim.start();
  ({ supplier, registration } = await startRegisteredSupplier(ready, "Z99400", [
    `${PSIS}:REPC_IN150016UK05`,
  ]));
  client = spineClient(ready, registration);
});

afterAll(async () => {
  await client.close();
  await supplier.close();
  await sim.stop();
});

function goodRequest(overrides: Partial<Parameters<typeof ebxmlRequest>[0]> = {}): BuiltRequest {
  return ebxmlRequest({
    from: registration.partyKey,
    cpaId: spineCpaId(sim.directory(), `${PSIS}:REPC_IN150016UK05`),
    service: PSIS,
    interaction: "REPC_IN150016UK05",
    messageId: id(),
    conversationId: id(),
    hl7Id: id(),
    senderAsid: registration.asid,
    reliable: true,
    ...overrides,
  });
}

function faultOf(response: SpineResponse): { code: string | undefined; location: string | undefined } {
  expect(response.status).toBe(500);
  expect(response.headers["content-type"]).toBe("text/xml");
  const fault = readSoapFault(response.text);
  return { code: fault?.errors[0]?.errorCode, location: fault?.errors[0]?.location };
}

/** The simulator still answers a good reliable request normally. */
async function stillServing(): Promise<void> {
  const response = await client.post(RELIABLE, goodRequest());
  expect(response.status).toBe(202);
  expect(parseEbxmlEnvelope(response.text).header.action).toBe("Acknowledgment");
}

/** The refusal was journalled and logged with this rule id. */
function recorded(ruleId: string): void {
  const events = sim.journal
    .list({ limit: 100_000 })
    .filter((e) => e.kind === "mhs.refused" || e.kind === "mhs.rejected");
  expect(
    events.some((e) => ((e.detail as { ruleIds?: string[] } | undefined)?.ruleIds ?? []).includes(ruleId)),
  ).toBe(true);
  expect(logLines.some((l) => l.level === 40 && (l.ruleIds ?? []).includes(ruleId))).toBe(true);
}

function replaceIn(message: BuiltRequest, from: string | RegExp, to: string): BuiltRequest {
  return { ...message, body: Buffer.from(message.body.toString("utf8").replace(from, to), "utf8") };
}

describe("MHS bad input", () => {
  it("answers a Content-Type without a boundary with TMS 201", async () => {
    const response = await client.post(RELIABLE, {
      ...goodRequest(),
      contentType: 'multipart/related; type="text/xml"',
    });
    expect(faultOf(response)).toEqual({ code: "201", location: "HTTP Header - Content-Type" });
    recorded("HTTP-007");
    await stillServing();
  });

  it("answers a body whose parts are missing (only the header container) with MessageError 509912", async () => {
    const message = goodRequest();
    const text = message.body.toString("utf8");
    const secondPart = text.indexOf("----=_MIME-Boundary", 10);
    const headerOnly = `${text.slice(0, secondPart)}----=_MIME-Boundary--\r\n`;
    const response = await client.post(RELIABLE, { ...message, body: Buffer.from(headerOnly) });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/xml");
    expect(parseEbxmlEnvelope(response.text).header.errorList?.errors[0]?.descriptionCode).toBe("509912");
    recorded("MIME-004");
    await stillServing();
  });

  it("answers reordered parts without a start parameter (the payload read as the header) with TMS 201", async () => {
    const message = goodRequest();
    const text = message.body.toString("utf8");
    const [, header = "", payload = ""] = text.split("----=_MIME-Boundary");
    const reordered = `----=_MIME-Boundary${payload}----=_MIME-Boundary${header}----=_MIME-Boundary--\r\n`;
    const response = await client.post(RELIABLE, {
      ...message,
      contentType: 'multipart/related; boundary="--=_MIME-Boundary"; type="text/xml"',
      body: Buffer.from(reordered),
    });
    expect(faultOf(response).code).toBe("201");
    recorded("SOAP-002");
    await stillServing();
  });

  it("answers bad base64 with TMS 201", async () => {
    const message = replaceIn(
      goodRequest(),
      "Content-Transfer-Encoding: 8bit\r\n\r\n<REPC",
      "Content-Transfer-Encoding: base64\r\n\r\n!!!<REPC",
    );
    const response = await client.post(RELIABLE, message);
    expect(faultOf(response)).toEqual({ code: "201", location: "MIME Content-Transfer-Encoding" });
    recorded("MIME-003");
    await stillServing();
  });

  it("answers a truncated body with TMS 201", async () => {
    const message = goodRequest();
    const response = await client.post(RELIABLE, {
      ...message,
      body: message.body.subarray(0, message.body.length - 200),
    });
    expect(faultOf(response)).toEqual({ code: "201", location: "MIME" });
    recorded("MIME-001");
    await stillServing();
  });

  it("answers a header container that is not UTF-8 with TMS 201", async () => {
    const message = goodRequest();
    const latin1 = Buffer.from(
      message.body.toString("utf8").replace("<SOAP:Body>", "<SOAP:Body><!-- caf\u00e9 -->"),
      "latin1",
    );
    const response = await client.post(RELIABLE, { ...message, body: latin1 });
    expect(faultOf(response)).toEqual({ code: "201", location: "charset" });
    recorded("MIME-006");
    await stillServing();
  });

  it("answers a body over 5 MB with TMS 9001", async () => {
    const message = goodRequest();
    const padding = Buffer.alloc(5_300_000, "A");
    const response = await client.post(RELIABLE, {
      ...message,
      body: Buffer.concat([message.body, padding]),
    });
    expect(faultOf(response)).toEqual({ code: "9001", location: "HTTP Body" });
    recorded("HTTP-009");
    await stillServing();
  });

  it("refuses a DOCTYPE with entity expansion (billion laughs) with TMS 201, without expanding it", async () => {
    const bomb =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n';
    const message = replaceIn(goodRequest(), '<?xml version="1.0" encoding="UTF-8"?>\n', bomb);
    const started = Date.now();
    const response = await client.post(RELIABLE, message);
    expect(faultOf(response).code).toBe("201");
    expect(Date.now() - started).toBeLessThan(2000);
    recorded("SOAP-001");
    const sync = await client.post("/sync-service", {
      soapAction: "urn:nhs:names:services:pdsquery/QUPA_IN040000UK32",
      contentType: "text/xml",
      body: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>`,
    });
    expect(faultOf(sync).code).toBe("201");
    expect(sync.text).not.toContain("root:");
    await stillServing();
  });

  it("answers an unknown From party key with MessageError 509916 and a wrong CPAId with 501319", async () => {
    const unknownParty = await client.post(RELIABLE, goodRequest({ from: "Z99999-9999999" }));
    expect(unknownParty.status).toBe(200);
    expect(unknownParty.headers["content-type"]).toBe("text/xml");
    const partyError = parseEbxmlEnvelope(unknownParty.text).header;
    expect(partyError.action).toBe("MessageError");
    expect(partyError.errorList?.errors.map((e) => e.description)).toEqual([
      "509916:Unknown eb:From PartyId",
    ]);
    recorded("EBXML-HDR-017");

    const wrongCpa = await client.post(RELIABLE, goodRequest({ cpaId: "S99999999999" }));
    expect(wrongCpa.status).toBe(200);
    expect(parseEbxmlEnvelope(wrongCpa.text).header.errorList?.errors.map((e) => e.description)).toEqual([
      "501319:Unknown eb:CPAId",
    ]);
    recorded("EBXML-HDR-016");
    await stillServing();
  });

  it("answers a missing SOAPAction, or one this path does not serve, with TMS 101", async () => {
    const { contentType, body } = goodRequest();
    const noAction = { contentType, body };
    expect(faultOf(await client.post(RELIABLE, noAction))).toEqual({
      code: "101",
      location: "HTTP Header - SOAPAction",
    });
    recorded("HTTP-003");
    const wrongPath = await client.post("/reliablemessaging/queryrequest", goodRequest());
    expect(faultOf(wrongPath)).toEqual({ code: "101", location: "HTTP Header - SOAPAction" });
    recorded("HTTP-004");
    await stillServing();
  });

  it("answers multi-hop paths with TMS 101 until they are simulated", async () => {
    const response = await client.post("/reliablemessaging/intermediary", goodRequest());
    expect(faultOf(response).code).toBe("101");
    expect(response.text).toContain("multi-hop");
    await stillServing();
  });

  it("answers an unknown path with an empty 404 and another method with 405 Allow: POST", async () => {
    const unknown = await client.post("/reliablemessaging/nowhere", goodRequest());
    expect(unknown.status).toBe(404);
    expect(unknown.body.length).toBe(0);
    const get = await client.post(RELIABLE, { body: "" }, "GET");
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
    recorded("HTTP-001");
    await stillServing();
  });

  it("answers web-service header problems with TMS 201 and an interaction without a responder with TMS 9002", async () => {
    const good = pdsRetrievalRequest({
      messageId: id(),
      hl7Id: id(),
      senderAsid: registration.asid,
      nhsNumber: "9000000009",
    });
    const noMessageId = {
      ...good,
      body: Buffer.from(good.body.toString("utf8").replace(/<wsa:MessageID>.*<\/wsa:MessageID>/, "")),
    };
    expect(faultOf(await client.post("/sync-service", noMessageId))).toEqual({
      code: "201",
      location: "SOAP:Header/wsa:MessageID",
    });
    recorded("WS-ADDR-001");
    const soap12 = await client.post("/sync-service", { ...good, contentType: "application/soap+xml" });
    expect(faultOf(soap12)).toEqual({ code: "201", location: "HTTP Header - Content-Type" });
    const noResponder = pdsRetrievalRequest({
      interaction: "QUPA_IN000014UK01",
      messageId: id(),
      hl7Id: id(),
      senderAsid: registration.asid,
      nhsNumber: "9000000009",
    });
    expect(faultOf(await client.post("/sync-service", noResponder))).toEqual({
      code: "9002",
      location: "SOAP:Body",
    });
    recorded("V12");
    const ok = await client.post(
      "/sync-service",
      pdsRetrievalRequest({
        messageId: id(),
        hl7Id: id(),
        senderAsid: registration.asid,
        nhsNumber: "9000000009",
      }),
    );
    expect(ok.status).toBe(200);
  });

  it("answers an HL7 id repeated on the web service with MCCI AR 202 inside a 200 response", async () => {
    const hl7Id = id();
    const first = await client.post(
      "/sync-service",
      pdsRetrievalRequest({ messageId: id(), hl7Id, senderAsid: registration.asid, nhsNumber: "9000000009" }),
    );
    expect(first.status).toBe(200);
    const again = await client.post(
      "/sync-service",
      pdsRetrievalRequest({ messageId: id(), hl7Id, senderAsid: registration.asid, nhsNumber: "9000000009" }),
    );
    expect(again.status).toBe(200);
    expect(again.text).toContain("urn:nhs:names:services:pdsquery/MCCI_IN010000UK13");
    expect(again.text).toContain('<hl7:acknowledgement typeCode="AR">');
    expect(again.text).toContain('code="202"');
    recorded("DUP-002");
  });
});
