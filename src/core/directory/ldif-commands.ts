/**
 * LDIF export and import as the simulator offers them (CLI `spine-sim sds export-ldif|import-ldif`
 * and POST /_control/sds/ldif): the core operations plus what the composition root adds around
 * them — the directory rebuilt after an import, a journal event and a log line for each outcome.
 */
import { isSimError, SimError } from "../errors.js";
import type { Journal } from "../journal/journal.js";
import type { Store } from "../store/store.js";
import { resolveSpineEndpoints } from "./build-entries.js";
import {
  importLdif,
  storedDirectoryEntries,
  type LdifImportRequest,
  type LdifImportResult,
} from "./directory-sources.js";
import { exportLdif, type LdifExport } from "./ldif-export.js";

/** The pino call shapes used here (core does not import the logging module). */
export interface LdifLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface LdifCommandDeps {
  readonly store: Store;
  readonly journal: Journal;
  readonly logger: LdifLogger;
  readonly now: () => Date;
  /** Rebuilds the served directory (a no-op before the listeners start) and returns its version. */
  rebuild(): number;
  /** The base URL Spine's own endpoints are exported under, if known. */
  defaultPublicUrl(): string | undefined;
}

export type LdifImportOutcome = LdifImportResult & { readonly directoryVersion: number };

export interface LdifCommands {
  readonly importLdif: (request: Omit<LdifImportRequest, "now">) => LdifImportOutcome;
  readonly exportLdif: (publicUrl?: string) => LdifExport;
}

export function createLdifCommands(deps: LdifCommandDeps): LdifCommands {
  return {
    importLdif: (request) => {
      let result: LdifImportResult;
      try {
        result = importLdif(deps.store, { ...request, now: deps.now() });
      } catch (error) {
        if (isSimError(error) && error.code === "LDIF_INVALID") {
          const problems = (error.details.problems as unknown[] | undefined)?.length ?? 0;
          const summary = `LDIF from ${request.source} refused: ${problems} problem(s), nothing imported`;
          deps.logger.warn(
            { component: "sds", source: request.source, problems: error.details.problems },
            summary,
          );
          deps.journal.record({ kind: "sds.ldif.refused", summary, detail: error.details });
        }
        throw error;
      }
      const directoryVersion = deps.rebuild();
      const summary =
        `imported ${result.imported} SDS entr${result.imported === 1 ? "y" : "ies"} from ${result.source}` +
        ` (${result.replaced} replacing an entry with the same DN${request.replace === true ? "; earlier imports dropped" : ""})`;
      deps.logger.info(
        { component: "sds", source: result.source, imported: result.imported, replaced: result.replaced },
        summary,
      );
      deps.journal.record({
        kind: "sds.ldif.imported",
        summary,
        detail: {
          source: result.source,
          imported: result.imported,
          replaced: result.replaced,
          dns: result.dns,
        },
      });
      return { ...result, directoryVersion };
    },

    exportLdif: (publicUrl) => {
      const base = publicUrl ?? deps.defaultPublicUrl();
      if (base === undefined) {
        throw new SimError("CONFIG_INVALID", "No public URL to write into Spine's SDS endpoints", {
          hint: "Give --public-url (e.g. https://localhost:8443), or an --https-port other than 0.",
          details: { setting: "publicUrl" },
        });
      }
      const entries = resolveSpineEndpoints(storedDirectoryEntries(deps.store), base);
      const scenario = deps.store.loadedScenario()?.name ?? "none";
      const exported = exportLdif(entries, {
        comments: [
          `spine-sim SDS directory, scenario ${scenario}`,
          `Spine's own endpoints under ${base}`,
          "load with: spine-sim sds import-ldif FILE",
        ],
      });
      for (const warning of exported.warnings) deps.logger.warn({ component: "sds" }, warning);
      const summary = `exported ${exported.entries} SDS entries as LDIF (Spine endpoints under ${base})`;
      deps.logger.info({ component: "sds", entries: exported.entries }, summary);
      deps.journal.record({
        kind: "sds.ldif.exported",
        summary,
        detail: { entries: exported.entries, publicUrl: base },
      });
      return exported;
    },
  };
}
