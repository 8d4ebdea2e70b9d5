/**
 * The address finder over the real HTTPS listener with a real client (undici, trusting only our
 * CA): the five published functions, maxno and totalmatches, over the shipped 20,000-address set.
 */
import type { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { getText, httpsAgent } from "../support/http-client.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import {
  addressListRequest,
  post,
  readResponse,
  type RequestFields,
  type RequestOptions,
} from "./soap-client.js";
import { seedAddresses } from "./seed-addresses.js";

let sim: TestSimulator;
let agent: Agent;
let url: string;

beforeAll(async () => {
  sim = await startTestSimulator({ mtls: "off" });
  agent = httpsAgent({ caFile: sim.ready.caFile, servername: "msg.int.spine2.ncrs.nhs.uk" });
  url = `${sim.ready.https}/addressfinder/query`;
});
afterAll(async () => {
  await agent.close();
  await sim.stop();
});

async function ask(
  fields: RequestFields,
  options: RequestOptions = {},
): Promise<ReturnType<typeof readResponse>> {
  const reply = await post(url, addressListRequest(fields, options), agent);
  expect(reply.status).toBe(200);
  const response = readResponse(reply.text);
  expect(response.errors).toEqual([]);
  return response;
}

const count = (predicate: (a: ReturnType<typeof seedAddresses>[number]) => boolean): number =>
  seedAddresses().filter(predicate).length;

