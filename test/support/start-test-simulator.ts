/**
 * Starts a real simulator on port 0 for one test: every listener on loopback, a fresh :memory:
 * database, and a PKI shared by the whole test run (created once, reused: generation is the slow
 * part). Stop it with onTestFinished(() => sim.stop()).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../src/config/load-config.js";
import { createSimulator, type ReadyInfo, type Simulator } from "../../src/simulator.js";

export const sharedCertsDir = join(tmpdir(), `spine-sim-test-certs-${process.pid}`);

export interface TestSimulator extends Simulator {
  readonly ready: ReadyInfo;
}

export async function startTestSimulator(flags: Record<string, unknown> = {}): Promise<TestSimulator> {
  const config = loadConfig({
    env: {},
    flags: {
      db: ":memory:",
      certsDir: sharedCertsDir,
      dataDir: mkdtempSync(join(tmpdir(), "spine-sim-data-")),
      httpsPort: 0,
      ldapPort: 0,
      ldapsPort: 0,
      controlPort: 0,
      logLevel: "silent",
      ...flags,
    },
  });
  const simulator = createSimulator(config, { logger: pino({ level: "silent" }) });
  const ready = await simulator.start();
  return Object.assign(simulator, { ready });
}
