/**
 * The shipped seed data: every file parses with the scenario schemas, and the cross-file
 * invariants a broken data set would violate hold (test-data.md §6, sds-ldap.md §4 and §6).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  isReplyInteraction,
  interactions,
  lookupInteraction,
  lookupServiceInteraction,
  parseSvcIA,
  svcIA,
} from "../../src/core/interactions/catalogue.js";
import { isValidNhsNumber } from "../../src/core/nhs-number.js";
import { seedFileSchemas, type PatientSeed, type SystemSeed } from "../../src/core/scenarios/seed-schema.js";

const seedDir = fileURLToPath(new URL("../../seed-data/", import.meta.url));
const read = (name: string): string => readFileSync(join(seedDir, name), "utf8");
const readJson = (name: string): unknown => JSON.parse(read(name));

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text.charAt(i + 1) === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const PATIENT_HEADER =
  "nhsNumber,title,givenName,familyName,gender,birthDate,addressLines,postcode,gpOdsCode,provenance";

/** patients.csv as the rows the patient schema expects: `|` splits address lines, empty = absent. */
function patientRows(text: string): unknown[] {
  const [header, ...rows] = parseCsv(text);
  expect(header?.join(",")).toBe(PATIENT_HEADER);
  const columns = header ?? [];
  return rows.map((cells) => {
    expect(cells).toHaveLength(columns.length);
    const row: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = cells[i] ?? "";
      if (column === "addressLines") row[column] = value.split("|");
      else if (value !== "") row[column] = value;
    });
    return row;
  });
}

const organisations = seedFileSchemas.organisations.parse(readJson("organisations.json"));
const systems = seedFileSchemas.systems.parse(readJson("systems.json"));
const people = seedFileSchemas.people.parse(readJson("people.json"));
const patients: PatientSeed[] = seedFileSchemas.patients.parse(patientRows(read("patients.csv")));

const orgByCode = new Map(organisations.map((o) => [o.odsCode, o]));
const gpPractices = organisations.filter((o) => o.objectClass === "nhsGPPractice");
const suppliers = systems.filter((s) => !s.spine);
/** Systems of care organisations (practices, pharmacy, trust), as opposed to national services. */
const CARE_KINDS = new Set(["GP PRACTICE", "PHARMACY", "NHS TRUST"]);
const careSystems = suppliers.filter((s) => CARE_KINDS.has(orgByCode.get(s.odsCode)?.orgType ?? ""));

const SPINE_PATHS = {
  sync: "/sync-service",
  reliable: "/reliablemessaging/reliablerequest",
  unreliable: "/reliablemessaging/queryrequest",
  intermediary: "/reliablemessaging/intermediary",
} as const;

/** PDS FHIR sandbox numbers (test-data.md §1.2), the only public numbers the patients may use. */
const PDS_SANDBOX_NUMBERS = [
  "9000000009",
  "9000000017",
  "9000000025",
  "9000000033",
  "9693632109",
  "9733162043",
  "9736363015",
  "9736363023",
  "9736363066",
  "9736363074",
  "9732110317",
  "5900046192",
  "5900056597",
  "5900057208",
  "5900059073",
  "5900059332",
];

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe("organisations.json", () => {
  it("has unique ODS codes", () => {
    expect(duplicates(organisations.map((o) => o.odsCode))).toEqual([]);
  });

  it("has the public test codes Spine, e-RS, X26 and the two OpenTest practices need", () => {
    for (const code of ["YES", "YEO", "YEU", "YEF", "X26", "A20047", "B82617"]) {
      expect(orgByCode.get(code)?.provenance, code).toBe("public-test-value");
    }
    for (const code of ["A20047", "B82617"]) {
      expect(orgByCode.get(code)).toMatchObject({ objectClass: "nhsGPPractice", orgType: "GP PRACTICE" });
    }
  });

  it("invents codes only as Z99 + three digits, and names the source of every public one", () => {
    for (const org of organisations) {
      if (org.provenance === "synthetic") expect(org.odsCode).toMatch(/^Z99\d{3}$/);
      else expect(org.source, org.odsCode).toBeTruthy();
    }
  });

  it("gives GP practices, and only them, the nhsGPPractice object class", () => {
    for (const org of organisations) {
      expect(org.objectClass === "nhsGPPractice", org.odsCode).toBe(org.orgType === "GP PRACTICE");
    }
  });
});

