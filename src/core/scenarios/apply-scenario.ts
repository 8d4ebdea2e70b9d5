/**
 * Puts a scenario into the store: seed data expanded into SDS entries (plus endpoints registered at
 * run time), patients and smartcards, in one transaction. An unchanged scenario is not reloaded.
 */
import { createHash } from "node:crypto";
import { buildDirectoryEntries } from "../directory/build-entries.js";
import { SimError } from "../errors.js";
import type { EnvironmentName } from "../../config/environments.js";
import type { Store } from "../store/store.js";
import type { Scenario } from "./scenario-schema.js";
import {
  parseScenarioFiles,
  readScenarioFiles,
  resolveScenarioFile,
  type LoadedScenario,
} from "./load-scenario.js";
import { formatProblem, type Problem } from "./source-map.js";

export interface ApplyResult {
  readonly name: string;
  readonly file: string;
  /** False when the store already held this exact scenario and nothing was rewritten. */
  readonly reloaded: boolean;
  /** The scenario file's own settings (behaviour sections are not inherited through `extends`). */
  readonly scenario: Scenario;
}

export function ensureScenarioLoaded(
  store: Store,
  nameOrFile: string,
  scenariosDir: string,
  env: EnvironmentName,
  now: Date,
): ApplyResult {
  const file = resolveScenarioFile(nameOrFile, scenariosDir);
  const problems: Problem[] = [];
  const files = readScenarioFiles(file, scenariosDir, problems);
  if (files === undefined || problems.length > 0) throw invalid(file, problems);
  const fingerprint = createHash("sha256").update(files.fingerprint).update(env).digest("hex");
  if (store.loadedScenario()?.fingerprint === fingerprint) {
    return { name: files.scenario.name, file, reloaded: false, scenario: files.scenario };
  }
  const check = parseScenarioFiles(files);
  if (check.loaded === undefined) throw invalid(file, check.problems);
  applyScenario(store, check.loaded, env, fingerprint, now);
  return { name: files.scenario.name, file, reloaded: true, scenario: files.scenario };
}

export function applyScenario(
  store: Store,
  loaded: LoadedScenario,
  env: EnvironmentName,
  fingerprint: string,
  now: Date,
): void {
  const seed = {
    ...loaded.seed,
    systems: loaded.seed.systems.filter((s) => s.environments?.includes(env) ?? true),
  };
  const quickStart = seed.systems.find((s) => s.quickStart);
  store.replaceScenario(
    {
      name: loaded.scenario.name,
      fingerprint,
      quickStart:
        quickStart === undefined
          ? undefined
          : {
              odsCode: quickStart.odsCode,
              partyKey: quickStart.partyKey,
              asid: quickStart.asid,
              url: quickStart.endpoint ?? "",
            },
      directory: buildDirectoryEntries(seed),
      patients: seed.patients,
      smartcards: seed.people.map((p) => ({
        cardId: p.smartcard.cardId,
        uid: p.uid,
        passcode: p.smartcard.passcode,
      })),
      addresses: seed.addresses,
    },
    now.toISOString(),
  );
}

function invalid(file: string, problems: readonly Problem[]): SimError {
  const lines = problems.map(formatProblem);
  return new SimError(
    "SCENARIO_INVALID",
    `Scenario ${file} has ${lines.length} problem(s):\n  ${lines.join("\n  ")}`,
    {
      hint: "Fix them and run `spine-sim scenario check <file>`; nothing was loaded.",
      details: { problems },
    },
  );
}
