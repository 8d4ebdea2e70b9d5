/**
 * Finds, reads and checks a scenario and every seed file it names, collecting every problem with
 * its file, line and path before anything is loaded: a bad scenario changes nothing.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { SimError } from "../errors.js";
import { parseLdif, LdifError, type LdifRecord } from "./ldif.js";
import { scenarioSchema, type Scenario } from "./scenario-schema.js";
import {
  seedFileSchemas,
  type AddressSeed,
  type OrganisationSeed,
  type PatientSeed,
  type PersonSeed,
  type SystemSeed,
} from "./seed-schema.js";
import { formatPath, parsePositioned, type Problem } from "./source-map.js";

export interface SeedData {
  readonly organisations: OrganisationSeed[];
  readonly systems: SystemSeed[];
  readonly people: PersonSeed[];
  readonly patients: PatientSeed[];
  readonly ldif: LdifRecord[];
  /** Optional so that hand-built seed data without addresses stays valid. */
  readonly addresses?: AddressSeed[];
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  /** sha-256 over the scenario chain and every seed file: unchanged input means nothing to reload. */
  readonly fingerprint: string;
  readonly seed: SeedData;
}

export interface ScenarioCheck {
  readonly file: string;
  readonly problems: readonly Problem[];
  readonly loaded?: LoadedScenario;
}

/** A name is a shipped scenario; a path resolves against `relativeTo` (the working directory by default). */
export function resolveScenarioFile(nameOrFile: string, scenariosDir: string, relativeTo = "."): string {
  const looksLikePath = nameOrFile.includes("/") || nameOrFile.includes("\\") || /\.ya?ml$/.test(nameOrFile);
  const file = looksLikePath ? resolve(relativeTo, nameOrFile) : join(scenariosDir, `${nameOrFile}.yaml`);
  if (existsSync(file)) return file;
  const shipped = existsSync(scenariosDir)
    ? readdirSync(scenariosDir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => basename(f, ".yaml"))
    : [];
  throw new SimError("SCENARIO_NOT_FOUND", `No scenario "${nameOrFile}" (looked for ${file})`, {
    hint: `Use a shipped scenario (${shipped.join(", ") || "none found"}) or a path to a scenario YAML file.`,
    details: { setting: "scenario", value: nameOrFile },
  });
}

export interface ScenarioFiles {
  readonly file: string;
  readonly scenario: Scenario;
  readonly fingerprint: string;
  readonly seedFiles: readonly { kind: keyof SeedData; file: string; text: string }[];
}

/**
 * Reads the scenario chain and the bytes of every seed file it names, without parsing the seed data:
 * enough to tell from the fingerprint whether anything changed since the last load.
 */
export function readScenarioFiles(
  file: string,
  scenariosDir: string,
  problems: Problem[] = [],
): ScenarioFiles | undefined {
  const hash = createHash("sha256");
  const chain = readChain(file, scenariosDir, problems, hash, new Set());
  const last = chain?.[chain.length - 1];
  if (chain === undefined || last === undefined) return undefined;
  const seedFiles: { kind: keyof SeedData; file: string; text: string }[] = [];
  for (const { scenario, dir } of chain) {
    for (const kind of ["organisations", "systems", "people", "patients", "ldif", "addresses"] as const) {
      for (const relative of scenario.seed[kind]) {
        const seedFile = isAbsolute(relative) ? relative : join(dir, relative);
        const text = readText(seedFile, problems, { file, path: `seed.${kind}`, line: 1, column: 1 });
        if (text === undefined) continue;
        hash.update(`\0${kind}\0${text}`);
        seedFiles.push({ kind, file: seedFile, text });
      }
    }
  }
  return { file, scenario: last.scenario, fingerprint: hash.digest("hex"), seedFiles };
}

/** Checks a scenario file and its seed data, returning every problem found (empty when valid). */
export function checkScenario(file: string, scenariosDir: string): ScenarioCheck {
  const problems: Problem[] = [];
  const files = readScenarioFiles(file, scenariosDir, problems);
  if (files === undefined || problems.length > 0) return { file, problems };
  return parseScenarioFiles(files);
}

