import { describe, expect, it } from "vitest";
import type { SeedData } from "../scenarios/load-scenario.js";
import type { PersonSeed, SystemSeed } from "../scenarios/seed-schema.js";
import { buildDirectoryEntries, resolveSpineEndpoints } from "./build-entries.js";
import { buildDirectoryIndex, type DirectoryIndex } from "./directory-index.js";
import { compareDirectory, searchDirectory, type DirectorySearch, type SearchOutcome } from "./search.js";

const spine: SystemSeed = {
  asid: "928942012545",
  odsCode: "YES",
  partyKey: "YES-0000806",
  productName: "Spine",
  productKey: "999",
  spine: true,
  quickStart: false,
  sends: [],
  receives: [
    {
      service: "urn:nhs:names:services:pdsquery",
      interaction: "QUPA_IN040000UK32",
      endpoint: "/sync-service",
    },
    {
      service: "urn:nhs:names:services:psis",
      interaction: "REPC_IN150016UK05",
      cpaId: "S20001A000182",
      endpoint: "/reliablemessaging/reliablerequest",
    },
  ],
  provenance: "public-test-value",
};

const supplier: SystemSeed = {
  asid: "918999198993",
  odsCode: "A20047",
  partyKey: "A20047-9198993",
  productName: "Test GP System",
  productKey: "7374",
  manufacturerOrg: "X26",
  spine: false,
  quickStart: true,
  endpoint: "https://supplier.example.invalid/reliablemessaging/inbound",
  sends: ["urn:nhs:names:services:pdsquery:QUPA_IN040000UK32"],
  receives: [{ service: "urn:nhs:names:services:gp2gp", interaction: "COPC_IN000001UK01" }],
  provenance: "synthetic",
};

function person(n: number): PersonSeed {
  const id = (prefix: string): string => `${prefix}${String(n).padStart(9, "0")}`;
  return {
    uid: id("999"),
    givenName: `Given${n}`,
    familyName: n === 0 ? "Smith" : `Family${n}`,
    status: "1",
    smartcard: { cardId: "00000000-0000-4000-8000-000000000000", passcode: "1234" },
    orgs: [
      {
        orgPersonId: id("998"),
        odsCode: "A20047",
        roles: [
          {
            roleProfileId: id("997"),
            jobRoleCode: "S8000:G8000:R8000",
            jobRole: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
            businessFunctionCodes: ["B0264"],
            areaOfWorkCodes: [],
          },
        ],
      },
    ],
    provenance: "synthetic",
  };
}

function fixture(people = 3): DirectoryIndex {
  const seed: SeedData = {
    organisations: [
      {
        odsCode: "A20047",
        name: "SECURITY TEST PRACTICE",
        orgType: "GP PRACTICE",
        orgTypeCode: "PR",
        objectClass: "nhsGPPractice",
        postalAddress: ["1 HIGH STREET", "LONDON"],
        postalCode: "E14 5EA",
        locality: "LONDON",
        provenance: "synthetic",
      },
    ],
    systems: [spine, supplier],
    people: Array.from({ length: people }, (_, n) => person(n)),
    patients: [],
    ldif: [],
    addresses: [],
  };
  return buildDirectoryIndex(resolveSpineEndpoints(buildDirectoryEntries(seed), "https://localhost:8443"));
}

const services = "ou=services,o=nhs";
const search = (
  index: DirectoryIndex,
  request: Partial<DirectorySearch> & Pick<DirectorySearch, "filter">,
): SearchOutcome => searchDirectory(index, { base: services, scope: "sub", ...request });
const dns = (outcome: SearchOutcome): string[] => outcome.entries.map((e) => e.dn);
const attrs = (outcome: SearchOutcome, i = 0): Record<string, readonly string[]> =>
  Object.fromEntries((outcome.entries[i]?.attributes ?? []).map((a) => [a.name, a.values]));

