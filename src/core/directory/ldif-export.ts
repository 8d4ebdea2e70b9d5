/**
 * Writes the directory as LDIF content records (RFC 2849), the format `slapadd`, `ldapadd` and
 * `spine-sim sds import-ldif` read: `version: 1`, then one record per entry in tree order (every
 * parent before its children, siblings by normalised RDN — the order the directory index keeps),
 * attribute names in the schema's canonical spelling, user attributes only (the operational ones
 * are computed by whichever directory loads the file), values base64-encoded where RFC 2849 says
 * they must or should be, and lines folded at 76 characters. The same directory always gives the
 * same bytes.
 */
import type { DirectoryEntry } from "../store/store.js";
import { buildDirectoryIndex } from "./directory-index.js";
import { sdsSchema, type Schema } from "./sds-schema.js";

/** The longest physical line written; longer lines are folded (a newline and one space). */
export const ldifLineWidth = 76;

export interface LdifExport {
  readonly text: string;
  readonly entries: number;
  /** What the directory index reported (entries left out, names the schema lacks). */
  readonly warnings: readonly string[];
}

export interface LdifExportOptions {
  readonly schema?: Schema;
  /** Comment lines written after `version: 1` (each prefixed with `# `). */
  readonly comments?: readonly string[];
}

export function exportLdif(entries: readonly DirectoryEntry[], options: LdifExportOptions = {}): LdifExport {
  const schema = options.schema ?? sdsSchema;
  const index = buildDirectoryIndex(entries, { schema });
  const out: string[] = ["version: 1"];
  for (const comment of options.comments ?? []) out.push(...fold(`# ${comment}`));
  for (const entry of index.entries) {
    out.push("");
    out.push(...attributeLines("dn", entry.dn));
    for (const attribute of entry.attributes) {
      if (attribute.type.operational) continue;
      for (const value of attribute.values) out.push(...attributeLines(attribute.type.name, value));
    }
  }
  return { text: `${out.join("\n")}\n`, entries: index.entries.length, warnings: index.warnings };
}

/** `name: value`, or `name:: base64` when the value is not an RFC 2849 SAFE-STRING; folded. */
export function attributeLines(name: string, value: string): string[] {
  const line = isSafeString(value)
    ? `${name}:${value === "" ? "" : ` ${value}`}`
    : `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`;
  return fold(line);
}

/**
 * RFC 2849 SAFE-STRING: ASCII without NUL, LF or CR, not starting with a space, `:` or `<`. A value
 * ending with a space SHOULD be base64 too (note 8), or a reader may strip it.
 */
export function isSafeString(value: string): boolean {
  if (value === "") return true;
  // eslint-disable-next-line no-control-regex
  if (/[^\x01-\x09\x0b\x0c\x0e-\x7f]/.test(value)) return false;
  return !/^[ :<]/.test(value) && !value.endsWith(" ");
}

/** Folds a logical line into physical lines of at most ldifLineWidth characters (all ASCII here). */
function fold(line: string): string[] {
  if (line.length <= ldifLineWidth) return [line];
  const lines = [line.slice(0, ldifLineWidth)];
  for (let at = ldifLineWidth; at < line.length; at += ldifLineWidth - 1)
    lines.push(` ${line.slice(at, at + ldifLineWidth - 1)}`);
  return lines;
}
