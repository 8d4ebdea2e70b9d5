/**
 * Where the directory's entries come from, in one place for the listeners, the CLI and the LDIF
 * commands: the scenario's entries, the endpoints registered at run time, and the entries imported
 * from LDIF, which overlay both (an imported entry with the DN of a scenario entry replaces it).
 * Registered and imported entries live in tables of their own, so a scenario reload keeps them.
 */
import { SimError } from "../errors.js";
import type { DirectoryEntry, Store } from "../store/store.js";
import { registeredEndpointEntries } from "./build-entries.js";
import { dnKeyOf } from "./dn.js";
import { checkLdif, formatLdifProblems, type LdifProblem } from "./ldif-import.js";
import { sdsSchema, type Schema } from "./sds-schema.js";

/** Every entry the directory serves, before Spine's endpoint URLs are resolved. */
export function storedDirectoryEntries(store: Store, schema: Schema = sdsSchema): DirectoryEntry[] {
  const base = [...store.directoryEntries(), ...registeredEndpointEntries(store.registeredEndpoints())];
  const imported = store.importedDirectoryEntries();
  if (imported.length === 0) return base;
  const overlaid = new Set(imported.map((e) => e.key));
  return [...base.filter((e) => !overlaid.has(dnKeyOf(e.dn, schema.avaRules) ?? "")), ...imported];
}

export interface LdifImportRequest {
  readonly text: string;
  /** The file name (or `control API`) recorded with each entry and used in problem messages. */
  readonly source: string;
  readonly now: Date;
  /** Drop every previously imported entry first. */
  readonly replace?: boolean;
}

export interface LdifImportResult {
  readonly source: string;
  /** Entries stored. */
  readonly imported: number;
  /** Of those, how many took the place of an entry the directory already had. */
  readonly replaced: number;
  /** DNs of the entries stored, in file order. */
  readonly dns: readonly string[];
}

/**
 * Checks LDIF against the schema and the current tree and, only when every record is valid, stores
 * the entries as the import overlay. Throws LDIF_INVALID listing every problem with its line.
 */
export function importLdif(
  store: Store,
  request: LdifImportRequest,
  schema: Schema = sdsSchema,
): LdifImportResult {
  const keyOf = (e: DirectoryEntry): string => dnKeyOf(e.dn, schema.avaRules) ?? "";
  const base = [...store.directoryEntries(), ...registeredEndpointEntries(store.registeredEndpoints())];
  const existing = new Set(base.map(keyOf));
  if (request.replace !== true) for (const e of store.importedDirectoryEntries()) existing.add(e.key);
  const check = checkLdif(request.text, { schema, exists: (key) => existing.has(key) });
  if (check.problems.length > 0) throw ldifInvalid(request.source, check.problems);
  const importedAt = request.now.toISOString();
  store.importDirectoryEntries(
    check.entries.map((e) => ({
      dn: e.dn,
      key: e.key,
      objectClasses: e.objectClasses,
      attributes: e.attributes,
      source: request.source,
      line: e.line,
      importedAt,
    })),
    request.replace === true,
  );
  return {
    source: request.source,
    imported: check.entries.length,
    replaced: check.entries.filter((e) => existing.has(e.key)).length,
    dns: check.entries.map((e) => e.dn),
  };
}

function ldifInvalid(source: string, problems: readonly LdifProblem[]): SimError {
  const lines = formatLdifProblems(source, problems);
  return new SimError(
    "LDIF_INVALID",
    `${source} has ${problems.length} problem(s); nothing was imported:\n  ${lines.join("\n  ")}`,
    {
      hint: "Fix every line listed and import the file again; `spine-sim sds export-ldif` shows valid entries to copy from.",
      details: { source, problems },
    },
  );
}