describe("systems.json", () => {
  it("has supplier systems at two GP practices, a pharmacy and an NHS trust", () => {
    const kinds = careSystems.map((s) => orgByCode.get(s.odsCode)?.orgType);
    expect(kinds.filter((k) => k === "GP PRACTICE").length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain("PHARMACY");
    expect(kinds).toContain("NHS TRUST");
  });

  it("names only organisations that exist", () => {
    for (const s of systems) {
      expect(orgByCode.has(s.odsCode), s.asid).toBe(true);
      for (const client of s.clients ?? [])
        expect(orgByCode.has(client), `${s.asid} client ${client}`).toBe(true);
      if (s.manufacturerOrg !== undefined) expect(orgByCode.has(s.manufacturerOrg), s.asid).toBe(true);
    }
  });

  it("has unique ASIDs", () => {
    expect(duplicates(systems.map((s) => s.asid))).toEqual([]);
  });

  it("has party keys that start with the system's own ODS code", () => {
    for (const s of systems) expect(s.partyKey.startsWith(`${s.odsCode}-`), s.partyKey).toBe(true);
    expect(duplicates(systems.map((s) => s.partyKey))).toEqual([]);
  });

  it("follows the OpenTest and T4 conventions for supplier ASIDs, party keys and CPA ids", () => {
    for (const s of careSystems) {
      // Party key suffix = last seven digits of the ASID (OpenTest records; test-data.md T4).
      expect(s.partyKey, s.asid).toBe(`${s.odsCode}-${s.asid.slice(-7)}`);
      if (s.provenance === "synthetic") expect(s.asid).toMatch(/^99990000000\d$/);
    }
    for (const s of suppliers) {
      for (const r of s.receives)
        expect(r.cpaId, `${s.asid} ${r.interaction}`).toMatch(new RegExp(`^S${s.asid}\\d{2}$`));
    }
  });

  it("gives every MHS entry an explicit CPA id, unique across all systems", () => {
    const cpaIds = systems.flatMap((s) => s.receives.map((r) => r.cpaId));
    expect(cpaIds.every((id) => id !== undefined && /^S[0-9A-Z]+$/.test(id))).toBe(true);
    expect(duplicates(cpaIds.filter((id) => id !== undefined))).toEqual([]);
  });

  it("lists each service-interaction at most once per system (one nhsMhs entry per svcIA)", () => {
    for (const s of systems) {
      expect(
        duplicates(s.receives.map((r) => svcIA({ service: r.service, id: r.interaction }))),
        s.asid,
      ).toEqual([]);
      expect(duplicates(s.sends), s.asid).toEqual([]);
    }
  });

  it("marks exactly one quick-start system: the first GP practice's, on the developer's machine", () => {
    const quick = systems.filter((s) => s.quickStart);
    expect(quick).toHaveLength(1);
    expect(quick[0]).toMatchObject({
      odsCode: gpPractices[0]?.odsCode,
      endpoint: "https://localhost:9443/reliablemessaging/inbound",
    });
  });

  it("points every other non-Spine endpoint at a .spine-sim.test host, never at a real NHS host", () => {
    for (const s of suppliers.filter((x) => !x.quickStart)) {
      const host = new URL(s.endpoint ?? "").hostname;
      expect(host, s.asid).toMatch(/\.spine-sim\.test$/);
      if (careSystems.includes(s)) expect(host, s.asid).toMatch(/\.supplier\.spine-sim\.test$/);
    }
  });

  it("uses only interactions the catalogue knows, under a service it knows them by", () => {
    for (const s of systems) {
      for (const value of s.sends) {
        const parsed = parseSvcIA(value);
        expect(
          parsed && lookupServiceInteraction(parsed.service, parsed.interaction),
          `${s.asid} sends ${value}`,
        ).toBeDefined();
      }
      for (const r of s.receives) {
        const known = lookupServiceInteraction(r.service, r.interaction);
        expect(known, `${s.asid} receives ${r.service}:${r.interaction}`).toBeDefined();
        if (r.pattern !== undefined) expect(r.pattern, `${s.asid} ${r.interaction}`).toBe(known?.pattern);
      }
    }
  });

  it("states the pattern wherever a reply travels differently from its catalogue entry", () => {
    // The loader may read the pattern from lookupInteraction(id); a psis or mm acknowledgement
    // must then not inherit the gp2gp entry's intermediary pattern.
    for (const s of systems) {
      for (const r of s.receives) {
        const own = lookupInteraction(r.interaction);
        const here = lookupServiceInteraction(r.service, r.interaction);
        if (own && here && own.pattern !== here.pattern)
          expect(r.pattern, `${s.asid} ${r.interaction}`).toBe(here.pattern);
      }
    }
  });

  it("lets every supplier receive the asynchronous reply to each request it sends", () => {
    for (const s of suppliers) {
      const received = new Set(s.receives.map((r) => svcIA({ service: r.service, id: r.interaction })));
      for (const value of s.sends) {
        const parsed = parseSvcIA(value);
        const info = parsed && lookupServiceInteraction(parsed.service, parsed.interaction);
        if (info?.reply === undefined || info.pattern === "sync") continue;
        expect(received.has(`${info.service}:${info.reply}`), `${s.asid} sends ${value}`).toBe(true);
      }
    }
  });
});

describe("Spine's own system (YES)", () => {
  const spine = systems.filter((s) => s.spine);
  const yes = spine[0] as SystemSeed;
  const entry = (interaction: string) => yes.receives.find((r) => r.interaction === interaction);

  it("is the only Spine system and carries the public identifiers", () => {
    expect(spine).toHaveLength(1);
    expect(yes).toMatchObject({ odsCode: "YES", partyKey: "YES-0000806", asid: "928942012545" });
  });

  it("has the public CPA ids on the public entries", () => {
    expect(entry("QUPA_IN040000UK32")?.cpaId).toBe("S20001A000168");
    expect(entry("REPC_IN150016UK05")?.cpaId).toBe("S20001A000182");
    expect(entry("QUPC_IN160101UK05")?.cpaId).toBe("S20003A000304");
    expect(entry("ReliableIntermediary")).toMatchObject({
      service: "urn:nhs:names:services:tms",
      cpaId: "S20001A000192",
      endpoint: "/reliablemessaging/intermediary",
      pattern: "intermediary",
    });
    expect(entry("ExpressIntermediary")).toMatchObject({
      service: "urn:nhs:names:services:tms",
      cpaId: "S20001A000190",
      endpoint: "/reliablemessaging/intermediary",
      pattern: "intermediary",
    });
  });

  it("gives its intermediary entries the Spine contract: no acks, no duplicate elimination", () => {
    for (const id of ["ReliableIntermediary", "ExpressIntermediary"]) {
      expect(entry(id)?.contract).toMatchObject({ ackRequested: "never", duplicateElimination: "never" });
    }
  });

  it("receives every request suppliers send to Spine, each on the path of its pattern", () => {
    const requests = [...interactions.values()].filter(
      (i) => i.pattern !== "intermediary" && !isReplyInteraction(i.id),
    );
    for (const info of requests) {
      const r = yes.receives.find((x) => x.service === info.service && x.interaction === info.id);
      expect(r?.endpoint, info.id).toBe(SPINE_PATHS[info.pattern]);
    }
    for (const r of yes.receives) {
      const pattern = r.pattern ?? lookupInteraction(r.interaction)?.pattern;
      expect(pattern && r.endpoint, r.interaction).toBe(pattern && SPINE_PATHS[pattern]);
    }
  });

  it("receives whatever any supplier sends, except what goes through the intermediary", () => {
    const received = new Set(yes.receives.map((r) => svcIA({ service: r.service, id: r.interaction })));
    for (const s of suppliers) {
      for (const value of s.sends) {
        const parsed = parseSvcIA(value);
        if (
          parsed &&
          lookupServiceInteraction(parsed.service, parsed.interaction)?.pattern === "intermediary"
        )
          continue;
        expect(received.has(value), `${s.asid} sends ${value}`).toBe(true);
      }
    }
  });
});

describe("people.json", () => {
  const orgPeople = people.flatMap((p) => p.orgs);
  const roles = orgPeople.flatMap((o) => o.roles);

  it("has at least 50 synthetic people", () => {
    expect(people.length).toBeGreaterThanOrEqual(50);
    expect(people.every((p) => p.provenance === "synthetic")).toBe(true);
  });

  it("uses the simulator's own id ranges (T2), each id once", () => {
    for (const p of people) expect(p.uid).toMatch(/^999000\d{6}$/);
    for (const o of orgPeople) expect(o.orgPersonId).toMatch(/^99910\d{7}$/);
    for (const r of roles) expect(r.roleProfileId).toMatch(/^99920\d{7}$/);
    expect(duplicates(people.map((p) => p.uid))).toEqual([]);
    expect(duplicates(orgPeople.map((o) => o.orgPersonId))).toEqual([]);
    expect(duplicates(roles.map((r) => r.roleProfileId))).toEqual([]);
  });

  it("places everyone at organisations that exist: GP practices, the pharmacy and the trust", () => {
    const homes = new Set(orgPeople.map((o) => o.odsCode));
    for (const code of homes) expect(orgByCode.has(code), code).toBe(true);
    const kinds = new Set([...homes].map((code) => orgByCode.get(code)?.orgType));
    expect(kinds).toEqual(new Set(["GP PRACTICE", "PHARMACY", "NHS TRUST"]));
  });

  it("uses national RBAC job roles with their code in the job role text's role name", () => {
    const names: Record<string, string> = {
      R8000: "Clinical Practitioner Access Role",
      R8001: "Nurse Access Role",
      R8003: "Health Professional Access Role",
      R8004: "Healthcare Student Access Role",
      R8006: "Medical Secretary Access Role",
    };
    for (const r of roles) {
      const code = r.jobRoleCode.slice(-5);
      expect(names[code], r.jobRoleCode).toBeDefined();
      expect(r.jobRole).toMatch(/^"[^"]+":"[^"]+":"[^"]+"$/);
      expect(r.jobRole.endsWith(`:"${names[code] ?? ""}"`), r.jobRole).toBe(true);
      expect(r.businessFunctionCodes.length).toBeGreaterThan(0);
    }
  });

  it("includes people with two role profiles, people at two organisations and one or two inactive people", () => {
    expect(orgPeople.some((o) => o.roles.length === 2)).toBe(true);
    expect(people.some((p) => p.orgs.length === 2)).toBe(true);
    const inactive = people.filter((p) => p.status === "0").length;
    expect(inactive).toBeGreaterThanOrEqual(1);
    expect(inactive).toBeLessThanOrEqual(2);
  });

  it("gives everyone a unique virtual smartcard with a 4–8 digit passcode", () => {
    for (const p of people) expect(p.smartcard.passcode).toMatch(/^\d{4,8}$/);
    expect(duplicates(people.map((p) => p.smartcard.cardId))).toEqual([]);
  });
});

describe("patients.csv", () => {
  it("has at least 200 patients", () => {
    expect(patients.length).toBeGreaterThanOrEqual(200);
  });

  it("has valid, unique NHS numbers: the test range, or the public sandbox numbers marked as such", () => {
    for (const p of patients) {
      expect(isValidNhsNumber(p.nhsNumber), p.nhsNumber).toBe(true);
      if (p.provenance === "synthetic") expect(p.nhsNumber.startsWith("999"), p.nhsNumber).toBe(true);
      else expect(PDS_SANDBOX_NUMBERS, p.nhsNumber).toContain(p.nhsNumber);
    }
    expect(duplicates(patients.map((p) => p.nhsNumber))).toEqual([]);
    expect(
      patients
        .filter((p) => p.provenance === "public-test-value")
        .map((p) => p.nhsNumber)
        .sort(),
    ).toEqual([...PDS_SANDBOX_NUMBERS].sort());
  });

  it("registers every patient at a GP practice in organisations.json", () => {
    const codes = new Set(gpPractices.map((o) => o.odsCode));
    for (const p of patients) expect(codes.has(p.gpOdsCode), p.gpOdsCode).toBe(true);
  });

  it("has real calendar birth dates from 1930 to 2024", () => {
    for (const p of patients) {
      expect(new Date(`${p.birthDate}T00:00:00Z`).toISOString().slice(0, 10), p.nhsNumber).toBe(p.birthDate);
      expect(p.birthDate >= "1930-01-01" && p.birthDate <= "2024-12-31", p.birthDate).toBe(true);
    }
  });

  it("has UK-format postcodes and a mix of genders", () => {
    for (const p of patients) expect(p.postcode).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/);
    const genders = new Set(patients.map((p) => p.gender));
    expect(genders.has("male") && genders.has("female")).toBe(true);
  });

  it("quotes fields that contain commas, as RFC 4180 asks", () => {
    const withComma = patients.filter((p) => p.addressLines.some((line) => line.includes(",")));
    expect(withComma.length).toBeGreaterThan(0);
    for (const p of withComma) expect(read("patients.csv")).toContain(`,"${p.addressLines.join("|")}",`);
  });
});

describe("generate.mjs", () => {
  it("regenerates byte-identical files from the recorded seed", () => {
    const out = mkdtempSync(join(tmpdir(), "spine-sim-seed-"));
    onTestFinished(() => {
      rmSync(out, { recursive: true, force: true });
    });
    const log = execFileSync(process.execPath, [join(seedDir, "generate.mjs"), "--out", out], {
      encoding: "utf8",
    });
    const written = readdirSync(out).sort();
    expect(written).toEqual(["generation.json", "patients.csv", "people.json"]);
    for (const name of written) {
      expect(log).toContain(name);
      expect(readFileSync(join(out, name), "utf8"), name).toBe(read(name));
    }
  });

  it("records the seed and the digest of each generated file", () => {
    const manifest = readJson("generation.json") as {
      seed: number;
      files: { name: string; records: number }[];
    };
    expect(Number.isInteger(manifest.seed)).toBe(true);
    expect(manifest.files.map((f) => [f.name, f.records])).toEqual([
      ["people.json", people.length],
      ["patients.csv", patients.length],
    ]);
  });
});
