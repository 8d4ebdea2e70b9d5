/**
 * The real `ldapsearch` (OpenLDAP's libldap, Debian ldap-utils) against the directory over LDAP and
 * LDAPS with mutual TLS — the client suppliers' own scripts and the reference's examples use.
 * Filters are passed exactly as the reference writes them, spaces included: libldap accepts them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { ReadyInfo } from "../../src/simulator.js";
import { startCli } from "../support/cli.js";
import { sharedCertsDir, startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { ldapsearch, ldapsearchTls } from "./sds-clients.js";

const practice = { ods: "A20047", asid: "918999198993", partyKey: "A20047-9198993" };
const psisAck = "urn:nhs:names:services:psis:MCCI_IN010000UK13";

async function started(flags: Record<string, unknown> = {}): Promise<TestSimulator> {
  const sim = await startTestSimulator(flags);
  onTestFinished(() => sim.stop());
  return sim;
}

describe("ldapsearch over LDAP", () => {
  it("runs the route look-up pair F1 then F2 and gets the canonical attribute names back for lower-case requests", async () => {
    const sim = await started();
    const f1 = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "ou=services,o=nhs",
      `(&(nhsIDCode=${practice.ods}) (objectClass=nhsAs) (nhsAsSvcIA=${psisAck}))`,
      "nhsmhspartykey",
      "UNIQUEIDENTIFIER",
    ]);
    expect(f1.stderr).toBe("");
    expect(f1.entries).toEqual([
      {
        dn: `uniqueIdentifier=${practice.asid},ou=Services,o=nhs`,
        attributes: { uniqueIdentifier: [practice.asid], nhsMHSPartyKey: [practice.partyKey] },
      },
    ]);
    const f2 = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "ou=services,o=nhs",
      `(&(objectClass=nhsMhs) (nhsMHSPartyKey=${practice.partyKey.toLowerCase()}) (nhsMhsSvcIA=${psisAck}))`,
      "nhsmhsendpoint",
      "NHSMHSCPAID",
      "nhsMHSAckRequested",
    ]);
    expect(f2.entries).toEqual([
      {
        dn: "uniqueIdentifier=S91899919899302,ou=Services,o=nhs",
        attributes: {
          nhsMhsCPAId: ["S91899919899302"],
          nhsMHSEndPoint: ["https://localhost:9443/reliablemessaging/inbound"],
          nhsMHSAckRequested: ["always"],
        },
      },
    ]);
  });

  it("finds nothing for an unmatchable substring filter and refuses a malformed one client-side", async () => {
    const sim = await started();
    const substring = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "ou=services,o=nhs",
      "(nhsMhsSvcIA=*gp2gp*)",
      "1.1",
    ]);
    expect(substring).toMatchObject({ exitCode: 0, entries: [] });
    const malformed = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "ou=services,o=nhs",
      "(nhsMhsSvcIA=x",
      "1.1",
    ]);
    expect(malformed.exitCode).not.toBe(0);
    expect(malformed.stderr).toMatch(/Bad search filter/);
  });

  it("reports noSuchObject (32) with the matched DN for an unknown base", async () => {
    const sim = await started();
    const result = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "uniqueIdentifier=nope,ou=services,o=nhs",
      "(objectClass=*)",
    ]);
    expect(result.exitCode).toBe(32);
    expect(result.stderr + result.stdout).toMatch(/No such object/);
    expect(result.stderr + result.stdout).toMatch(/Matched DN: ou=Services,o=nhs/);
  });

  it("stops at the size limit with sizeLimitExceeded (4), and pages through the whole tree with the paged results control", async () => {
    const sim = await started();
    const limited = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "o=nhs",
      "-z",
      "5",
      "(objectClass=*)",
      "1.1",
    ]);
    expect(limited.exitCode).toBe(4);
    expect(limited.entries).toHaveLength(5);
    const paged = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "o=nhs",
      "-E",
      "pr=37/noprompt",
      "(objectClass=*)",
      "1.1",
    ]);
    expect(paged.exitCode).toBe(0);
    const dns = paged.entries.map((e) => e.dn);
    expect(dns).toHaveLength(sim.directory().length);
    expect(new Set(dns).size).toBe(dns.length);
  });

  it("reads the root DSE's operational attributes and the schema at cn=Subschema", async () => {
    const sim = await started();
    const dse = await ldapsearch(["-H", sim.ready.ldap, "-b", "", "-s", "base", "(objectClass=*)", "+"]);
    expect(dse.entries[0]?.attributes).toMatchObject({
      namingContexts: ["o=nhs"],
      subschemaSubentry: ["cn=Subschema"],
      supportedLDAPVersion: ["3"],
    });
    expect(dse.entries[0]?.attributes.supportedControl).toContain("1.2.840.113556.1.4.319");
    const schema = await ldapsearch([
      "-H",
      sim.ready.ldap,
      "-b",
      "cn=Subschema",
      "-s",
      "base",
      "(objectClass=subschema)",
      "attributeTypes",
      "objectClasses",
    ]);
    const types = schema.entries[0]?.attributes.attributeTypes ?? [];
    expect(types.find((t) => t.includes("NAME 'nhsMhsSvcIA'"))).toMatch(
      /EQUALITY caseExactMatch .*SINGLE-VALUE/,
    );
    expect(schema.entries[0]?.attributes.objectClasses?.some((c) => c.includes("NAME 'nhsMhs'"))).toBe(true);
  });
});

describe("ldapsearch over LDAPS", () => {
  it("answers a client presenting the endpoint certificate and refuses one without, when mutual TLS is on", async () => {
    const sim = await started({ mtls: "on" });
    const args = [
      "-H",
      sim.ready.ldaps,
      "-b",
      "ou=services, o=nhs",
      `(&(nhsIDCode=${practice.ods}) (objectClass=nhsAs))`,
      "nhsMHSPartyKey",
    ];
    const accepted = await ldapsearch(args, ldapsearchTls(sim.ready));
    expect(accepted.stderr).toBe("");
    expect(accepted.entries.map((e) => e.attributes.nhsMHSPartyKey)).toEqual([[practice.partyKey]]);
    const refused = await ldapsearch(args, ldapsearchTls(sim.ready, false));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.entries).toEqual([]);
    const journal = sim.journal.list().filter((e) => e.kind === "tls.refused" && e.listener === "ldaps");
    expect(journal.map((e) => e.summary).join("\n")).toMatch(/no client certificate/);
  });

  it("answers without a client certificate when mutual TLS is off", async () => {
    const sim = await started({ mtls: "off" });
    const result = await ldapsearch(
      ["-H", sim.ready.ldaps, "-b", "ou=services,o=nhs", `(uniqueIdentifier=${practice.asid})`, "1.1"],
      ldapsearchTls(sim.ready, false),
    );
    expect(result.entries.map((e) => e.dn)).toEqual([`uniqueIdentifier=${practice.asid},ou=Services,o=nhs`]);
  });
});

describe("the built simulator (dist/main.js)", () => {
  it("answers ldapsearch's bind and the route look-up over LDAP and LDAPS, as the bundled build ships", async () => {
    // ldapsearch binds before it searches: this is the regression test for binds in the ES-module bundle.
    await started(); // makes sure the shared test PKI exists before the child process reuses it
    const dir = mkdtempSync(join(tmpdir(), "spine-sim-sds-dist-"));
    const ports = ["--https-port", "0", "--ldap-port", "0", "--ldaps-port", "0", "--control-port", "0"];
    const running = await startCli(
      [
        ...ports,
        "--db",
        ":memory:",
        "--data-dir",
        dir,
        "--certs-dir",
        sharedCertsDir,
        "--mtls",
        "on",
        "--log-level",
        "warn",
      ],
      join(dir, "ready.json"),
    );
    onTestFinished(async () => {
      await running.stop();
    });
    const ready = running.ready as unknown as ReadyInfo;
    const filter = `(&(nhsIDCode=${practice.ods}) (objectClass=nhsAs) (nhsAsSvcIA=${psisAck}))`;
    for (const [url, env] of [
      [ready.ldap, {}],
      [ready.ldaps, ldapsearchTls(ready)],
    ] as const) {
      const result = await ldapsearch(["-H", url, "-b", "ou=services,o=nhs", filter, "nhsMHSPartyKey"], env);
      expect(result.stderr, url).toBe("");
      expect(
        result.entries.map((e) => e.attributes.nhsMHSPartyKey),
        url,
      ).toEqual([[practice.partyKey]]);
    }
    const bound = await ldapsearch([
      "-H",
      ready.ldap,
      "-D",
      "uid=999000000003,ou=People,o=nhs",
      "-w",
      "secret",
      "-b",
      "",
      "-s",
      "base",
      "1.1",
    ]);
    expect(bound.exitCode).toBe(0);
  });
});
