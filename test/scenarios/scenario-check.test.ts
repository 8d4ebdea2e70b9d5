import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ensureScenarioLoaded } from "../../src/core/scenarios/apply-scenario.js";
import { checkScenario } from "../../src/core/scenarios/load-scenario.js";
import { formatProblem } from "../../src/core/scenarios/source-map.js";
import { openSqliteStore } from "../../src/core/store/sqlite-store.js";

const organisation = {
  odsCode: "Z99001",
  name: "TEST PHARMACY",
  orgType: "PHARMACY",
  orgTypeCode: "PH",
  postalAddress: ["1 HIGH STREET", "LEEDS"],
  postalCode: "LS1 4AP",
  locality: "LEEDS",
  provenance: "synthetic",
};

const system = {
  asid: "999900000001",
  odsCode: "Z99001",
  partyKey: "Z99001-0000001",
  productName: "Test MHS",
  productKey: "999",
  endpoint: "https://localhost:9443/inbound",
  sends: ["urn:nhs:names:services:psis:REPC_IN150016UK05"],
  receives: [{ service: "urn:nhs:names:services:psis", interaction: "MCCI_IN010000UK13" }],
  quickStart: true,
  provenance: "synthetic",
};

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "spine-sim-scenario-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const goodScenario = `name: tiny
seed:
  organisations: [orgs.json]
  systems: [systems.json]
  patients: [patients.csv]
`;
const goodPatients = `nhsNumber,title,givenName,familyName,gender,birthDate,addressLines,postcode,gpOdsCode,provenance
9990000018,Ms,Ada,Tester,female,1970-01-02,"1 Test Street|Leeds, West Yorkshire",LS1 4AP,Z99001,synthetic
`;

function check(files: Record<string, string>) {
  const dir = workspace(files);
  return { dir, result: checkScenario(join(dir, "s.yaml"), dir) };
}

describe("scenario check", () => {
  it("accepts a valid scenario and reads every seed file", () => {
    const { result } = check({
      "s.yaml": goodScenario,
      "orgs.json": JSON.stringify([organisation]),
      "systems.json": JSON.stringify([system]),
      "patients.csv": goodPatients,
    });
    expect(result.problems).toEqual([]);
    expect(result.loaded?.seed.systems[0]?.partyKey).toBe("Z99001-0000001");
    expect(result.loaded?.seed.patients[0]?.addressLines).toEqual(["1 Test Street", "Leeds, West Yorkshire"]);
  });

  it("reports YAML syntax errors with their line", () => {
    const { result } = check({ "s.yaml": "name: tiny\nseed:\n  organisations: [orgs.json\n" });
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("reports an unknown key and a bad value at their own lines", () => {
    const { dir, result } = check({
      "s.yaml": "name: tiny\ndescription: ok\nbehaviour: []\nvalidation:\n  profile: paranoid\n",
    });
    const lines = result.problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${join(dir, "s.yaml")}:1:1: unknown key\\(s\\) behaviour`)),
    );
    expect(result.problems.find((p) => p.path === "validation.profile")?.line).toBe(5);
  });

  it("reports a seed file problem with the seed file, its line and the path inside it", () => {
    const systems = JSON.stringify([system, { ...system, asid: "12345" }], null, 2);
    const { dir, result } = check({
      "s.yaml": goodScenario,
      "orgs.json": JSON.stringify([organisation]),
      "systems.json": systems,
      "patients.csv": goodPatients,
    });
    const problem = result.problems.find((p) => p.path === "[1].asid");
    expect(problem?.file).toBe(join(dir, "systems.json"));
    expect(problem?.message).toBe("an ASID is 12 digits");
    const expectedLine = systems.split("\n").findIndex((l) => l.includes('"12345"')) + 1;
    expect(problem?.line).toBe(expectedLine);
  });

  it("reports a bad CSV row with its line number", () => {
    const patients = `${goodPatients}9990000026,,Bob,Tester,robot,1970-01-02,1 Road,LS1 4AP,Z99001,synthetic\n`;
    const { result } = check({
      "s.yaml": goodScenario,
      "orgs.json": JSON.stringify([organisation]),
      "systems.json": JSON.stringify([system]),
      "patients.csv": patients,
    });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ line: 3, path: "gender" });
  });

  it("reports a missing seed file against the scenario", () => {
    const { result } = check({ "s.yaml": goodScenario, "orgs.json": "[]", "systems.json": "[]" });
    expect(result.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining("patients.csv: file not found"),
    );
  });

  it("reports references to organisations that do not exist and duplicates", () => {
    const { result } = check({
      "s.yaml": goodScenario,
      "orgs.json": "[]",
      "systems.json": JSON.stringify([system, system]),
      "patients.csv": goodPatients,
    });
    const messages = result.problems.map((p) => p.message);
    expect(messages).toContain("system 999900000001 names ODS code Z99001, which no organisation has");
    expect(messages).toContain("ASID 999900000001 appears more than once");
    expect(messages).toContain("more than one system is marked quickStart");
  });

  it("finds an extends cycle", () => {
    const { result } = check({
      "s.yaml": "name: a\nextends: ./t.yaml\n",
      "t.yaml": "name: b\nextends: ./s.yaml\n",
    });
    expect(result.problems.map((p) => p.message)).toContain("scenarios extend each other in a cycle");
  });
});

