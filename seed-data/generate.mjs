#!/usr/bin/env node
/**
 * Generates spine-sim's synthetic seed data from a seed:
 *
 *   people.json      SDS staff (person → org-person → role profile) with virtual smartcards
 *   patients.csv     PDS patients: test-range NHS numbers plus the public sandbox numbers
 *   generation.json  the seed and a SHA-256 of each generated file
 *
 * Everything is invented from generic word lists (test-data.md §6, T1/T2/T7): no real person's
 * data. The same seed always gives byte-identical files. Organisations come from the hand-written
 * organisations.json next to this script.
 *
 * Usage: node seed-data/generate.mjs [--out DIR] [--seed N]
 * Plain Node (>= 20), no dependencies.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRandom } from "./random.mjs";

const DEFAULT_SEED = 20250101;
const HERE = dirname(fileURLToPath(import.meta.url));
/** Ages and titles are computed against this fixed date, never the clock, so output is stable. */
const REFERENCE_DATE = Date.UTC(2025, 0, 1);
const SYNTHETIC_PATIENTS = 300;

// ---------------------------------------------------------------------------------------------
// Word lists: generic names, no real person.

const words = (text, separator = " ") => text.split(separator);

const GIVEN_FEMALE = words(
  "Alice Amelia Anna Beth Chloe Claire Daisy Eleanor Ella Emily Emma Evie Freya Grace Hannah Helen " +
    "Isla Jane Jessica Joanne Julie Karen Katie Laura Lily Lucy Margaret Mary Megan Mia Nicola Olivia " +
    "Phoebe Rachel Rose Ruby Sarah Sophie Susan Zara",
);
const GIVEN_MALE = words(
  "Adam Alfie Andrew Arthur Ben Charles Daniel David Edward Ethan Finley George Harry Henry Isaac " +
    "Jack James John Joseph Leo Liam Lewis Mark Matthew Michael Noah Oliver Oscar Paul Peter Richard " +
    "Robert Ryan Samuel Simon Stephen Theo Thomas William Zach",
);
const GIVEN_ANY = words("Alex Charlie Jamie Jordan Morgan Robin Sam Taylor");
const FAMILY = words(
  "Allen Atkinson Bailey Baker Barker Bell Bennett Brown Butler Carter Clarke Cooper Cox Davies " +
    "Dawson Dixon Edwards Evans Fisher Fletcher Foster Gibson Graham Green Hall Harris Harrison Hill " +
    "Holmes Hughes Hunt Jackson James Johnson Jones Kaur Kelly Khan King Lee Lewis Marshall Martin " +
    "Mason Mills Mitchell Moore Morgan Morris Murphy Nelson O'Neill Owen Palmer Parker Patel Pearson " +
    "Phillips Price Reed Richards Roberts Robinson Rogers Russell Scott Shaw Simpson Singh Smith " +
    "Stevens Taylor Thomas Thompson Turner Walker Ward Watson White Wilkinson Williams Wilson Wood " +
    "Wright Young",
);
const STREET_NAMES = words(
  "Acorn Ash Beech Bridge Brook Castle Cedar Chapel Church Cliff Elm Field Garden Grange Hawthorn " +
    "Hazel High Hill Holly Larch Manor Meadow Mill Moor Oak Orchard Park Poplar Quarry Rowan School " +
    "Spring Station Victoria Well Willow",
);
const STREET_KINDS = words("Road Street Lane Avenue Close Drive Grove Crescent Way Terrace");
const BUILDINGS = words("Rowan House|Beech Court|Mill View|Linden Court|Kestrel House|Foundry Yard", "|");

/**
 * Postcode areas of the organisations in organisations.json: post town, real outward districts
 * and dependent localities. Inward codes are random, so full postcodes are synthetic.
 */
const POSTCODE_AREAS = {
  LS: {
    town: "Leeds",
    districts: words("LS1 LS2 LS4 LS5 LS6 LS7 LS8 LS11 LS12 LS13 LS16 LS17 LS18"),
    localities: words("Headingley|Chapel Allerton|Roundhay|Horsforth|Armley|Beeston|Meanwood", "|"),
  },
  YO: {
    town: "York",
    districts: words("YO1 YO10 YO23 YO24 YO26 YO30 YO31 YO32"),
    localities: words("Acomb Heworth Clifton Fulford Haxby Huntington"),
  },
  BD: {
    town: "Bradford",
    districts: words("BD1 BD2 BD3 BD5 BD6 BD7 BD8 BD9 BD10"),
    localities: words("Heaton Manningham Idle Thornton Eccleshill Wibsey"),
  },
  WF: {
    town: "Wakefield",
    districts: words("WF1 WF2 WF3 WF4"),
    localities: words("Sandal Outwood Horbury Alverthorpe Crigglestone"),
  },
  HG: {
    town: "Harrogate",
    districts: words("HG1 HG2 HG3"),
    localities: words("Starbeck Bilton Pannal Killinghall"),
  },
};
/** Letters allowed in the inward code's last two positions. */
const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

