/**
 * Bad input on the LDAP listener: garbage, truncated BER, messages that are too large, huge and
 * deeply nested filters, forged paging cookies, responses sent by a client, many connections at
 * once. Each is answered or closed cleanly, logged and journalled, and the listener keeps serving.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import {
  filters,
  message,
  pagedControl,
  pagedCookie,
  RawLdap,
  searchRequest,
  type RawFilter,
} from "./raw-ldap.js";
import { ldapClient, searchEntries } from "./sds-clients.js";
import { tlv, octetString, integer, tags } from "../../src/servers/ldap/ber.js";

const noticeOfDisconnection = "1.3.6.1.4.1.1466.20036";
const services = "ou=Services,o=nhs";

async function started(): Promise<TestSimulator> {
  const sim = await startTestSimulator();
  onTestFinished(() => sim.stop());
  return sim;
}

/** The listener still answers the route look-up correctly. */
async function stillServes(sim: TestSimulator): Promise<void> {
  const client = ldapClient(sim.ready);
  const entries = await searchEntries(client, services, {
    filter: "(uniqueIdentifier=918999198993)",
    attributes: ["nhsMHSPartyKey"],
  });
  expect(entries).toEqual([
    { dn: "uniqueIdentifier=918999198993,ou=Services,o=nhs", nhsMHSPartyKey: "A20047-9198993" },
  ]);
}

const journalOf = (sim: TestSimulator, kind: string): string[] =>
  sim.journal
    .list()
    .filter((e) => e.kind === kind)
    .map((e) => e.summary);

describe("input that is not LDAP", () => {
  it("answers garbage with a Notice of Disconnection, closes, journals it and keeps serving", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    raw.send(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    const notice = await raw.until((m) => m.messageId === 0);
    expect(notice?.opTag).toBe(0x78);
    expect(notice?.result?.code).toBe(2);
    expect(notice?.frame.includes(Buffer.from(noticeOfDisconnection))).toBe(true);
    expect(await raw.closedByServer()).toBe(true);
    expect(journalOf(sim, "ldap.malformed").join("\n")).toMatch(/not an LDAP message/);
    await stillServes(sim);
  });

  it("refuses a message announcing more than the size limit before buffering it", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    raw.send(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01]));
    expect((await raw.until((m) => m.messageId === 0))?.result?.message).toMatch(
      /larger than the 262143-byte limit/,
    );
    expect(await raw.closedByServer()).toBe(true);
    await stillServes(sim);
  });

  it("waits for the rest of a truncated message and survives the client leaving mid-message", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    const request = searchRequest(1, { base: services, filter: filters.present("objectClass") });
    raw.send(request.subarray(0, 10));
    expect(await raw.until(() => true, 300)).toBeUndefined();
    raw.send(request.subarray(10));
    expect((await raw.done(1))?.result?.code).toBe(0);
    raw.send(request.subarray(0, 7));
    raw.end();
    await stillServes(sim);
  });

  it("closes a connection that sends a response instead of a request", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    raw.send(message(1, tlv(0x65, integer(0, tags.enumerated), octetString(""), octetString(""))));
    expect((await raw.until((m) => m.messageId === 0))?.result?.message).toMatch(/not a request/);
    expect(await raw.closedByServer()).toBe(true);
    await stillServes(sim);
  });
});