export function parseScenarioFiles(files: ScenarioFiles): ScenarioCheck {
  const problems: Problem[] = [];
  const seed: SeedData = {
    organisations: [],
    systems: [],
    people: [],
    patients: [],
    ldif: [],
    addresses: [],
  };
  for (const { kind, file, text } of files.seedFiles) readSeedFile(kind, file, text, seed, problems);
  problems.push(...crossCheck(seed, files.file));
  if (problems.length > 0) return { file: files.file, problems };
  return {
    file: files.file,
    problems,
    loaded: { scenario: files.scenario, file: files.file, fingerprint: files.fingerprint, seed },
  };
}

type ChainLink = { scenario: Scenario; dir: string };

function readChain(
  file: string,
  scenariosDir: string,
  problems: Problem[],
  hash: ReturnType<typeof createHash>,
  seen: Set<string>,
): ChainLink[] | undefined {
  if (seen.has(file)) {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: "extends",
      message: "scenarios extend each other in a cycle",
    });
    return undefined;
  }
  seen.add(file);
  const text = readText(file, problems);
  if (text === undefined) return undefined;
  hash.update(`\0scenario\0${text}`);
  const doc = parsePositioned(file, text);
  if (doc.problems.length > 0) {
    problems.push(...doc.problems);
    return undefined;
  }
  const result = scenarioSchema.safeParse(doc.value ?? {});
  if (!result.success) {
    problems.push(...zodProblems(result.error, file, doc.locate));
    return undefined;
  }
  const link: ChainLink = { scenario: result.data, dir: dirname(file) };
  if (result.data.extends === undefined) return [link];
  let baseFile: string;
  try {
    baseFile = resolveScenarioFile(result.data.extends, scenariosDir, dirname(file));
  } catch (error) {
    problems.push({ file, ...doc.locate(["extends"]), path: "extends", message: (error as Error).message });
    return undefined;
  }
  const base = readChain(baseFile, scenariosDir, problems, hash, seen);
  return base === undefined ? undefined : [...base, link];
}

function readText(file: string, problems: Problem[], at?: Omit<Problem, "message">): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    problems.push({ file, line: 1, column: 1, path: "", ...at, message: `cannot read ${file}: ${reason}` });
    return undefined;
  }
}

function readSeedFile(
  kind: keyof SeedData,
  file: string,
  text: string,
  seed: SeedData,
  problems: Problem[],
): void {
  if (kind === "ldif") {
    try {
      seed.ldif.push(...parseLdif(text));
    } catch (error) {
      if (!(error instanceof LdifError)) throw error;
      problems.push({ file, line: error.line, column: 1, path: "", message: error.message });
    }
    return;
  }
  if (kind === "patients" && extname(file).toLowerCase() === ".csv") {
    seed.patients.push(...readPatientsCsv(file, text, problems));
    return;
  }
  if (kind === "addresses" && extname(file).toLowerCase() === ".csv") {
    seed.addresses?.push(...readAddressesCsv(file, text, problems));
    return;
  }
  const schema = seedFileSchemas[kind];
  let value: unknown;
  try {
    value = JSON.parse(text); // the fast path; positions are only worked out when something is wrong
  } catch {
    const doc = parsePositioned(file, text);
    problems.push(...doc.problems);
    value = doc.value;
    if (doc.problems.length > 0) return;
  }
  const result = schema.safeParse(value);
  if (result.success) {
    (seed[kind] as unknown[]).push(...result.data);
    return;
  }
  problems.push(...zodProblems(result.error, file, parsePositioned(file, text).locate));
}

