#!/usr/bin/env node
/**
 * The spine-sim command line: start, certs, scenario check, endpoint add, sds export-ldif|import-ldif.
 */
import { Command, Option } from "commander";
import { formatBanner } from "./cli/banner.js";
import { registerSdsCommands } from "./cli/sds-commands.js";
import { registerCardCommands } from "./cli/card-commands.js";
import { envVarName, flagName, type SettingName } from "./config/config-schema.js";
import { environments } from "./config/environments.js";
import { loadConfig } from "./config/load-config.js";
import { isSimError } from "./core/errors.js";
import { checkScenario, resolveScenarioFile } from "./core/scenarios/load-scenario.js";
import { formatProblem } from "./core/scenarios/source-map.js";
import { scenariosDir } from "./paths.js";
import { createSimulator } from "./simulator.js";
import { ensurePki } from "./tls/pki.js";
import { version } from "./version.js";

const settingHelp: Partial<Record<SettingName, [string, string]>> = {
  env: ["int|dev|dep", "Spine environment to imitate (default int)"],
  scenario: ["NAME|FILE", "shipped scenario name or scenario YAML file (default int)"],
  db: ["FILE|:memory:", "SQLite database (default <data-dir>/spine-sim.db)"],
  dataDir: ["DIR", "data directory (default ./data)"],
  certsDir: ["DIR", "where the local PKI lives (default ./certs)"],
  host: ["ADDR", "address the Spine listeners bind (default 127.0.0.1)"],
  httpsPort: ["N", "HTTPS port for every Spine HTTP service (default 8443; 0 = any free port)"],
  ldapPort: ["N", "SDS LDAP port (default 8389; 0 = any free port)"],
  ldapsPort: ["N", "SDS LDAPS port (default 8636; 0 = any free port)"],
  controlPort: ["N", "control API and console port (default 8080; 0 = any free port)"],
  controlHost: ["ADDR", "address the control listener binds (default 127.0.0.1)"],
  controlToken: ["TOKEN", "bearer token the control API requires (needed off loopback)"],
  mtls: ["on|off", "require client certificates on HTTPS and LDAPS (default on)"],
  clock: ["real|virtual", "clock for delays, retries and expiry (default real)"],
  validation: ["lenient|strict|report-only", "EIS Part C validation profile (default lenient)"],
  publicUrl: ["URL", "base URL SDS advertises for Spine endpoints (default https://localhost:<https-port>)"],
  readyFile: ["FILE", "write the URLs, CA file and endpoints as JSON here when ready"],
  logLevel: ["LEVEL", "fatal|error|warn|info|debug|trace|silent (default info)"],
  logFormat: ["auto|json|pretty", "log format (default auto: pretty on a terminal)"],
  maxBodyBytes: ["N", "largest request body in bytes (default 5242880)"],
};

function settingOption(setting: SettingName): Option {
  const [arg, description] = settingHelp[setting] ?? ["VALUE", setting];
  return new Option(`${flagName(setting)} <${arg}>`, `${description} [env ${envVarName(setting)}]`);
}

function withSettings(command: Command, settings: readonly SettingName[]): Command {
  for (const setting of settings) command.addOption(settingOption(setting));
  return command.option("--config <FILE>", "config file (JSON or YAML) [env SPINE_SIM_CONFIG]");
}

function configFrom(options: Record<string, unknown>) {
  const { config: configFile, ...flags } = options;
  return loadConfig({ flags, env: process.env, configFile: configFile as string | undefined });
}

const program = new Command()
  .name("spine-sim")
  .description("An offline simulator of the NHS Spine integration environment (INT, DEV, DEP).")
  .version(version)
  .showHelpAfterError();

withSettings(
  program
    .command("start")
    .description("start every listener and print the URLs, CA file and ready-made endpoint"),
  [
    "env",
    "scenario",
    "db",
    "dataDir",
    "certsDir",
    "host",
    "httpsPort",
    "ldapPort",
    "ldapsPort",
    "controlPort",
    "controlHost",
    "controlToken",
    "mtls",
    "clock",
    "validation",
    "publicUrl",
    "readyFile",
    "logLevel",
    "logFormat",
    "maxBodyBytes",
  ],
).action(async (options: Record<string, unknown>) => {
  const config = configFrom(options);
  const simulator = createSimulator(config);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    simulator.logger.info({ signal }, "stopping");
    void simulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  const info = await simulator.start();
  process.stdout.write(formatBanner(info));
});

withSettings(
  program.command("certs").description("create (or reuse) the local PKI and print where the files are"),
  ["certsDir", "env"],
).action(async (options: Record<string, unknown>) => {
  const config = configFrom(options);
  const pki = await ensurePki({ certsDir: config.certsDir, env: environments[config.env] });
  process.stdout.write(`${pki.generated ? "Created" : "Reused"} the local PKI in ${pki.paths.envDir}\n`);
  process.stdout.write(
    `  trust: ${pki.paths.caBundle}\n  root CA (DER): ${pki.paths.rootCaDer}\n  sub-CA (DER): ${pki.paths.subCaDer}\n`,
  );
});

program
  .command("scenario")
  .description("work with scenario files")
  .command("check")
  .description("check a scenario and its seed data; print every problem with file and line")
  .argument("<FILE>", "scenario name or YAML file")
  .action((file: string) => {
    const check = checkScenario(resolveScenarioFile(file, scenariosDir), scenariosDir);
    if (check.problems.length === 0) {
      const seed = check.loaded?.seed;
      process.stdout.write(
        `${check.file}: OK (${seed?.organisations.length ?? 0} organisations, ${seed?.systems.length ?? 0} systems, ${seed?.people.length ?? 0} people, ${seed?.patients.length ?? 0} patients)\n`,
      );
      return;
    }
    for (const problem of check.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.stderr.write(`${check.problems.length} problem(s) found\n`);
    process.exitCode = 2;
  });

withSettings(
  program
    .command("endpoint")
    .description("manage supplier endpoints registered in the directory")
    .command("add")
    .description(
      "register a supplier MHS endpoint in SDS and issue its certificate (offline endpoint registration)",
    )
    .requiredOption("--ods <CODE>", "the supplier organisation's ODS code")
    .requiredOption("--url <URL>", "the supplier MHS's inbound https URL, where Spine delivers replies")
    .option("--interaction <ID...>", "interactions it receives (default: the common async replies)"),
  ["db", "dataDir", "certsDir", "env", "scenario"],
).action(async (options: Record<string, unknown>) => {
  const { ods, url, interaction, ...settings } = options;
  const config = configFrom({ ...settings, logLevel: "warn" });
  const simulator = createSimulator(config);
  try {
    const registered = await simulator.registerEndpoint({
      odsCode: String(ods),
      url: String(url),
      interactions: (interaction as string[] | undefined) ?? [],
    });
    process.stdout.write(`${JSON.stringify(registered, null, 2)}\n`);
  } finally {
    await simulator.stop();
  }
});

registerSdsCommands(program, { withSettings, configFrom });
registerCardCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isSimError(error)) {
    process.stderr.write(`spine-sim: ${error.describe()}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(
    `spine-sim: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
