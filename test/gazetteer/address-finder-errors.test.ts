/**
 * Bad requests to the address finder over the real HTTPS listener: every reachable GS code in the
 * errorList, SOAP Faults for what is not a SOAP request (malformed XML, XXE and entity bombs,
 * oversized bodies, wrong content types), 405 for other methods, and the service still answering
 * afterwards. Each refusal is journalled.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { request, type Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { httpsAgent } from "../support/http-client.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import {
  addressListRequest,
  post,
  readResponse,
  type RequestFields,
  type RequestOptions,
} from "./soap-client.js";

const requestPath = "/SOAP-ENV:Envelope/SOAP-ENV:Body/nasp:getAddressListRequest";
const maxBodyBytes = 4096;

let sim: TestSimulator;
let agent: Agent;
let url: string;

beforeAll(async () => {
  sim = await startTestSimulator({ mtls: "off", maxBodyBytes });
  agent = httpsAgent({ caFile: sim.ready.caFile });
  url = `${sim.ready.https}/addressfinder/query`;
});
afterAll(async () => {
  await agent.close();
  await sim.stop();
});

async function errorFor(
  body: string,
  target = url,
  client = agent,
): Promise<{
  code: string;
  severity: string;
  description: string;
  codeContext: string;
  location: string | undefined;
}> {
  const reply = await post(target, body, client);
  expect(reply.status).toBe(200);
  expect(reply.text).toMatch(
    /<nasp:errorList>.*<\/nasp:errorList><nasp:securityPackage\/><\/nasp:messageHeader>/,
  );
  const response = readResponse(reply.text);
  expect(response.hasAddressList).toBe(false);
  expect(response.totalmatches).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors;
  if (error === undefined) throw new Error("no error");
  expect(error.codeContext).toBe("urn:nhs:names:errors:gazetteer");
  return error;
}

const ask = (fields: RequestFields, options: RequestOptions = {}): string =>
  addressListRequest(fields, options);

/** A SOAP envelope around an arbitrary request body, for the structure rules. */
const envelope = (inner: string): string =>
  `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
const header = `<nasp:messageHeader><nasp:messageId>1</nasp:messageId><nasp:securityPackage/></nasp:messageHeader>`;
const getAddressList = (inner: string): string =>
  envelope(
    `<nasp:getAddressListRequest xmlns:nasp="http://national.carerecords.nhs.uk/schema/">${inner}</nasp:getAddressListRequest>`,
  );

describe("gazetteer errors in the errorList (HTTP 200)", () => {
  it("GSB004 for maxno below 1, pointing at maxno", async () => {
    for (const maxno of ["0", "-5"]) {
      expect(await errorFor(ask({ postcode: "LS17 8DB" }, { maxno }))).toEqual({
        codeContext: "urn:nhs:names:errors:gazetteer",
        code: "GSB004",
        severity: "Error",
        location: `${requestPath}/nasp:maxno`,
        description: "Minimum number of address requested should at least be 1.",
      });
    }
  });

  it("GSA002 for a maxno that is not a whole number", async () => {
    for (const maxno of ["nine", "2.5"]) {
      expect(await errorFor(ask({ postcode: "LS17 8DB" }, { maxno }))).toMatchObject({
        code: "GSA002",
        description: "Invalid Message Structure.",
        location: `${requestPath}/nasp:maxno`,
      });
    }
  });

  it("GSB006 for an empty messageId", async () => {
    expect(await errorFor(ask({ postcode: "LS17 8DB" }, { messageId: "" }))).toMatchObject({
      code: "GSB006",
      severity: "Error",
      description: "Null value in GUID.",
    });
  });

  it("GSB005 for a country outside the UK", async () => {
    expect(await errorFor(ask({ address1: "1 Rue de Rivoli", town: "Paris", country: "FRA" }))).toMatchObject(
      {
        code: "GSB005",
        description: "Unable to validate non-UK address.",
        location: `${requestPath}/nasp:postalAddress/nasp:country`,
      },
    );
    const uk = readResponse(
      (await post(url, ask({ postcode: "LS17 8DB", country: "United Kingdom" }), agent)).text,
    );
    expect(uk.errors).toEqual([]);
  });

  it("GSA001 when every search element is empty", async () => {
    expect(
      await errorFor(
        ask({ address1: "", address2: "", address3: "", town: "", county: "", postcode: "", country: "" }),
      ),
    ).toMatchObject({
      code: "GSA001",
      description: "Empty Search request found.",
    });
  });

  it("GSB003 without a postcode or both address1 and town", async () => {
    expect(await errorFor(ask({ address1: "1 Sandringham Crescent" }))).toMatchObject({
      code: "GSB003",
      description: "Null values found in mandatory elements.",
    });
    expect(await errorFor(ask({ town: "LEEDS", county: "West Yorkshire" }))).toMatchObject({
      code: "GSB003",
    });
  });

  it("GSB002, a warning, when a search matches more than 1,000 addresses", async () => {
    expect(await errorFor(ask({ address1: "*", town: "LONDON" }))).toEqual({
      codeContext: "urn:nhs:names:errors:gazetteer",
      code: "GSB002",
      severity: "Warning",
      location: undefined,
      description: "Too Many Matches found.",
    });
  });

  it.each([
    [
      "no getAddressListRequest",
      envelope(`<nasp:getAddressList xmlns:nasp="http://national.carerecords.nhs.uk/schema/"/>`),
      requestPath,
    ],
    [
      "a request in the wrong namespace",
      envelope(
        `<getAddressListRequest xmlns="urn:other"><messageHeader><messageId>1</messageId><securityPackage/></messageHeader><postalAddress/></getAddressListRequest>`,
      ),
      requestPath,
    ],
    [
      "two requests",
      envelope(
        `<nasp:getAddressListRequest xmlns:nasp="http://national.carerecords.nhs.uk/schema/"/>`.repeat(2),
      ),
      requestPath,
    ],
    [
      "no messageHeader",
      getAddressList(`<nasp:postalAddress><nasp:postcode>LS17 8DB</nasp:postcode></nasp:postalAddress>`),
      `${requestPath}/nasp:messageHeader`,
    ],
    [
      "two postalAddress elements",
      getAddressList(
        `${header}${"<nasp:postalAddress><nasp:postcode>LS17 8DB</nasp:postcode></nasp:postalAddress>".repeat(2)}`,
      ),
      `${requestPath}/nasp:postalAddress`,
    ],
    [
      "two maxno elements",
      getAddressList(
        `${header}<nasp:postalAddress><nasp:postcode>LS17 8DB</nasp:postcode></nasp:postalAddress><nasp:maxno>1</nasp:maxno><nasp:maxno>2</nasp:maxno>`,
      ),
      `${requestPath}/nasp:maxno`,
    ],
    [
      "a repeated address line",
      getAddressList(
        `${header}<nasp:postalAddress><nasp:address1>1</nasp:address1><nasp:address1>2</nasp:address1><nasp:postcode>LS17 8DB</nasp:postcode></nasp:postalAddress>`,
      ),
      `${requestPath}/nasp:postalAddress/nasp:address1`,
    ],
    [
      "both postcode and postCode",
      getAddressList(
        `${header}<nasp:postalAddress><nasp:postcode>LS17 8DB</nasp:postcode><nasp:postCode>LS17 8DB</nasp:postCode></nasp:postalAddress>`,
      ),
      `${requestPath}/nasp:postalAddress/nasp:postcode`,
    ],
  ])("GSA002 for %s (GAZ-001 to GAZ-003)", async (_, body, location) => {
    expect(await errorFor(body)).toMatchObject({
      code: "GSA002",
      severity: "Error",
      description: "Invalid Message Structure.",
      location,
    });
  });

  it("journals each error with its code and the rule that raised it", async () => {
    await errorFor(ask({ postcode: "LS17 8DB" }, { maxno: 0, messageId: "journal-gsb004" }));
    const [event] = sim.journal.list({ messageId: "journal-gsb004" });
    expect(event).toMatchObject({ kind: "gazetteer.error", listener: "https", detail: { code: "GSB004" } });
    expect(event?.summary).toContain("GAZ-006");
  });
});

describe("requests that are not GetAddressList SOAP requests", () => {
  async function fault(
    body: string | Buffer,
    headers: Record<string, string> = { "content-type": "text/xml" },
  ): Promise<{ code: string; location: string; text: string }> {
    const reply = await post(url, body, agent, headers);
    expect(reply.status).toBe(500);
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.text).toContain("<SOAP:Fault>");
    const code = /<nasp:errorCode>([^<]*)<\/nasp:errorCode>/.exec(reply.text)?.[1] ?? "";
    const location = /<nasp:location>([^<]*)<\/nasp:location>/.exec(reply.text)?.[1] ?? "";
    return { code, location, text: reply.text };
  }

  it.each([
    ["malformed XML", "<SOAP-ENV:Envelope><unclosed>"],
    ["an empty body", ""],
    ["plain text", "postcode=LS17 8DB"],
    [
      "XML that is not a SOAP envelope",
      `<getAddressListRequest xmlns="http://national.carerecords.nhs.uk/schema/"/>`,
    ],
    [
      "a SOAP 1.2 envelope",
      `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`,
    ],
  ])("answers %s with a SOAP Fault, TMS 201", async (_, body) => {
    const { code, text } = await fault(body);
    expect(code).toBe("201");
    expect(text).toContain("<faultcode>SOAP:Client</faultcode>");
    expect(text).toContain("The message is not well formed");
  });

  it("refuses an external entity (XXE) without reading it", async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${getAddressList(`${header}<nasp:postalAddress><nasp:postcode>&xxe;</nasp:postcode></nasp:postalAddress>`)}`;
    const { code, location, text } = await fault(xxe);
    expect([code, location]).toEqual(["201", "DOCTYPE"]);
    expect(text).not.toMatch(/root:/);
  });

  it("refuses an entity expansion bomb at once", async () => {
    const entities = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
    ).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">${entities}]>${getAddressList(`${header}<nasp:postalAddress><nasp:town>&l10;</nasp:town></nasp:postalAddress>`)}`;
    const started = performance.now();
    expect((await fault(bomb)).code).toBe("201");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("answers a body over maxBodyBytes with TMS 9001", async () => {
    const big = ask({ address1: "x".repeat(maxBodyBytes), postcode: "LS17 8DB" });
    expect(await fault(big)).toMatchObject({ code: "9001", location: "HTTP Body" });
  });

  it("answers a compressed body with TMS 201 rather than inflating it", async () => {
    const zipped = gzipSync(ask({ postcode: "LS17 8DB" }));
    expect(await fault(zipped, { "content-type": "text/xml", "content-encoding": "gzip" })).toMatchObject({
      code: "201",
      location: "HTTP Header - Content-Encoding",
    });
  });

  it("answers a body that is not UTF-8 with TMS 201", async () => {
    expect(await fault(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]))).toMatchObject({
      code: "201",
      location: "HTTP Body",
    });
  });

  it.each(["application/soap+xml", "text/plain", "application/json"])(
    "answers Content-Type %s with TMS 201 on the Content-Type header",
    async (type) => {
      expect(await fault(ask({ postcode: "LS17 8DB" }), { "content-type": type })).toMatchObject({
        code: "201",
        location: "HTTP Header - Content-Type",
      });
    },
  );

  it("answers other methods with 405 and Allow: POST", async () => {
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const response = await request(url, { method, dispatcher: agent });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow).toBe("POST");
      expect(await response.body.text()).toBe("");
    }
  });

  it("journals refusals and keeps serving", async () => {
    await fault("<broken");
    const refusals = sim.journal.list().filter((e) => e.kind === "gazetteer.refused");
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.at(-1)?.summary).toMatch(/TMS 201/);
    const response = readResponse(
      (await post(url, ask({ address1: "1", postcode: "LS17 8DB" }), agent)).text,
    );
    expect(response.addresses.map((a) => a.addressKey)).toEqual(["17671560"]);
  });
});