/** A fresh :memory: store and a workspace holding the good scenario, closed after the test. */
function storeWithGoodScenario() {
  const store = openSqliteStore(":memory:");
  onTestFinished(() => store.close());
  const dir = workspace({
    "s.yaml": goodScenario,
    "orgs.json": JSON.stringify([organisation]),
    "systems.json": JSON.stringify([system]),
    "patients.csv": goodPatients,
  });
  return { store, dir };
}

describe("loading a scenario into the store", () => {
  it("changes nothing when the scenario is invalid", () => {
    const { store, dir } = storeWithGoodScenario();
    ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date());
    const before = store.directoryEntries();
    writeFileSync(join(dir, "systems.json"), JSON.stringify([{ ...system, odsCode: "NOPE1" }]));
    expect(() => ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date())).toThrow(
      /no organisation has/,
    );
    expect(store.directoryEntries()).toEqual(before);
  });

  it("skips the reload when nothing changed and reloads when a seed file changed", () => {
    const { store, dir } = storeWithGoodScenario();
    expect(ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date()).reloaded).toBe(true);
    expect(ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date()).reloaded).toBe(false);
    writeFileSync(join(dir, "orgs.json"), JSON.stringify([{ ...organisation, name: "RENAMED PHARMACY" }]));
    expect(ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date()).reloaded).toBe(true);
    expect(store.directoryEntry("uniqueIdentifier=Z99001,ou=Organisations,o=nhs")?.attributes.o).toEqual([
      "RENAMED PHARMACY",
    ]);
  });

  it("expands an accredited system into its nhsAs entry and one nhsMhs entry per interaction", () => {
    const { store, dir } = storeWithGoodScenario();
    ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date());
    const as = store.directoryEntry("uniqueIdentifier=999900000001,ou=Services,o=nhs");
    expect(as?.objectClasses).toContain("nhsAs");
    expect(as?.attributes.nhsAsSvcIA).toEqual([
      "urn:nhs:names:services:psis:REPC_IN150016UK05",
      "urn:nhs:names:services:psis:MCCI_IN010000UK13",
    ]);
    const mhs = store.directoryEntry("uniqueIdentifier=S99990000000101,ou=Services,o=nhs");
    expect(mhs?.attributes).toMatchObject({
      nhsMhsSvcIA: ["urn:nhs:names:services:psis:MCCI_IN010000UK13"],
      nhsMHSPartyKey: ["Z99001-0000001"],
      nhsMHSEndPoint: ["https://localhost:9443/inbound"],
      nhsMhsFQDN: ["localhost"],
    });
    expect(store.loadedScenario()?.quickStart).toEqual({
      odsCode: "Z99001",
      partyKey: "Z99001-0000001",
      asid: "999900000001",
      url: "https://localhost:9443/inbound",
    });
  });
});

describe("environment-specific systems", () => {
  it("loads only the e-RS system of the chosen environment and reloads when the environment changes", () => {
    const store = openSqliteStore(":memory:");
    onTestFinished(() => store.close());
    const ers = (environment: string, partyKey: string, asid: string) => ({
      ...system,
      quickStart: false,
      asid,
      partyKey,
      environments: [environment],
    });
    const dir = workspace({
      "s.yaml": goodScenario,
      "orgs.json": JSON.stringify([organisation]),
      "systems.json": JSON.stringify([
        ers("int", "Z99001-0000011", "999900000011"),
        ers("dep", "Z99001-0000012", "999900000012"),
      ]),
      "patients.csv": goodPatients,
    });
    const partyKeys = () =>
      store
        .directoryEntries()
        .flatMap((e) => (e.objectClasses.includes("nhsAs") ? (e.attributes.nhsMHSPartyKey ?? []) : []));
    ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "int", new Date());
    expect(partyKeys()).toEqual(["Z99001-0000011"]);
    expect(ensureScenarioLoaded(store, join(dir, "s.yaml"), dir, "dep", new Date()).reloaded).toBe(true);
    expect(partyKeys()).toEqual(["Z99001-0000012"]);
  });
});