function readPatientsCsv(file: string, text: string, problems: Problem[]): PatientSeed[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, info: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    problems.push({ file, line, column: 1, path: "", message: (error as Error).message });
    return [];
  }
  const patients: PatientSeed[] = [];
  for (const { record, info } of records) {
    const row = {
      ...record,
      title: record.title === "" ? undefined : record.title,
      addressLines: (record.addressLines ?? "").split("|").filter((l) => l !== ""),
    };
    const result = seedFileSchemas.patients.element.safeParse(row);
    if (result.success) patients.push(result.data);
    else {
      for (const issue of result.error.issues) {
        problems.push({
          file,
          line: info.lines,
          column: 1,
          path: formatPath(issue.path),
          message: issue.message,
        });
      }
    }
  }
  return patients;
}

/**
 * Gazetteer addresses: one row per delivery point, empty fields absent. 20,000 rows must load fast,
 * so records are read without positions; line numbers are worked out only when a row is wrong.
 */
function readAddressesCsv(file: string, text: string, problems: Problem[]): AddressSeed[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true });
  } catch (error) {
    problems.push({
      file,
      line: (error as { lines?: number }).lines ?? 1,
      column: 1,
      path: "",
      message: (error as Error).message,
    });
    return [];
  }
  const header = rows[0] ?? [];
  const addresses: AddressSeed[] = [];
  const bad: { index: number; issues: z.core.$ZodIssue[] }[] = [];
  for (let index = 1; index < rows.length; index++) {
    const record = rows[index] ?? [];
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      const value = record[i];
      if (value !== undefined && value !== "") row[name] = value;
    });
    const result = seedFileSchemas.addresses.element.safeParse(row);
    if (result.success) addresses.push(result.data);
    else bad.push({ index, issues: result.error.issues });
  }
  if (bad.length > 0) {
    const lines = (
      parseCsv(text, { skip_empty_lines: true, info: true }) as unknown as { info: { lines: number } }[]
    ).map((r) => r.info.lines);
    for (const { index, issues } of bad) {
      for (const issue of issues) {
        const line = lines[index] ?? 1;
        problems.push({ file, line, column: 1, path: formatPath(issue.path), message: issue.message });
      }
    }
  }
  return addresses;
}

function zodProblems(
  error: z.ZodError,
  file: string,
  locate: (path: readonly PropertyKey[]) => { line: number; column: number },
): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path;
    const message =
      issue.code === "unrecognized_keys" ? `unknown key(s) ${issue.keys.join(", ")}` : issue.message;
    return { file, ...locate(path), path: formatPath(path), message };
  });
}

/** Checks that need the whole data set: references between files and uniqueness. */
function crossCheck(seed: SeedData, file: string): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string): void => {
    problems.push({ file, line: 1, column: 1, path: "seed", message });
  };
  const ods = new Set(seed.organisations.map((o) => o.odsCode));
  const duplicates = (values: string[], what: string): void => {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) add(`${what} ${value} appears more than once`);
      seen.add(value);
    }
  };
  duplicates(
    seed.organisations.map((o) => o.odsCode),
    "ODS code",
  );
  duplicates(
    seed.systems.map((s) => s.asid),
    "ASID",
  );
  duplicates(
    seed.systems.map((s) => s.partyKey),
    "party key",
  );
  duplicates(
    seed.people.map((p) => p.uid),
    "person uid",
  );
  duplicates(
    seed.patients.map((p) => p.nhsNumber),
    "NHS number",
  );
  duplicates(
    seed.people.map((p) => p.smartcard.cardId),
    "smartcard id",
  );
  duplicates(
    (seed.addresses ?? []).map((a) => String(a.addressKey)),
    "address key",
  );
  for (const system of seed.systems) {
    if (!ods.has(system.odsCode))
      add(`system ${system.asid} names ODS code ${system.odsCode}, which no organisation has`);
  }
  for (const person of seed.people) {
    for (const org of person.orgs) {
      if (!ods.has(org.odsCode))
        add(`person ${person.uid} works at ${org.odsCode}, which no organisation has`);
    }
  }
  if (seed.systems.filter((s) => s.quickStart).length > 1) add("more than one system is marked quickStart");
  return problems;
}