describe("validation profiles", () => {
  const withoutSecurity = ask({ postcode: "LS17 8DB" }, { omitSecurityPackage: true });

  it("accepts a request without securityPackage when lenient and refuses it with GSA002 when strict (GAZ-005)", async () => {
    expect(readResponse((await post(url, withoutSecurity, agent)).text).errors).toEqual([]);
    const strict = await startTestSimulator({ mtls: "off", validation: "strict" });
    onTestFinished(() => strict.stop());
    const client = httpsAgent({ caFile: strict.ready.caFile });
    onTestFinished(() => client.close());
    const strictUrl = `${strict.ready.https}/addressfinder/query`;
    expect(await errorFor(withoutSecurity, strictUrl, client)).toMatchObject({
      code: "GSA002",
      location: `${requestPath}/nasp:messageHeader/nasp:securityPackage`,
    });
    const xml = await post(strictUrl, ask({ postcode: "LS17 8DB" }), client, {
      "content-type": "application/xml",
    });
    expect(xml.status).toBe(500);
  });

  it("answers instead of refusing in report-only, and journals what it would have refused", async () => {
    const report = await startTestSimulator({ mtls: "off", validation: "report-only" });
    onTestFinished(() => report.stop());
    const client = httpsAgent({ caFile: report.ready.caFile });
    onTestFinished(() => client.close());
    const reply = await post(
      `${report.ready.https}/addressfinder/query`,
      ask({ postcode: "LS17 8DB" }, { maxno: 0, messageId: "report-only-1" }),
      client,
    );
    const response = readResponse(reply.text);
    expect(response.errors).toEqual([]);
    expect(response.addresses).toHaveLength(1);
    const [event] = report.journal.list({ messageId: "report-only-1" });
    expect(event?.detail).toMatchObject({ diagnostics: [{ ruleId: "GAZ-006", code: "GSB004" }] });
  });
});