describe("SDS route look-ups", () => {
  const index = fixture();

  it("finds the party key and ASID of an accredited system by ODS code and svc-IA (F1)", () => {
    const result = search(index, {
      filter:
        "(&(nhsIDCode=A20047) (objectClass=nhsAs) (nhsAsSvcIA=urn:nhs:names:services:pdsquery:QUPA_IN040000UK32))",
      attributes: ["nhsMHSPartyKey", "uniqueIdentifier"],
    });
    expect(result.status).toBe("success");
    expect(result.entries).toEqual([
      {
        dn: "uniqueIdentifier=918999198993,ou=Services,o=nhs",
        attributes: [
          { name: "uniqueIdentifier", values: ["918999198993"] },
          { name: "nhsMHSPartyKey", values: ["A20047-9198993"] },
        ],
      },
    ]);
  });

  it("finds the MHS endpoint and contract by party key and svc-IA (F2)", () => {
    const result = search(index, {
      filter:
        "(&(objectClass=nhsMhs)(nhsMHSPartyKey=YES-0000806)(nhsMhsSvcIA=urn:nhs:names:services:psis:REPC_IN150016UK05))",
      attributes: ["nhsMhsCPAId", "nhsMHSEndPoint", "nhsMHSRetries", "nhsMHSSyncReplyMode", "nhsMhsFQDN"],
    });
    expect(dns(result)).toEqual(["uniqueIdentifier=S20001A000182,ou=Services,o=nhs"]);
    expect(attrs(result)).toEqual({
      nhsMhsCPAId: ["S20001A000182"],
      nhsMHSEndPoint: ["https://localhost:8443/reliablemessaging/reliablerequest"],
      nhsMhsFQDN: ["localhost"],
      nhsMHSSyncReplyMode: ["MSHSignalsOnly"],
      nhsMHSRetries: ["2"],
    });
  });

  it("returns canonical attribute names whatever case the request used", () => {
    for (const asked of [
      "nhsMHSPartyKey",
      "nhsmhspartykey",
      "NHSMHSPARTYKEY",
      "nhsMhsPartyKey",
      "1.2.826.0.1285.0.2.1.82",
    ]) {
      const result = search(index, { filter: "(uniqueIdentifier=918999198993)", attributes: [asked] });
      expect(
        result.entries[0]?.attributes.map((a) => a.name),
        asked,
      ).toEqual(["nhsMHSPartyKey"]);
    }
  });

  it("matches attribute names in filters case-insensitively (nhsIDcode, objectclass, nhsASSvcIA)", () => {
    const result = search(index, {
      filter:
        "(&(nhsIDcode=A20047)(objectclass=NHSAS)(nhsASSvcIA=urn:nhs:names:services:pdsquery:QUPA_IN040000UK32))",
    });
    expect(dns(result)).toEqual(["uniqueIdentifier=918999198993,ou=Services,o=nhs"]);
  });

  it("matches nhsIDCode case-exactly and the party key case-insensitively", () => {
    expect(dns(search(index, { filter: "(&(objectClass=nhsAs)(nhsIDCode=a20047))" }))).toEqual([]);
    expect(dns(search(index, { filter: "(&(objectClass=nhsAs)(nhsMHSPartyKey=a20047-9198993))" }))).toEqual([
      "uniqueIdentifier=918999198993,ou=Services,o=nhs",
    ]);
  });

  it("never matches substrings of NHS attributes, which have no SUBSTR rule, even under NOT", () => {
    expect(dns(search(index, { filter: "(nhsMhsSvcIA=*gp2gp*)" }))).toEqual([]);
    expect(dns(search(index, { filter: "(!(nhsMhsSvcIA=*gp2gp*))" }))).toEqual([]);
  });

  it("treats equality on an attribute without an EQUALITY rule as Undefined", () => {
    expect(dns(search(index, { filter: "(nhsMHSSyncReplyMode=MSHSignalsOnly)" }))).toEqual([]);
    expect(search(index, { filter: "(nhsMHSSyncReplyMode=*)" }).entries.length).toBeGreaterThan(0);
  });

  it("matches nothing for an unknown attribute, as OpenLDAP does for (objectlass=nhsMhs)", () => {
    expect(dns(search(index, { filter: "(objectlass=nhsMhs)" }))).toEqual([]);
    expect(dns(search(index, { filter: "(|(objectlass=nhsMhs)(uniqueIdentifier=918999198993))" }))).toEqual([
      "uniqueIdentifier=918999198993,ou=Services,o=nhs",
    ]);
  });

  it("matches substrings on standard attributes that have a SUBSTR rule (F15)", () => {
    const organisations = { base: "ou=Organisations,o=nhs" };
    expect(dns(search(index, { ...organisations, filter: "(o=*security*)" }))).toEqual([
      "uniqueIdentifier=A20047,ou=Organisations,o=nhs",
    ]);
    expect(dns(search(index, { ...organisations, filter: "(postalCode=*E14*)" }))).toHaveLength(1);
    expect(
      dns(search(index, { ...organisations, filter: "(&(objectClass=*)(postalCode=e14  5ea))" })),
    ).toHaveLength(1);
  });

  it("treats a DN in any case and spacing as the same base", () => {
    for (const base of ["ou=services, o=nhs", "OU=SERVICES,O=NHS", "ou=Services,o=nhs"]) {
      expect(search(index, { base, filter: "(uniqueIdentifier=918999198993)" }).entries).toHaveLength(1);
    }
  });
});