describe("GetAddressList over HTTPS", () => {
  it("answers the published example (1 Sandringham Crescent, LS178DB, maxno 2) with one match shaped like the sample", async () => {
    const reply = await post(
      url,
      addressListRequest(
        { address1: "1 Sandringham Crescent", address2: "", town: "LEEDS", postcode: "LS178DB" },
        { maxno: 2 },
      ),
      agent,
    );
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/xml/);
    expect(reply.text).toContain(
      `<nasp:securityPackage xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`,
    );
    expect(reply.text).toContain("<nasp:address2/>");
    expect(reply.text).not.toContain("errorList");
    const response = readResponse(reply.text);
    expect(response.messageId).toMatch(/^[0-9a-f]+:[0-9a-f]+:-?[0-9a-f]+$/);
    expect(response.totalmatches).toBe(1);
    expect(response.addresses).toEqual([
      {
        address1: "1 Sandringham Crescent",
        address2: "",
        address3: "",
        town: "LEEDS",
        county: "West Yorkshire",
        postCode: "LS178DB",
        country: "UNITED KINGDOM",
        addressKey: "17671560",
      },
    ]);
  });

  it("reads the postcode whatever its case and spacing, and in either spelling of the element", async () => {
    const expected = count((a) => a.postcode === "LS17 8DB");
    expect(expected).toBeGreaterThan(9);
    for (const fields of [
      { postcode: "ls17 8db" },
      { postcode: "LS178DB" },
      { postcode: " LS17  8DB " },
      { postCode: "Ls17 8dB" },
    ]) {
      const response = await ask(fields);
      expect(response.totalmatches, JSON.stringify(fields)).toBe(expected);
      expect(
        response.addresses.map((a) => a.postCode),
        JSON.stringify(fields),
      ).toEqual(Array<string>(9).fill("LS178DB"));
    }
  });

  it("finds a single delivery point by house number and postcode, and by house name and postcode", async () => {
    const named = seedAddresses().find((a) => a.buildingName === "Rose Cottage" && a.buildingNumber === "");
    if (named === undefined) throw new Error("the seed data has no Rose Cottage");
    const sameName = count((a) => a.postcode === named.postcode && a.buildingName === "Rose Cottage");
    const byName = await ask({ address1: "rose cottage", postcode: named.postcode });
    expect(byName.totalmatches).toBe(sameName);
    expect(byName.addresses.map((a) => a.addressKey)).toContain(named.addressKey);
    const byNumber = await ask({ address1: "3", postcode: "LS17 8DB" });
    expect(byNumber.addresses.map((a) => a.address1)).toEqual(["3 Sandringham Crescent"]);
  });

  it("lists several matches for a partial address: a street and town without a number", async () => {
    const response = await ask({ address1: "Rosslyn Street", town: "Liverpool" }, { maxno: 99 });
    const expected = seedAddresses().filter(
      (a) => a.thoroughfare === "Rosslyn Street" && a.postTown === "LIVERPOOL",
    );
    expect(response.totalmatches).toBe(expected.length);
    expect(response.addresses.map((a) => a.addressKey).sort()).toEqual(
      expected.map((a) => a.addressKey).sort(),
    );
    expect(response.addresses.map((a) => a.address1)).toEqual(
      [...response.addresses.map((a) => a.address1)].sort((x, y) => parseInt(x) - parseInt(y)),
    );
  });

  it("finds misspelt street words phonetically: 115 Roglyn Sreet is 115 Rosslyn Street", async () => {
    const target = seedAddresses().find(
      (a) => a.thoroughfare === "Rosslyn Street" && a.buildingNumber === "115",
    );
    const response = await ask({ address1: "115 Roglyn Sreet", town: "Liverpool" });
    expect(response.addresses[0]).toMatchObject({
      address1: "115 Rosslyn Street",
      town: "LIVERPOOL",
      addressKey: target?.addressKey,
    });
    const sandringham = await ask({ address1: "1 Sandringam Cresent", town: "Leds" });
    expect(sandringham.addresses.map((a) => a.addressKey)).toEqual(["17671560"]);
  });

  it("reads ? in the postcode as exactly one character", async () => {
    const expected = count((a) => /^L.2 7DN$/.test(a.postcode));
    expect(expected).toBeGreaterThan(0);
    const response = await ask({ postcode: "L?2 7DN" }, { maxno: 99 });
    expect(response.totalmatches).toBe(expected);
    for (const address of response.addresses) expect(address.postCode).toMatch(/^L.27DN$/);
  });

  it("reads * in the other elements as any run of characters", async () => {
    const response = await ask({ address1: "Sandr* Cres*", town: "LEE*" }, { maxno: 99 });
    const expected = count((a) => /^Sandr.* Cres/.test(a.thoroughfare) && a.postTown.startsWith("LEE"));
    expect(response.totalmatches).toBe(expected);
    expect(response.addresses.every((a) => a.address1.includes("Sandr"))).toBe(true);
    const starPostcode = await ask({ postcode: "LS17 8D*" });
    expect([starPostcode.totalmatches, starPostcode.addresses.length]).toEqual([0, 0]);
  });

  it("corrects misread postcode characters by position before giving up", async () => {
    const response = await ask({ address1: "1", postcode: "LSI7 8DB" });
    expect(response.addresses.map((a) => a.addressKey)).toEqual(["17671560"]);
  });

  it("returns the PAF address key of every delivery point, unique across the list", async () => {
    const response = await ask({ postcode: "LS17" }, { maxno: 99 });
    const keys = response.addresses.map((a) => a.addressKey);
    expect(keys.every((k) => /^\d{8}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("returns 9 addresses by default, up to 99 when asked, and caps larger requests at 99, always with the full totalmatches", async () => {
    const expected = count((a) => a.postcode.startsWith("LS17 "));
    expect(expected).toBeGreaterThan(99);
    const cases: [RequestOptions, number][] = [
      [{}, 9],
      [{ maxno: 1 }, 1],
      [{ maxno: 50 }, 50],
      [{ maxno: 99 }, 99],
      [{ maxno: 100 }, 99],
      [{ maxno: 5000 }, 99],
    ];
    for (const [options, returned] of cases) {
      const response = await ask({ postcode: "ls17" }, options);
      expect(response.addresses.length, JSON.stringify(options)).toBe(returned);
      expect(response.totalmatches, JSON.stringify(options)).toBe(expected);
    }
  });

  it("answers an address it does not hold with an empty list and totalmatches 0, not an error", async () => {
    const reply = await post(
      url,
      addressListRequest({ address1: "1 Nowhere Street", town: "Nowhereton" }),
      agent,
    );
    expect(reply.text).toContain("<nasp:addressList/>");
    const response = readResponse(reply.text);
    expect([response.errors, response.addresses, response.totalmatches]).toEqual([[], [], 0]);
  });

  it("accepts any SOAPAction or none: the body names the operation", async () => {
    const body = addressListRequest({ address1: "1", postcode: "LS17 8DB" });
    for (const headers of [
      { "content-type": "text/xml" },
      { "content-type": "text/xml", soapaction: "urn:anything" },
      { "content-type": "application/xml", soapaction: '"GetAddressList"' },
    ]) {
      const reply = await post(url, body, agent, headers);
      expect(
        readResponse(reply.text).addresses.map((a) => a.addressKey),
        JSON.stringify(headers),
      ).toEqual(["17671560"]);
    }
  });

  it("serves a WSDL describing GetAddressList at ?wsdl", async () => {
    const wsdl = await getText(`${url}?wsdl`, agent);
    expect(wsdl.status).toBe(200);
    expect(String(wsdl.headers["content-type"])).toMatch(/^text\/xml/);
    expect(wsdl.text).toContain(`<wsdl:operation name="GetAddressList">`);
    expect(wsdl.text).toContain(`soapAction=""`);
    expect(wsdl.text).toMatch(/<soap:address location="https:\/\/[^"]+\/addressfinder\/query"\/>/);
  });

  it("journals every query with the sender's messageId", async () => {
    await ask({ postcode: "LS17 8DB" }, { messageId: "F0F0F0F0-1111-2222-3333-444444444444" });
    const [event] = sim.journal.list({ messageId: "F0F0F0F0-1111-2222-3333-444444444444" });
    expect(event).toMatchObject({ kind: "gazetteer.query", listener: "https" });
    expect(event?.summary).toMatch(/postcode="LS17 8DB": 9 of \d+ \(ALTERNATIVE, exact\)/);
  });
});

describe("GetAddressList with mutual TLS", () => {
  it("answers a client presenting the ready-made endpoint's certificate", async () => {
    const mutual = await startTestSimulator();
    onTestFinished(() => mutual.stop());
    const endpoint = mutual.ready.endpoints[0];
    if (endpoint === undefined) throw new Error("the int scenario has no ready-made endpoint");
    const client = httpsAgent({
      caFile: mutual.ready.caFile,
      certFile: endpoint.certFile,
      keyFile: endpoint.keyFile,
      servername: "msg.int.spine2.ncrs.nhs.uk",
    });
    onTestFinished(() => client.close());
    const reply = await post(
      `${mutual.ready.https}/addressfinder/query`,
      addressListRequest({ address1: "1", postcode: "LS17 8DB" }),
      client,
    );
    expect(readResponse(reply.text).addresses.map((a) => a.addressKey)).toEqual(["17671560"]);
  });
});