describe("malformed and hostile searches", () => {
  it("answers a malformed filter with protocolError and keeps the connection", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    raw.send(searchRequest(1, { base: services, filter: tlv(0xbf, Buffer.from([0x01])) }));
    raw.send(searchRequest(2, { base: services, filter: tlv(0xa3, octetString("uid")) }));
    raw.send(
      searchRequest(3, {
        base: "uniqueIdentifier=918999198993,ou=Services,o=nhs",
        scope: 0,
        filter: filters.present("objectClass"),
      }),
    );
    expect((await raw.done(1))?.result?.code).toBe(2);
    expect((await raw.done(2))?.result).toMatchObject({
      code: 2,
      message: expect.stringMatching(/malformed search request/) as unknown,
    });
    expect((await raw.done(3))?.result?.code).toBe(0);
    expect(raw.entries(3)).toHaveLength(1);
    expect(journalOf(sim, "ldap.malformed").length).toBeGreaterThanOrEqual(2);
  });

  it("answers an invalid base DN with invalidDNSyntax (34)", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    raw.send(searchRequest(1, { base: "not a dn", filter: filters.present("objectClass") }));
    expect((await raw.done(1))?.result?.code).toBe(34);
  });

  it("evaluates a huge filter within the message limit and closes on one beyond it", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    const terms = (n: number): RawFilter[] =>
      Array.from({ length: n }, (_, i) => filters.equality("uniqueIdentifier", String(918999192000 + i)));
    const big = searchRequest(1, { base: services, filter: filters.or(...terms(7000)), attributes: ["1.1"] });
    expect(big.length).toBeGreaterThan(200_000);
    expect(big.length).toBeLessThan(262_143);
    raw.send(big);
    expect((await raw.done(1))?.result?.code).toBe(0);
    expect(raw.entries(1).length).toBeGreaterThanOrEqual(1); // 918999198993 is among the terms
    const tooBig = searchRequest(2, { base: services, filter: filters.or(...terms(20_000)) });
    expect(tooBig.length).toBeGreaterThan(262_143);
    raw.send(tooBig);
    expect((await raw.until((m) => m.messageId === 0))?.result?.message).toMatch(/larger than/);
    await stillServes(sim);
  });

  it("evaluates nesting 200 levels deep and refuses nesting deeper than 256 with protocolError", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    const nested = (depth: number): RawFilter => {
      let filter = filters.equality("uniqueIdentifier", "918999198993");
      for (let i = 0; i < depth; i++) filter = filters.not(filters.not(filter));
      return filter;
    };
    raw.send(searchRequest(1, { base: services, filter: nested(100), attributes: ["1.1"] }));
    expect((await raw.done(1))?.result?.code).toBe(0);
    expect(raw.entries(1)).toHaveLength(1);
    raw.send(searchRequest(2, { base: services, filter: nested(2000) }));
    expect((await raw.done(2))?.result).toMatchObject({
      code: 2,
      message: expect.stringMatching(/nested deeper than 256/) as unknown,
    });
    await stillServes(sim);
  });

  it("refuses a paging cookie it did not make (2) and one from another search (53)", async () => {
    const sim = await started();
    const raw = await RawLdap.open(sim.ready.ldap);
    const all = { base: "o=nhs", filter: filters.present("objectClass"), attributes: ["1.1"] };
    raw.send(searchRequest(1, { ...all, controls: [pagedControl(10, Buffer.alloc(0))] }));
    const first = await raw.done(1);
    expect(raw.entries(1)).toHaveLength(10);
    const cookie = pagedCookie(first);
    expect(cookie.length).toBeGreaterThan(0);
    raw.send(searchRequest(2, { ...all, controls: [pagedControl(10, cookie)] }));
    expect((await raw.done(2))?.result?.code).toBe(0);
    expect(raw.entries(2)).toHaveLength(10);
    raw.send(searchRequest(3, { ...all, base: services, controls: [pagedControl(10, cookie)] }));
    expect((await raw.done(3))?.result).toMatchObject({
      code: 53,
      message: expect.stringMatching(/cookie is invalid or old/) as unknown,
    });
    raw.send(searchRequest(4, { ...all, controls: [pagedControl(10, Buffer.from("forged"))] }));
    expect((await raw.done(4))?.result).toMatchObject({
      code: 2,
      message: "paged results cookie is invalid",
    });
  });
});

describe("load", () => {
  it("serves 200 concurrent connections, each with its own route look-up", async () => {
    const sim = await started();
    const connections = await Promise.all(Array.from({ length: 200 }, () => RawLdap.open(sim.ready.ldap)));
    connections.forEach((raw, i) =>
      raw.send(
        searchRequest(i + 1, {
          base: "ou=services, o=nhs",
          filter: filters.and(
            filters.equality("objectClass", "nhsAs"),
            filters.equality("nhsIDCode", "A20047"),
          ),
          attributes: ["nhsMHSPartyKey"],
        }),
      ),
    );
    const results = await Promise.all(connections.map((raw, i) => raw.done(i + 1)));
    expect(results.every((r) => r?.result?.code === 0)).toBe(true);
    expect(connections.every((raw, i) => raw.entries(i + 1).length === 1)).toBe(true);
    await stillServes(sim);
  });
});
