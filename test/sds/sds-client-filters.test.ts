/**
 * Every search real SDS clients send (reference sds-ldap.md §7, F1–F15), over a real socket with
 * ldapts, against the shipped int scenario. Expected values come from seed-data/ (the quick-start
 * GP practice A20047, Spine's own YES entries, the staff member 999000000003).
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { asSent, attributeNames, ldapClient, searchEntries } from "./sds-clients.js";

const services = "ou=services,o=nhs";
const practice = { ods: "A20047", asid: "918999198993", partyKey: "A20047-9198993" };
const spine = { partyKey: "YES-0000806", asid: "928942012545" };
const gp2gpRequest = "urn:nhs:names:services:gp2gp:COPC_IN000001UK01";
const psisAck = "urn:nhs:names:services:psis:MCCI_IN010000UK13";
const pdsQuery = "urn:nhs:names:services:pdsquery:QUPA_IN040000UK32";
const psisUpload = "urn:nhs:names:services:psis:REPC_IN150016UK05";

async function started(): Promise<TestSimulator> {
  const sim = await startTestSimulator();
  onTestFinished(() => sim.stop());
  return sim;
}

describe("the MHS adaptor's route look-up (F1, F2)", () => {
  it("F1 returns the party key and ASID of the accredited system for an ODS code and svc-IA", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const entries = await searchEntries(client, services, {
      scope: "sub",
      filter: asSent(`(&(nhsIDCode=${practice.ods}) (objectClass=nhsAs) (nhsAsSvcIA=${psisAck}))`),
      attributes: ["nhsMHSPartyKey", "uniqueIdentifier"],
    });
    expect(entries).toEqual([
      {
        dn: `uniqueIdentifier=${practice.asid},ou=Services,o=nhs`,
        uniqueIdentifier: practice.asid,
        nhsMHSPartyKey: practice.partyKey,
      },
    ]);
  });

  it("F2 returns the endpoint and reliability contract of Spine's PSIS MHS entry, every attribute in canonical spelling", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const requested = [
      "nhsEPInteractionType",
      "nhsIDCode",
      "nhsMhsCPAId",
      "nhsMHSEndPoint",
      "nhsMhsFQDN",
      "nhsMHsIN",
      "nhsMHSIsAuthenticated",
      "nhsMHSPartyKey",
      "nhsMHsSN",
      "nhsMhsSvcIA",
      "nhsProductKey",
      "uniqueIdentifier",
      "nhsMHSAckRequested",
      "nhsMHSActor",
      "nhsMHSDuplicateElimination",
      "nhsMHSPersistDuration",
      "nhsMHSRetries",
      "nhsMHSRetryInterval",
      "nhsMHSSyncReplyMode",
    ];
    const entries = await searchEntries(client, services, {
      scope: "sub",
      filter: asSent(
        `(&(objectClass=nhsMhs) (nhsMHSPartyKey=${spine.partyKey}) (nhsMhsSvcIA=${psisUpload}))`,
      ),
      attributes: requested,
    });
    expect(entries).toHaveLength(1);
    const entry = entries[0] ?? { dn: "" };
    expect(entry).toMatchObject({
      dn: "uniqueIdentifier=S20001A000182,ou=Services,o=nhs",
      uniqueIdentifier: "S20001A000182",
      nhsMhsCPAId: "S20001A000182",
      nhsIDCode: "YES",
      nhsMHSPartyKey: spine.partyKey,
      nhsMHsSN: "urn:nhs:names:services:psis",
      nhsMHsIN: "REPC_IN150016UK05",
      nhsMhsSvcIA: psisUpload,
      nhsMHSEndPoint: `${sim.ready.publicUrl}/reliablemessaging/reliablerequest`,
      nhsMhsFQDN: new URL(sim.ready.publicUrl).hostname,
      nhsMHSSyncReplyMode: "MSHSignalsOnly",
      nhsMHSAckRequested: "always",
      nhsMHSDuplicateElimination: "always",
      nhsMHSActor: "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH",
      nhsMHSRetries: "2",
      nhsMHSRetryInterval: "PT1M",
      nhsMHSPersistDuration: "PT5M",
    });
    // Nothing but what was asked for, each name spelled as the schema spells it.
    expect(attributeNames(entry).every((name) => requested.includes(name))).toBe(true);
  });
});

describe("the SDS FHIR API backend (F3, F4, F5)", () => {
  it("F3 finds an MHS by ODS code, svc-IA and party key, and by ODS code alone", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const full = await searchEntries(client, services, {
      filter: asSent(
        `(&(nhsIDCode=YES) (objectClass=nhsMhs) (nhsMhsSvcIA=${pdsQuery}) (nhsMHSPartyKey=${spine.partyKey}))`,
      ),
      attributes: ["nhsMhsCPAId", "nhsMHSEndPoint", "nhsMHSSyncReplyMode", "nhsMhsActor"],
    });
    expect(full).toEqual([
      {
        dn: "uniqueIdentifier=S20001A000168,ou=Services,o=nhs",
        nhsMhsCPAId: "S20001A000168",
        nhsMHSEndPoint: `${sim.ready.publicUrl}/sync-service`,
        nhsMHSSyncReplyMode: "None",
      },
    ]);
    const byOds = await searchEntries(client, services, {
      filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsMhs))`,
      attributes: ["1.1"],
    });
    expect(byOds.length).toBeGreaterThanOrEqual(9);
  });

  it("F4 finds an accredited system with every optional term, and accepts nhsMhsManufacturerOrg though no system in the scenario has one", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const attributes = [
      "uniqueIdentifier",
      "nhsIdCode",
      "nhsAsClient",
      "nhsMhsPartyKey",
      "nhsAsSvcIA",
      "nhsMhsManufacturerOrg",
    ];
    const entries = await searchEntries(client, services, {
      filter: asSent(
        `(&(nhsIDCode=${practice.ods}) (objectClass=nhsAs) (nhsAsSvcIA=${gp2gpRequest}) (nhsMHSPartyKey=${practice.partyKey}))`,
      ),
      attributes,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      uniqueIdentifier: practice.asid,
      nhsIDCode: practice.ods,
      nhsMHSPartyKey: practice.partyKey,
      nhsAsClient: practice.ods,
    });
    expect(entries[0]?.nhsAsSvcIA).toContain(gp2gpRequest);
    const withManufacturer = await searchEntries(client, services, {
      filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsAs)(nhsMhsManufacturerOrg=X26))`,
      attributes,
    });
    expect(withManufacturer).toEqual([]);
  });

  it("F5 finds Spine's reliable and express intermediary entries for multi-hop substitution", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    for (const [interaction, cpaId] of [
      ["ReliableIntermediary", "S20001A000192"],
      ["ExpressIntermediary", "S20001A000190"],
    ] as const) {
      const entries = await searchEntries(client, services, {
        filter: asSent(
          `(&(nhsIDCode=YES) (objectClass=nhsMhs) (nhsMhsSvcIA=urn:nhs:names:services:tms:${interaction}))`,
        ),
        attributes: [
          "nhsMhsCPAId",
          "nhsMHSEndPoint",
          "nhsMHSAckRequested",
          "nhsMHSDuplicateElimination",
          "nhsMHSSyncReplyMode",
        ],
      });
      expect(entries, interaction).toEqual([
        {
          dn: `uniqueIdentifier=${cpaId},ou=Services,o=nhs`,
          nhsMhsCPAId: cpaId,
          nhsMHSEndPoint: `${sim.ready.publicUrl}/reliablemessaging/intermediary`,
          nhsMHSSyncReplyMode: "None",
          nhsMHSAckRequested: "never",
          nhsMHSDuplicateElimination: "never",
        },
      ]);
    }
  });
});

describe("GP Connect and other JNDI/.NET clients (F6–F12)", () => {
  it("F6/F7 look up the endpoint by ODS code and svc-IA, then the ASID by party key, with nhsAS spelled as GP Connect spells it", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const [mhs] = await searchEntries(client, "ou=services, o=nhs", {
      filter: asSent(`(&(nhsIDCode=${practice.ods}) (objectClass=nhsMhs) (nhsMhsSvcIA=${gp2gpRequest}))`),
      attributes: ["nhsMhsEndPoint", "nhsMhsPartyKey"],
    });
    expect(mhs).toEqual({
      dn: "uniqueIdentifier=S91899919899308,ou=Services,o=nhs",
      nhsMHSEndPoint: "https://localhost:9443/reliablemessaging/inbound",
      nhsMHSPartyKey: practice.partyKey,
    });
    const as = await searchEntries(client, "ou=services, o=nhs", {
      filter: asSent(
        `(&(nhsIDCode=${practice.ods}) (objectClass=nhsAS) (nhsMHSPartyKey=${practice.partyKey}))`,
      ),
      attributes: ["uniqueIdentifier"],
    });
    expect(as).toEqual([
      { dn: `uniqueIdentifier=${practice.asid},ou=Services,o=nhs`, uniqueIdentifier: practice.asid },
    ]);
    const older = await searchEntries(client, "ou=services, o=nhs", {
      filter: asSent(
        `(&(nhsMhsPartyKey=${practice.partyKey}) (objectClass=nhsMhs) (nhsMhsSvcIA=${gp2gpRequest}))`,
      ),
      attributes: ["nhsMhsEndPoint"],
    });
    expect(older.map((e) => e.nhsMHSEndPoint)).toEqual(["https://localhost:9443/reliablemessaging/inbound"]);
  });

  it("F8 reads an organisation by ODS code with the appointment checker's attribute list", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const entries = await searchEntries(client, "ou=organisations, o=nhs", {
      filter: `(uniqueidentifier=${practice.ods})`,
      attributes: ["nhsIDCode", "o", "postalAddress", "postalCode", "nhsOrgTypeCode"],
    });
    expect(entries).toEqual([
      {
        dn: `uniqueIdentifier=${practice.ods},ou=Organisations,o=nhs`,
        o: "BECKSIDE MEDICAL PRACTICE",
        nhsIDCode: practice.ods,
        nhsOrgTypeCode: "PR",
        postalAddress: expect.stringContaining("$") as unknown,
        postalCode: "LS6 3QW",
      },
    ]);
  });

  it("F9 answers the appointment checker's three searches: no GP Connect metadata endpoint in the scenario, the AS by party key, the AS by svc-IA", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
    expect(
      await searchEntries(client, "ou=services, o=nhs", {
        filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsMhs)(nhsMhsSvcIA=${metadata}))`,
        attributes: ["nhsMHSEndPoint", "nhsMHSPartyKey", "uniqueIdentifier"],
      }),
    ).toEqual([]);
    const byKey = await searchEntries(client, "ou=services, o=nhs", {
      filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsAs)(nhsMhsPartyKey=${practice.partyKey}))`,
      attributes: ["nhsMHSPartyKey", "uniqueIdentifier", "nhsProductName"],
    });
    expect(byKey).toEqual([
      {
        dn: `uniqueIdentifier=${practice.asid},ou=Services,o=nhs`,
        uniqueIdentifier: practice.asid,
        nhsMHSPartyKey: practice.partyKey,
        nhsProductName: "Spine-Sim Example GP System",
      },
    ]);
    expect(
      await searchEntries(client, "ou=services, o=nhs", {
        filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsAs)(nhsAsSvcIA=${metadata}))`,
      }),
    ).toEqual([]);
  });

  it("F10 (SpineTools) finds the MHS entries and then the AS with lower-case objectclass and nhsIDcode, from o=nhs and from ou=services", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    for (const base of ["ou=services, o=nhs", "o=nhs"]) {
      const mhs = await searchEntries(client, base, {
        filter: `(&(objectclass=nhsMHS)(nhsMHSSvcIA=${psisAck})(nhsIDcode=${practice.ods}))`,
      });
      expect(
        mhs.map((e) => e.dn),
        base,
      ).toEqual(["uniqueIdentifier=S91899919899302,ou=Services,o=nhs"]);
      // "all" attributes: every user attribute, canonical names (SpineTools lower-cases them itself)
      expect(attributeNames(mhs[0] ?? { dn: "" })).toEqual(
        expect.arrayContaining(["objectClass", "nhsMhsSvcIA", "nhsMHSPartyKey", "nhsMHSEndPoint"]),
      );
      const as = await searchEntries(client, base, {
        filter: `(&(objectclass=nhsAS)(nhsASSvcIA=${psisAck})(nhsIDcode=${practice.ods})(nhsMhsPartyKey=${practice.partyKey}))`,
      });
      expect(
        as.map((e) => e.uniqueIdentifier),
        base,
      ).toEqual([practice.asid]);
    }
  });

  it("F11 (SdsDump) lists the AS of an ODS code, then its MHS entry for a svc-IA without an objectClass term", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const as = await searchEntries(client, "o=nhs", {
      filter: `(&(nhsIDCode=${practice.ods})(objectClass=nhsAs))`,
    });
    expect(as.map((e) => e.dn)).toEqual([`uniqueIdentifier=${practice.asid},ou=Services,o=nhs`]);
    const mhs = await searchEntries(client, "o=nhs", {
      filter: `(&(nhsIDCode=${practice.ods})(nhsMhsSvcIA=${gp2gpRequest}))`,
    });
    expect(mhs.map((e) => e.nhsMhsCPAId)).toEqual(["S91899919899308"]);
  });

  it("F12 reads the interactions of an ASID, then the MHS for one of them", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const [as] = await searchEntries(client, services, {
      filter: asSent(`(&(objectClass=nhsAs) (uniqueIdentifier=${practice.asid}))`),
      attributes: ["nhsAsSvcIA"],
    });
    expect(as?.nhsAsSvcIA).toEqual(expect.arrayContaining([psisAck, gp2gpRequest, pdsQuery]));
    const byId = await searchEntries(client, services, {
      filter: `(uniqueIdentifier=${practice.asid})`,
      attributes: ["nhsMhsPartyKey"],
    });
    expect(byId).toEqual([
      { dn: `uniqueIdentifier=${practice.asid},ou=Services,o=nhs`, nhsMHSPartyKey: practice.partyKey },
    ]);
    const mhs = await searchEntries(client, services, {
      filter: `(&(nhsMhsPartyKey=${practice.partyKey})(nhsMhsSvcIA=${gp2gpRequest}))`,
    });
    expect(mhs.map((e) => e.uniqueIdentifier)).toEqual(["S91899919899308"]);
  });
});

describe("people and organisations (F13–F15)", () => {
  const person = "uid=999000000003,ou=people,o=nhs";

  it("F13 returns a person, their org-person and both role profiles in one subtree search, and the person alone in base scope", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const tree = await searchEntries(client, person, { scope: "sub", filter: "(objectclass=*)" });
    expect(tree.map((e) => e.dn)).toEqual([
      "uid=999000000003,ou=People,o=nhs",
      "uniqueIdentifier=999100000003,uid=999000000003,ou=People,o=nhs",
      "uniqueIdentifier=999200000003,uniqueIdentifier=999100000003,uid=999000000003,ou=People,o=nhs",
      "uniqueIdentifier=999200000004,uniqueIdentifier=999100000003,uid=999000000003,ou=People,o=nhs",
    ]);
    expect(tree[2]).toMatchObject({ nhsJobRoleCode: "S8000:G8000:R8000", nhsIDCode: practice.ods });
    const base = await searchEntries(client, person, {
      scope: "base",
      filter: "(objectClass=nhsPerson)",
      attributes: ["uid", "Sn", "givenName", "nhsMiddleNames", "personalTitle", "nhsPersonStatus"],
    });
    expect(base).toEqual([
      {
        dn: "uid=999000000003,ou=People,o=nhs",
        uid: "999000000003",
        sn: "Fisher",
        givenName: "Jane",
        personalTitle: "Dr",
        nhsPersonStatus: "1",
      },
    ]);
  });

  it("F14 finds an org-person by its id, and not when the filter asks for a GNC code the person lacks", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const byId = await searchEntries(client, "ou=People,o=nhs", {
      filter: "(&(objectclass=nhsOrgPerson)(uniqueIdentifier=999100000003))",
      attributes: ["o", "nhsIDCode"],
    });
    expect(byId).toEqual([
      {
        dn: "uniqueIdentifier=999100000003,uid=999000000003,ou=People,o=nhs",
        o: "BECKSIDE MEDICAL PRACTICE",
        nhsIDCode: practice.ods,
      },
    ]);
    const withGnc = await searchEntries(client, "ou=People,o=nhs", {
      filter: `(&(objectclass=nhsOrgPerson)(nhsGNC=1234)(uid=999000000003)(nhsIDCode=${practice.ods}))`,
    });
    expect(withGnc).toEqual([]);
    const withoutGnc = await searchEntries(client, "ou=People,o=nhs", {
      filter: `(&(objectclass=nhsOrgPerson)(uid=999000000003)(nhsIDCode=${practice.ods}))`,
    });
    expect(withoutGnc).toHaveLength(1);
  });

  it("F15 matches substrings of organisation names and postcodes, case-insensitively", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    const organisations = "ou=Organisations,o=nhs";
    const dns = async (filter: string): Promise<string[]> =>
      (await searchEntries(client, organisations, { filter, attributes: ["1.1"] })).map((e) => e.dn);
    expect(await dns("(o=*beckside*)")).toEqual([`uniqueIdentifier=${practice.ods},ou=Organisations,o=nhs`]);
    expect(await dns("(postalCode=*LS6*)")).toEqual([
      `uniqueIdentifier=${practice.ods},ou=Organisations,o=nhs`,
    ]);
    expect(await dns("(&(objectClass=*)(postalCode=ls6 3qw))")).toEqual([
      `uniqueIdentifier=${practice.ods},ou=Organisations,o=nhs`,
    ]);
    expect(await dns("(|(ou=*BECKSIDE*)(o=*BECKSIDE*))")).toHaveLength(1);
  });
});