describe("scopes, limits and paging", () => {
  it("applies base, one-level and subtree scope", () => {
    const index = fixture();
    const people = "ou=People,o=nhs";
    expect(dns(searchDirectory(index, { base: people, scope: "base", filter: "(objectClass=*)" }))).toEqual([
      "ou=People,o=nhs",
    ]);
    expect(
      searchDirectory(index, { base: people, scope: "one", filter: "(objectClass=*)" }).entries,
    ).toHaveLength(3);
    expect(
      searchDirectory(index, { base: people, scope: "sub", filter: "(objectClass=*)" }).entries,
    ).toHaveLength(10);
    const subtree = searchDirectory(index, {
      base: "uid=999000000000,ou=people,o=nhs",
      scope: "sub",
      filter: "(objectclass=*)",
    });
    expect(dns(subtree)).toEqual([
      "uid=999000000000,ou=People,o=nhs",
      "uniqueIdentifier=998000000000,uid=999000000000,ou=People,o=nhs",
      "uniqueIdentifier=997000000000,uniqueIdentifier=998000000000,uid=999000000000,ou=People,o=nhs",
    ]);
  });

  it("stops at 500 entries with sizeLimitExceeded when the search is not paged", () => {
    const index = fixture(200);
    const result = searchDirectory(index, { base: "o=nhs", scope: "sub", filter: "(objectClass=*)" });
    expect(result.status).toBe("sizeLimitExceeded");
    expect(result.entries).toHaveLength(500);
  });

  it("honours a smaller client size limit", () => {
    const index = fixture(5);
    const result = searchDirectory(index, {
      base: "o=nhs",
      scope: "sub",
      filter: "(objectClass=*)",
      sizeLimit: 7,
    });
    expect(result.status).toBe("sizeLimitExceeded");
    expect(result.entries).toHaveLength(7);
  });

  it("pages through more than 500 entries, returning each exactly once", () => {
    const index = fixture(200);
    const total = index.entries.length;
    expect(total).toBeGreaterThan(600);
    const seen: string[] = [];
    let cookie = "";
    let pages = 0;
    do {
      const result = searchDirectory(index, {
        base: "o=nhs",
        scope: "sub",
        filter: "(objectClass=*)",
        attributes: ["1.1"],
        paged: { size: 97, cookie },
      });
      expect(result.status).toBe("success");
      expect(result.paged?.size).toBe(total);
      seen.push(...dns(result));
      cookie = result.paged?.cookie ?? "";
      pages++;
    } while (cookie !== "" && pages < 100);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 97));
  });

  it("refuses a cookie from another search and a cookie it did not make", () => {
    const index = fixture(50);
    const first = searchDirectory(index, {
      base: "o=nhs",
      scope: "sub",
      filter: "(objectClass=*)",
      paged: { size: 10, cookie: "" },
    });
    const cookie = first.paged?.cookie ?? "";
    expect(cookie).not.toBe("");
    const other = searchDirectory(index, {
      base: "o=nhs",
      scope: "one",
      filter: "(objectClass=*)",
      paged: { size: 10, cookie },
    });
    expect(other.status).toBe("unwillingToPerform");
    const forged = searchDirectory(index, {
      base: "o=nhs",
      scope: "sub",
      filter: "(objectClass=*)",
      paged: { size: 10, cookie: "xyz" },
    });
    expect(forged.status).toBe("protocolError");
  });

  it("answers an unknown base with noSuchObject and the deepest existing entry as matchedDN", () => {
    const index = fixture();
    const result = searchDirectory(index, {
      base: "uniqueIdentifier=nope,ou=Services,o=nhs",
      scope: "sub",
      filter: "(objectClass=*)",
    });
    expect(result).toMatchObject({ status: "noSuchObject", matchedDn: "ou=Services,o=nhs" });
    expect(
      searchDirectory(index, { base: "o=elsewhere", scope: "base", filter: "(objectClass=*)" }).matchedDn,
    ).toBe("");
  });
});

