/**
 * How the directory matches, selects, scopes, limits and pages, as the real SDS (OpenLDAP) does,
 * seen through ldapts over a real socket.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  InsufficientAccessError,
  InappropriateAuthError,
  NoSuchObjectError,
  SizeLimitExceededError,
  UnavailableCriticalExtensionError,
  UnwillingToPerformError,
  Control,
  Change,
  Attribute,
} from "ldapts";
import { describe, expect, it, onTestFinished } from "vitest";
import { seedDataDir } from "../../src/paths.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { attributeNames, ldapClient, searchEntries } from "./sds-clients.js";

const services = "ou=services,o=nhs";
const practiceAs = "uniqueIdentifier=918999198993,ou=Services,o=nhs";

async function started(flags: Record<string, unknown> = {}): Promise<TestSimulator> {
  const sim = await startTestSimulator(flags);
  onTestFinished(() => sim.stop());
  return sim;
}

describe("matching as on the real SDS", () => {
  it("returns nhsMHSPartyKey for nhsMHSPartyKey, nhsmhspartykey and NHSMHSPARTYKEY alike", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    for (const asked of ["nhsMHSPartyKey", "nhsmhspartykey", "NHSMHSPARTYKEY", "nhsMhsPartyKey"]) {
      const entries = await searchEntries(client, services, {
        filter: "(uniqueIdentifier=918999198993)",
        attributes: [asked],
      });
      expect(entries, asked).toEqual([{ dn: practiceAs, nhsMHSPartyKey: "A20047-9198993" }]);
    }
  });

  it("matches attribute names and objectClass values in any case: nhsMHS, nhsmhs, NHSMHSPARTYKEY", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const svcIA = "urn:nhs:names:services:gp2gp:COPC_IN000001UK01";
    const variants = [
      `(&(objectClass=nhsMhs)(nhsMHSPartyKey=A20047-9198993)(nhsMhsSvcIA=${svcIA}))`,
      `(&(objectclass=nhsMHS)(nhsmhspartykey=A20047-9198993)(nhsmhssvcia=${svcIA}))`,
      `(&(OBJECTCLASS=nhsmhs)(NHSMHSPARTYKEY=A20047-9198993)(NHSMHSSVCIA=${svcIA}))`,
    ];
    for (const filter of variants) {
      const entries = await searchEntries(client, services, { filter, attributes: ["1.1"] });
      expect(
        entries.map((e) => e.dn),
        filter,
      ).toEqual(["uniqueIdentifier=S91899919899308,ou=Services,o=nhs"]);
    }
  });

  it("matches nhsIDCode case-exactly but the party key and uniqueIdentifier case-insensitively", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const dns = async (filter: string): Promise<string[]> =>
      (await searchEntries(client, services, { filter, attributes: ["1.1"] })).map((e) => e.dn);
    expect(await dns("(&(objectClass=nhsAs)(nhsIDCode=A20047))")).toEqual([practiceAs]);
    expect(await dns("(&(objectClass=nhsAs)(nhsIDCode=a20047))")).toEqual([]);
    expect(await dns("(&(objectClass=nhsAs)(nhsMHSPartyKey=a20047-9198993))")).toEqual([practiceAs]);
    expect(await dns("(uniqueIdentifier=s91899919899308)")).toEqual([
      "uniqueIdentifier=S91899919899308,ou=Services,o=nhs",
    ]);
  });

  it("never matches a substring of an NHS attribute, which has no SUBSTR rule, not even under NOT", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    expect(await searchEntries(client, services, { filter: "(nhsMhsSvcIA=*gp2gp*)" })).toEqual([]);
    expect(await searchEntries(client, services, { filter: "(nhsMHSPartyKey=A20047*)" })).toEqual([]);
    expect(await searchEntries(client, services, { filter: "(!(nhsMhsSvcIA=*gp2gp*))" })).toEqual([]);
  });

  it("treats an unknown attribute as Undefined, so a typo matches nothing rather than everything", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    expect(
      await searchEntries(client, services, { filter: "(&(objectlass=nhsMhs)(nhsIDCode=A20047))" }),
    ).toEqual([]);
  });

  it("answers *, +, 1.1 and an empty list as RFC 4511 and RFC 3673 say", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const read = async (attributes: string[]): Promise<string[]> =>
      attributeNames(
        (await searchEntries(client, practiceAs, { scope: "base", attributes }))[0] ?? { dn: "" },
      );
    const all = await read([]);
    expect(all).toEqual(
      expect.arrayContaining([
        "objectClass",
        "uniqueIdentifier",
        "nhsIDCode",
        "nhsMHSPartyKey",
        "nhsAsSvcIA",
      ]),
    );
    expect(all).not.toContain("entryUUID");
    expect(await read(["*"])).toEqual(all);
    expect(await read(["1.1"])).toEqual([]);
    const operational = await read(["+"]);
    expect(operational).toEqual(
      expect.arrayContaining([
        "structuralObjectClass",
        "entryDN",
        "entryUUID",
        "subschemaSubentry",
        "hasSubordinates",
      ]),
    );
    expect(operational).not.toContain("nhsIDCode");
    expect(await read(["nhsIDCode", "+"])).toEqual(["nhsIDCode", ...operational]);
  });
});

describe("scope, base, size limit and paging", () => {
  it("applies base, one-level and subtree scope", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const person = "uid=999000000003,ou=People,o=nhs";
    const dns = async (base: string, scope: "base" | "one" | "sub"): Promise<string[]> =>
      (await searchEntries(client, base, { scope, filter: "(objectClass=*)", attributes: ["1.1"] })).map(
        (e) => e.dn,
      );
    expect(await dns(person, "base")).toEqual([person]);
    expect(await dns(person, "one")).toEqual([`uniqueIdentifier=999100000003,${person}`]);
    expect(await dns(person, "sub")).toHaveLength(4);
    expect(await dns("o=nhs", "one")).toEqual([
      "ou=Organisations,o=nhs",
      "ou=People,o=nhs",
      "ou=Services,o=nhs",
    ]);
  });

  it("treats bases in any case and spacing as the same entry", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    for (const base of [
      "ou=services, o=nhs",
      "OU=SERVICES,O=NHS",
      "ou=Services,o=nhs",
      "UNIQUEIDENTIFIER=918999198993, OU=Services, O=nhs",
    ]) {
      const entries = await searchEntries(client, base, {
        filter: "(uniqueIdentifier=918999198993)",
        attributes: ["1.1"],
      });
      expect(
        entries.map((e) => e.dn),
        base,
      ).toEqual([practiceAs]);
    }
  });

  it("answers an unknown base with noSuchObject naming the deepest entry that exists", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const error = await client
      .search("uniqueIdentifier=000000000000,ou=Services,o=nhs", {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchObjectError);
    expect((error as NoSuchObjectError).message).toMatch(/no entry/);
    const journal = sim.journal.list().filter((e) => e.kind === "ldap.noSuchObject");
    expect(journal.map((e) => e.summary).join("\n")).toContain("000000000000");
  });

  it("stops at the client's size limit (ldapts accepts sizeLimitExceeded when it set the limit itself)", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    expect(
      await searchEntries(client, "o=nhs", { filter: "(objectClass=*)", sizeLimit: 5, attributes: ["1.1"] }),
    ).toHaveLength(5);
  });

  it("stops at 500 entries without paging, and pages through more than 1,000 entries returning each exactly once", async () => {
    const sim = await started({ scenario: bigScenario(400) });
    const client = ldapClient(sim.ready);
    const error = await client
      .search("o=nhs", { filter: "(objectClass=*)", attributes: ["1.1"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SizeLimitExceededError);

    const expected = sim.directory().length;
    expect(expected).toBeGreaterThan(1000);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.searchPaginated("o=nhs", {
      filter: "(objectClass=*)",
      attributes: ["1.1"],
      paged: { pageSize: 250 },
    })) {
      seen.push(...page.searchEntries.map((e) => e.dn));
      pages++;
    }
    expect(pages).toBe(Math.ceil(expected / 250));
    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((dn) => dn.toLowerCase())).size).toBe(expected);
  });
});

describe("root DSE, subschema, binds and writes", () => {
  it("publishes the root DSE as OpenLDAP does: naming context, subschema, paged results, LDAPv3, no StartTLS", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const [plain] = await searchEntries(client, "", { scope: "base", filter: "(objectClass=*)" });
    expect(plain).toEqual({ dn: "", objectClass: ["top", "OpenLDAProotDSE"] });
    const [dse] = await searchEntries(client, "", {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["*", "+"],
    });
    expect(dse).toMatchObject({
      namingContexts: "o=nhs",
      subschemaSubentry: "cn=Subschema",
      supportedLDAPVersion: "3",
    });
    expect(dse?.supportedControl).toContain("1.2.840.113556.1.4.319");
    expect(dse?.supportedExtension).not.toContain("1.3.6.1.4.1.1466.20037");
  });

  it("publishes every object class and attribute type it serves, with matching rules, at cn=Subschema", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const [schema] = await searchEntries(client, "cn=Subschema", {
      scope: "base",
      filter: "(objectClass=subschema)",
      attributes: ["objectClasses", "attributeTypes", "matchingRules", "ldapSyntaxes"],
    });
    const attributeTypes = (schema?.attributeTypes ?? []) as string[];
    const objectClasses = (schema?.objectClasses ?? []) as string[];
    const definitionOf = (name: string): string =>
      attributeTypes.find((t) => t.includes(`NAME '${name}'`)) ?? "";
    expect(definitionOf("nhsMHSPartyKey")).toContain("EQUALITY caseIgnoreMatch");
    expect(definitionOf("nhsIDCode")).toContain("EQUALITY caseExactMatch");
    expect(definitionOf("nhsMhsManufacturerOrg")).toContain("EQUALITY caseIgnoreMatch");
    expect(definitionOf("nhsTempUid")).not.toBe("");
    expect(definitionOf("nhsMhsSvcIA")).not.toContain("SUBSTR");
    // every attribute name served in the directory is defined
    const served = new Set(
      sim.directory().flatMap((e) => Object.keys(e.attributes).map((n) => n.toLowerCase())),
    );
    const defined = new Set(
      attributeTypes.flatMap((t) => [...t.matchAll(/'([^']+)'/g)].map((m) => (m[1] ?? "").toLowerCase())),
    );
    expect([...served].filter((n) => !defined.has(n))).toEqual([]);
    for (const cls of [
      "nhsAs",
      "nhsMhs",
      "nhsPerson",
      "nhsOrgPerson",
      "nhsOrgPersonRole",
      "nhsOrg",
      "nhsGPPractice",
    ]) {
      expect(
        objectClasses.some((c) => c.includes(`NAME '${cls}'`)),
        cls,
      ).toBe(true);
    }
    expect(schema?.matchingRules).toEqual(
      expect.arrayContaining([expect.stringContaining("NAME 'caseExactMatch'")]),
    );
  });

  it("accepts anonymous and simple binds, refuses SASL with 48 and a DN without a password with 53", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    await client.bind("", "");
    await client.bind("uid=999000000003,ou=People,o=nhs", "any password");
    expect(await client.exop("1.3.6.1.4.1.4203.1.11.3")).toMatchObject({
      value: "dn:uid=999000000003,ou=People,o=nhs",
    });
    const sasl = await client.bind("PLAIN", "secret").catch((e: unknown) => e);
    expect(sasl).toBeInstanceOf(InappropriateAuthError);
    const unauthenticated = await client
      .bind("uid=999000000003,ou=People,o=nhs", "")
      .catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(UnwillingToPerformError);
    const refused = sim.journal
      .list()
      .filter((e) => e.kind === "ldap.refused")
      .map((e) => e.summary);
    expect(refused.join("\n")).toMatch(/SASL/);
    // and the connection still serves
    expect(await searchEntries(client, practiceAs, { scope: "base", attributes: ["1.1"] })).toHaveLength(1);
  });

  it("refuses every write with insufficientAccessRights (50) and journals it", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const attempts = [
      () =>
        client.add("uniqueIdentifier=1,ou=Services,o=nhs", {
          objectClass: ["top", "nhsAs"],
          uniqueIdentifier: "1",
        }),
      () => client.del(practiceAs),
      () =>
        client.modify(
          practiceAs,
          new Change({
            operation: "replace",
            modification: new Attribute({ type: "nhsProductName", values: ["x"] }),
          }),
        ),
      () => client.modifyDN(practiceAs, "uniqueIdentifier=2"),
      () => client.exop("1.3.6.1.4.1.4203.1.11.1"),
    ];
    // One at a time: ldapts opens a second connection when operations overlap its first connect.
    for (const attempt of attempts)
      expect(await attempt().catch((e: unknown) => e)).toBeInstanceOf(InsufficientAccessError);
    expect(sim.journal.list().filter((e) => e.kind === "ldap.refused" && e.listener === "ldap")).toHaveLength(
      5,
    );
    expect(
      await searchEntries(client, practiceAs, { scope: "base", attributes: ["nhsProductName"] }),
    ).toEqual([{ dn: practiceAs, nhsProductName: "Spine-Sim Example GP System" }]);
  });

  it("compares with the attribute's equality rule", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    expect(await client.compare(practiceAs, "nhsmhspartykey", "a20047-9198993")).toBe(true);
    expect(await client.compare(practiceAs, "nhsIDCode", "a20047")).toBe(false);
  });

  it("refuses an unsupported control marked critical and ignores it when it is not", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const sorting = (critical: boolean): Control => new Control("1.2.840.113556.1.4.473", { critical });
    const error = await client.search(practiceAs, { scope: "base" }, sorting(true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableCriticalExtensionError);
    expect(await searchEntries(client, practiceAs, { scope: "base", attributes: ["1.1"] })).toHaveLength(1);
    const { searchEntries: entries } = await client.search(
      practiceAs,
      { scope: "base", attributes: ["1.1"] },
      sorting(false),
    );
    expect(entries).toHaveLength(1);
  });

  it("shows endpoints registered at run time in LDAP at once", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const registered = await sim.registerEndpoint({
      odsCode: "Z99003",
      url: "https://z99003.example.test/mhs",
      interactions: ["MCCI_IN010000UK13"],
    });
    const entries = await searchEntries(client, services, {
      filter: `(&(objectClass=nhsAs)(nhsIDCode=Z99003))`,
      attributes: ["nhsMHSPartyKey"],
    });
    expect(entries).toEqual([
      { dn: `uniqueIdentifier=${registered.asid},ou=Services,o=nhs`, nhsMHSPartyKey: registered.partyKey },
    ]);
  });
});

/** A scenario extending int with `people` more staff, each adding three entries (person, org-person, role). */
function bigScenario(people: number): string {
  const dir = mkdtempSync(join(tmpdir(), "spine-sim-sds-"));
  const template = (
    JSON.parse(readFileSync(join(seedDataDir, "people.json"), "utf8")) as { orgs: { odsCode: string }[] }[]
  )[0];
  const ods = template?.orgs[0]?.odsCode ?? "A20047";
  const staff = Array.from({ length: people }, (_, i) => {
    const n = String(i).padStart(7, "0");
    return {
      uid: `99908${n}`,
      givenName: `Test${i}`,
      familyName: "Paging",
      status: "1",
      smartcard: { cardId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, passcode: "1234" },
      orgs: [
        {
          orgPersonId: `99918${n}`,
          odsCode: ods,
          roles: [
            {
              roleProfileId: `99928${n}`,
              jobRoleCode: "S8000:G8000:R8000",
              jobRole: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
            },
          ],
        },
      ],
      provenance: "synthetic",
    };
  });
  writeFileSync(join(dir, "people.json"), JSON.stringify(staff));
  const scenario = join(dir, "big.yaml");
  writeFileSync(scenario, "name: big\nextends: int\nseed:\n  people: [./people.json]\n");
  return scenario;
}