function areaOf(postcode) {
  const area = POSTCODE_AREAS[/^[A-Z]+/.exec(postcode)?.[0] ?? ""];
  if (area === undefined) throw new Error(`no postcode area table for ${postcode}; add it to POSTCODE_AREAS`);
  return area;
}

// ---------------------------------------------------------------------------------------------
// NHS numbers (test-data.md §1.1; the TypeScript twin is src/core/nhs-number.ts)

function nhsCheckDigit(nineDigits) {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(nineDigits[i]);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

function isValidNhsNumber(s) {
  return /^\d{10}$/.test(s) && nhsCheckDigit(s.slice(0, 9)) === Number(s[9]);
}

/** PDS FHIR sandbox numbers (test-data.md §1.2); the source's names and details are not reused. */
const PUBLIC_NUMBERS = words(
  "9000000009 9000000017 9000000025 9000000033 9693632109 9733162043 9736363015 9736363023 " +
    "9736363066 9736363074 9732110317 5900046192 5900056597 5900057208 5900059073 5900059332",
);
/** The sandbox registers these at practice A20047; the rest go to a random practice. */
const PUBLIC_AT_A20047 = new Set(words("9693632109 9733162043 9736363015 9736363023 9736363066 9736363074"));
/** Test-range numbers with a meaning elsewhere (the test harness's "good request" sentinel). */
const RESERVED_NUMBERS = new Set(["9999999999"]);

// ---------------------------------------------------------------------------------------------
// Patients

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

function ageOn(birthMs, onMs) {
  const b = new Date(birthMs);
  const on = new Date(onMs);
  let age = on.getUTCFullYear() - b.getUTCFullYear();
  if (
    on.getUTCMonth() < b.getUTCMonth() ||
    (on.getUTCMonth() === b.getUTCMonth() && on.getUTCDate() < b.getUTCDate())
  ) {
    age--;
  }
  return age;
}

function makePatient(rnd, nhsNumber, gpOrg, provenance) {
  const gender = rnd.weighted({ female: 49.5, male: 48.5, other: 1, unknown: 1 });
  const givenName =
    gender === "female"
      ? rnd.pick(GIVEN_FEMALE)
      : gender === "male"
        ? rnd.pick(GIVEN_MALE)
        : rnd.pick(GIVEN_ANY);
  const familyName = rnd.pick(FAMILY);
  const birthMs =
    rnd.int(Date.UTC(1930, 0, 1) / 86_400_000, Date.UTC(2024, 11, 31) / 86_400_000) * 86_400_000;
  let title = "";
  if (ageOn(birthMs, REFERENCE_DATE) >= 16) {
    if (gender === "female") title = rnd.weighted({ Mrs: 40, Ms: 30, Miss: 25, Dr: 5 });
    else if (gender === "male") title = rnd.weighted({ Mr: 95, Dr: 5 });
    else title = rnd.chance(0.5) ? "Mx" : "";
  }
  const area = areaOf(gpOrg.postalCode);
  const addressLines = [];
  if (rnd.chance(0.08)) addressLines.push(`Flat ${rnd.int(1, 24)}, ${rnd.pick(BUILDINGS)}`);
  addressLines.push(`${rnd.int(1, 199)} ${rnd.pick(STREET_NAMES)} ${rnd.pick(STREET_KINDS)}`);
  if (rnd.chance(0.35)) addressLines.push(rnd.pick(area.localities));
  addressLines.push(area.town);
  const inward = `${rnd.int(0, 9)}${rnd.pick([...INWARD_LETTERS])}${rnd.pick([...INWARD_LETTERS])}`;
  return {
    nhsNumber,
    title,
    givenName,
    familyName,
    gender,
    birthDate: isoDate(birthMs),
    addressLines,
    postcode: `${rnd.pick(area.districts)} ${inward}`,
    gpOdsCode: gpOrg.odsCode,
    provenance,
  };
}

function generatePatients(seed, organisations) {
  const rnd = createRandom(seed, "patients");
  const practices = organisations.filter((o) => o.objectClass === "nhsGPPractice");
  const byCode = new Map(practices.map((o) => [o.odsCode, o]));
  const patients = [];
  const used = new Set();
  for (const nhsNumber of PUBLIC_NUMBERS) {
    if (!isValidNhsNumber(nhsNumber)) throw new Error(`public test number ${nhsNumber} fails Modulus 11`);
    const practice = PUBLIC_AT_A20047.has(nhsNumber) ? byCode.get("A20047") : rnd.pick(practices);
    if (practice === undefined) throw new Error("GP practice A20047 is not in organisations.json");
    patients.push(makePatient(rnd, nhsNumber, practice, "public-test-value"));
    used.add(nhsNumber);
  }
  while (patients.length < PUBLIC_NUMBERS.length + SYNTHETIC_PATIENTS) {
    const prefix = `999${rnd.digits(6)}`;
    const check = nhsCheckDigit(prefix);
    if (check === undefined) continue; // no valid number starts with this prefix
    const nhsNumber = `${prefix}${check}`;
    if (used.has(nhsNumber) || RESERVED_NUMBERS.has(nhsNumber)) continue;
    used.add(nhsNumber);
    patients.push(makePatient(rnd, nhsNumber, rnd.pick(practices), "synthetic"));
  }
  return patients;
}

const PATIENT_COLUMNS = [
  "nhsNumber",
  "title",
  "givenName",
  "familyName",
  "gender",
  "birthDate",
  "addressLines",
  "postcode",
  "gpOdsCode",
  "provenance",
];

/** RFC 4180: quote a field holding a comma, quote or line break; double any quotes inside. */
function csvField(value) {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function patientsCsv(patients) {
  const lines = [PATIENT_COLUMNS.join(",")];
  for (const p of patients) {
    const row = { ...p, addressLines: p.addressLines.join("|") };
    lines.push(PATIENT_COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// People (SDS staff)

/**
 * National RBAC roles (test-data.md §4). S/G codes are those the sources show for R8001, R8003
 * and R8006; R8000 and R8004 take the same S8000:G8000 group as the other Clinical Provision
 * roles. Business functions are drawn from the activity codes in §4 (an illustrative choice).
 */
const ROLES = {
  R8000: {
    jobRoleCode: "S8000:G8000:R8000",
    jobRole: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
    businessFunctionCodes: ["B0264", "B0825", "B8004", "B8029", "B0945"],
  },
  R8001: {
    jobRoleCode: "S8000:G8000:R8001",
    jobRole: '"Clinical":"Clinical Provision":"Nurse Access Role"',
    businessFunctionCodes: ["B0264", "B0825", "B8004", "B0257"],
  },
  R8003: {
    jobRoleCode: "S8000:G8000:R8003",
    jobRole: '"Clinical":"Clinical Provision":"Health Professional Access Role"',
    businessFunctionCodes: ["B0264", "B0825", "B0286", "B0991"],
  },
  R8004: {
    jobRoleCode: "S8000:G8000:R8004",
    jobRole: '"Clinical":"Clinical Provision":"Healthcare Student Access Role"',
    businessFunctionCodes: ["B0264", "B8006"],
  },
  R8006: {
    jobRoleCode: "S8000:G8001:R8006",
    jobRole: '"Clinical":"Clinical Support":"Medical Secretary Access Role"',
    businessFunctionCodes: ["B0825", "B0085"],
  },
};
/** A second role profile some staff also hold at the same organisation. */
const SECOND_ROLE = { R8000: "R8003", R8001: "R8003", R8003: "R8004" };
/** Staff per organisation type: role → head count. */
const STAFFING = {
  "GP PRACTICE": { R8000: 3, R8001: 2, R8003: 1, R8006: 2 },
  PHARMACY: { R8003: 3, R8004: 2 },
  "NHS TRUST": { R8000: 5, R8001: 5, R8003: 3, R8004: 2, R8006: 2 },
};
const STAFF_WITH_TWO_ORGS = 4;
const INACTIVE_STAFF = 2;

const sdsId = (prefix, n) => `${prefix}${String(n).padStart(12 - prefix.length, "0")}`;

function generatePeople(seed, organisations) {
  const rnd = createRandom(seed, "people");
  const practices = organisations.filter((o) => o.objectClass === "nhsGPPractice").map((o) => o.odsCode);
  const drafts = [];
  for (const org of organisations) {
    const plan = STAFFING[org.orgType];
    if (plan === undefined) continue; // national services and test organisations have no staff here
    for (const [role, count] of Object.entries(plan)) {
      for (let i = 0; i < count; i++) {
        const female = rnd.chance(0.5);
        const roles = [role];
        const second = SECOND_ROLE[role];
        if (second !== undefined && rnd.chance(0.25)) roles.push(second);
        drafts.push({
          title: role === "R8000" ? "Dr" : female ? rnd.weighted({ Mrs: 40, Ms: 40, Miss: 20 }) : "Mr",
          givenName: rnd.pick(female ? GIVEN_FEMALE : GIVEN_MALE),
          familyName: rnd.pick(FAMILY),
          status: "1",
          smartcard: { cardId: rnd.uuid(), passcode: rnd.digits(rnd.int(4, 8)) },
          orgs: [{ odsCode: org.odsCode, roles }],
        });
      }
    }
  }

  // A few clinicians also work at a second GP practice (locum or shared-care sessions).
  const clinicians = drafts.filter((d) => ["R8000", "R8001", "R8003"].includes(d.orgs[0].roles[0]));
  const multi = new Set();
  while (multi.size < STAFF_WITH_TWO_ORGS) multi.add(rnd.pick(clinicians));
  for (const d of drafts.filter((x) => multi.has(x))) {
    const other = practices.filter((code) => code !== d.orgs[0].odsCode);
    d.orgs.push({ odsCode: rnd.pick(other), roles: [d.orgs[0].roles[0]] });
  }
  // …and a couple have left: their accounts stay in SDS, inactive.
  const stayers = drafts.filter((d) => !multi.has(d));
  const inactive = new Set();
  while (inactive.size < INACTIVE_STAFF) inactive.add(rnd.pick(stayers));
  for (const d of inactive) d.status = "0";

  // Ids are handed out in file order, so they read 999000000001, 999000000002, …
  let orgPersonN = 0;
  let roleProfileN = 0;
  return drafts.map((d, i) => ({
    uid: sdsId("999", i + 1),
    title: d.title,
    givenName: d.givenName,
    familyName: d.familyName,
    status: d.status,
    smartcard: d.smartcard,
    orgs: d.orgs.map((o) => ({
      orgPersonId: sdsId("9991", ++orgPersonN),
      odsCode: o.odsCode,
      roles: o.roles.map((r) => ({ roleProfileId: sdsId("9992", ++roleProfileN), ...ROLES[r] })),
    })),
    provenance: "synthetic",
  }));
}

// ---------------------------------------------------------------------------------------------
// Output

const WIDTH = 110; // .prettierrc.json printWidth: the files come out already formatted

/**
 * JSON laid out as Prettier lays it out: objects one key per line; arrays of scalars on one line
 * when they fit, otherwise one element per line. `lead`/`tail` are the characters before and after
 * the value on its line.
 */
function formatJson(value, indent = "", lead = 0, tail = 0) {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object")) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (lead + flat.length + tail <= WIDTH) return flat;
    }
    const inner = `${indent}  `;
    const items = value.map((v, i) => {
      const comma = i < value.length - 1 ? "," : "";
      return `${inner}${formatJson(v, inner, inner.length, comma.length)}${comma}`;
    });
    return `[\n${items.join("\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const inner = `${indent}  `;
    const items = entries.map(([k, v], i) => {
      const key = `${JSON.stringify(k)}: `;
      const comma = i < entries.length - 1 ? "," : "";
      return `${inner}${key}${formatJson(v, inner, inner.length + key.length, comma.length)}${comma}`;
    });
    return `{\n${items.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function main() {
  const { values } = parseArgs({
    options: { out: { type: "string" }, seed: { type: "string" } },
    strict: true,
  });
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`--seed must be an integer from 0 to 4294967295, got ${values.seed}`);
  }
  const outDir = resolve(values.out ?? HERE);
  const organisations = JSON.parse(readFileSync(join(HERE, "organisations.json"), "utf8"));

  const people = generatePeople(seed, organisations);
  const patients = generatePatients(seed, organisations);
  const files = [
    { name: "people.json", records: people.length, what: "people", text: `${formatJson(people)}\n` },
    { name: "patients.csv", records: patients.length, what: "patients", text: patientsCsv(patients) },
  ];
  const manifest = {
    generator: "seed-data/generate.mjs",
    seed,
    files: files.map((f) => ({
      name: f.name,
      records: f.records,
      sha256: createHash("sha256").update(f.text).digest("hex"),
    })),
  };
  files.push({ name: "generation.json", what: "seed and digests", text: `${formatJson(manifest)}\n` });

  mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const path = join(outDir, f.name);
    writeFileSync(path, f.text);
    const count = f.records === undefined ? f.what : `${f.records} ${f.what}`;
    console.log(`wrote ${relative(process.cwd(), path) || path} (${count})`);
  }
  console.log(`seed ${seed}`);
}

main();