describe("root DSE, subschema and compare", () => {
  const index = fixture();

  it("serves the root DSE with operational attributes only on request", () => {
    const plain = searchDirectory(index, { base: "", scope: "base", filter: "(objectClass=*)" });
    expect(attrs(plain)).toEqual({ objectClass: ["top", "OpenLDAProotDSE"] });
    const all = searchDirectory(index, {
      base: "",
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["*", "+"],
    });
    expect(attrs(all)).toMatchObject({
      namingContexts: ["o=nhs"],
      subschemaSubentry: ["cn=Subschema"],
      supportedLDAPVersion: ["3"],
    });
    expect(attrs(all).supportedControl).toContain("1.2.840.113556.1.4.319");
    expect(attrs(all).supportedExtension).not.toContain("1.3.6.1.4.1.1466.20037");
  });

  it("publishes attribute types with their matching rules at cn=Subschema", () => {
    const result = searchDirectory(index, {
      base: "cn=subschema",
      scope: "base",
      filter: "(objectClass=subschema)",
      attributes: ["attributeTypes", "objectClasses"],
    });
    const types = attrs(result).attributeTypes ?? [];
    expect(types.find((t) => t.includes("'nhsMHSPartyKey'"))).toContain("EQUALITY caseIgnoreMatch");
    expect(types.find((t) => t.includes("'nhsIDCode'"))).toContain("EQUALITY caseExactMatch");
    expect(types.some((t) => t.includes("'nhsTempUid'"))).toBe(true);
    expect(attrs(result).objectClasses?.some((c) => c.includes("NAME 'nhsMhs'"))).toBe(true);
  });

  it("compares with the attribute's equality rule", () => {
    const dn = "uniqueIdentifier=918999198993,ou=services,o=nhs";
    expect(compareDirectory(index, { dn, attribute: "nhsmhspartykey", value: "a20047-9198993" }).status).toBe(
      "compareTrue",
    );
    expect(compareDirectory(index, { dn, attribute: "nhsIDCode", value: "a20047" }).status).toBe(
      "compareFalse",
    );
    expect(compareDirectory(index, { dn, attribute: "objectClass", value: "NHSAS" }).status).toBe(
      "compareTrue",
    );
    expect(compareDirectory(index, { dn, attribute: "nhsProductKey", value: "7374" }).status).toBe(
      "inappropriateMatching",
    );
    expect(compareDirectory(index, { dn, attribute: "noSuchThing", value: "x" }).status).toBe(
      "undefinedAttributeType",
    );
  });
});