describe("address data from scenarios", () => {
  function scenario(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "spine-sim-gazetteer-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return join(dir, "scenario.yaml");
  }

  it("answers GSS002 when the scenario loads no addresses", async () => {
    const bare = await startTestSimulator({
      mtls: "off",
      scenario: scenario({ "scenario.yaml": "name: no-addresses\n" }),
    });
    onTestFinished(() => bare.stop());
    const client = httpsAgent({ caFile: bare.ready.caFile });
    onTestFinished(() => client.close());
    expect(
      await errorFor(ask({ postcode: "LS17 8DB" }), `${bare.ready.https}/addressfinder/query`, client),
    ).toMatchObject({
      code: "GSS002",
      severity: "Error",
      description: "Invalid Address Data File.",
    });
  });

  it("serves a scenario's own addresses on top of the ones it extends", async () => {
    const own = await startTestSimulator({
      mtls: "off",
      scenario: scenario({
        "scenario.yaml": "name: local-streets\nextends: int\nseed:\n  addresses: [local.csv]\n",
        "local.csv":
          "addressKey,subBuilding,buildingName,buildingNumber,thoroughfare,dependentLocality,postTown,county,postcode\n90000001,,The Surgery,7,Quayside Walk,,WHITBY,North Yorkshire,YO21 1AB\n",
      }),
    });
    onTestFinished(() => own.stop());
    const client = httpsAgent({ caFile: own.ready.caFile });
    onTestFinished(() => client.close());
    const target = `${own.ready.https}/addressfinder/query`;
    const local = readResponse(
      (await post(target, ask({ address1: "The Surgery", postcode: "yo21 1ab" }), client)).text,
    );
    expect(local.addresses).toEqual([
      {
        address1: "The Surgery",
        address2: "7 Quayside Walk",
        address3: "",
        town: "WHITBY",
        county: "North Yorkshire",
        postCode: "YO211AB",
        country: "UNITED KINGDOM",
        addressKey: "90000001",
      },
    ]);
    const inherited = readResponse(
      (await post(target, ask({ address1: "1", postcode: "LS17 8DB" }), client)).text,
    );
    expect(inherited.addresses.map((a) => a.addressKey)).toEqual(["17671560"]);
  });
});
