/**
 * `spine-sim sds export-ldif [FILE]` and `spine-sim sds import-ldif FILE`: the SDS directory as LDIF
 * for a team's own tools (or slapd), and a team's own directory extract loaded into the database as
 * an overlay on the scenario's entries. Logs go to stderr so that the LDIF on stdout stays clean.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import type { SimulatorConfig } from "../config/config-schema.js";
import type { SettingName } from "../config/config-schema.js";
import { SimError } from "../core/errors.js";
import { createLogger } from "../logging/logger.js";
import { createSimulator, type Simulator } from "../simulator.js";

export interface CliHelpers {
  withSettings(command: Command, settings: readonly SettingName[]): Command;
  configFrom(options: Record<string, unknown>): SimulatorConfig;
}

/** A simulator for a one-shot command: scenario loaded into --db, no listeners, logs on stderr. */
function oneShot(helpers: CliHelpers, settings: Record<string, unknown>): Simulator {
  const config = helpers.configFrom({ logLevel: "error", ...settings });
  return createSimulator(config, { logger: createLogger(config, pino.destination({ dest: 2, sync: true })) });
}

export function registerSdsCommands(program: Command, helpers: CliHelpers): void {
  const sds = program.command("sds").description("the SDS directory: LDIF export and import");

  helpers
    .withSettings(
      sds
        .command("export-ldif")
        .description(
          "write every entry the directory serves as LDIF (RFC 2849): parents before children, the schema's attribute spelling, Spine's endpoints under --public-url",
        )
        .argument("[FILE]", "file to write (default: standard output)"),
      ["db", "dataDir", "env", "scenario", "httpsPort", "publicUrl", "logLevel", "logFormat"],
    )
    .action(async (file: string | undefined, options: Record<string, unknown>) => {
      const simulator = oneShot(helpers, options);
      try {
        const exported = simulator.exportLdif();
        if (file === undefined) {
          process.stdout.write(exported.text);
          return;
        }
        try {
          writeFileSync(file, exported.text);
        } catch (error) {
          throw new SimError("DIR_UNWRITABLE", `Cannot write ${resolve(file)}: ${(error as Error).message}`, {
            hint: "Give a FILE in a directory that exists and is writable, or leave FILE out to write to standard output.",
            details: { setting: "FILE", value: file },
          });
        }
        process.stderr.write(`wrote ${exported.entries} SDS entries to ${file}\n`);
      } finally {
        await simulator.stop();
      }
    });

  helpers
    .withSettings(
      sds
        .command("import-ldif")
        .description(
          "check an LDIF file against the SDS schema and tree, then store its entries in the database, where they overlay the scenario's (same DN: the import wins) and survive scenario reloads; any problem is listed with its line and nothing is imported",
        )
        .argument("<FILE>", "LDIF content records (RFC 2849), e.g. from `sds export-ldif` or ldapsearch -LLL")
        .option("--replace", "drop every entry imported earlier before importing this file"),
      ["db", "dataDir", "env", "scenario", "logLevel", "logFormat"],
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      const { replace, ...settings } = options;
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new SimError("CONFIG_INVALID", `Cannot read ${resolve(file)}: ${(error as Error).message}`, {
          hint: "Give the path of an LDIF file, e.g. one written by `spine-sim sds export-ldif`.",
          details: { setting: "FILE", value: file },
        });
      }
      const simulator = oneShot(helpers, settings);
      try {
        const result = simulator.importLdif({ text, source: file, replace: replace === true });
        process.stdout.write(
          `imported ${result.imported} SDS entries from ${file} into ${simulator.store.location} ` +
            `(${result.replaced} replace an entry with the same DN); they are served from the next start, ` +
            "or at once through POST /_control/sds/ldif on a running simulator\n",
        );
      } finally {
        await simulator.stop();
      }
    });
}
