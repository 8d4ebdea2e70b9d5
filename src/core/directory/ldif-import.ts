/**
 * Reads LDIF content records (RFC 2849) for `spine-sim sds import-ldif` and POST /_control/sds/ldif,
 * and checks every record against the SDS schema the way OpenLDAP checks an add: known object
 * classes with one structural chain, known attribute types allowed by those classes, every MUST
 * attribute present, SINGLE-VALUE attributes single, no repeated values, the RDN's values present
 * in the entry, values valid for their syntax, and the parent entry either in the directory or in
 * the same file. Every problem is reported with its line; a file with any problem imports nothing.
 */
import type { DirectoryEntry } from "../store/store.js";
import { dnKeyOf, parseDn, type ParsedDn } from "./dn.js";
import { attributeNames, classNames, suggestion, syntaxProblem } from "./ldif-checks.js";
import { sdsSchema, type AttributeType, type ObjectClass, type Schema } from "./sds-schema.js";

export interface LdifProblem {
  readonly line: number;
  readonly message: string;
}

/** A valid record, ready to store: canonical attribute names, values as written. */
export interface CheckedLdifEntry extends DirectoryEntry {
  /** The normalised DN (dn.ts), equal for every spelling of the same name. */
  readonly key: string;
  /** Line of the record's `dn:`. */
  readonly line: number;
}

export interface LdifImportCheck {
  readonly entries: readonly CheckedLdifEntry[];
  readonly problems: readonly LdifProblem[];
}

export interface LdifImportOptions {
  readonly schema?: Schema;
  /** Whether the directory already holds an entry with this normalised DN (for parents). */
  readonly exists: (key: string) => boolean;
}

interface RawValue {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

interface RawRecord {
  readonly line: number;
  readonly dn: string;
  readonly values: RawValue[];
}

const namingContext = "o=nhs";

/** Parses and checks LDIF text; `entries` is empty whenever `problems` is not. */
export function checkLdif(text: string, options: LdifImportOptions): LdifImportCheck {
  const schema = options.schema ?? sdsSchema;
  const problems: LdifProblem[] = [];
  const records = readLdifRecords(text, problems);
  if (records.length === 0 && problems.length === 0)
    problems.push({ line: 1, message: "no entries: the file holds no `dn:` record to import" });
  const checker = new RecordChecker(schema, options.exists, records, problems);
  const entries = records.flatMap((record) => {
    const entry = checker.check(record);
    return entry === undefined ? [] : [entry];
  });
  problems.sort((a, b) => a.line - b.line);
  return { entries: problems.length === 0 ? entries : [], problems };
}

/** Formats problems as `file:line: message`, one per line. */
export function formatLdifProblems(file: string, problems: readonly LdifProblem[]): string[] {
  return problems.map((p) => `${file}:${p.line}: ${p.message}`);
}

// ---- reading: lines → logical lines → records ----

function* logicalLines(text: string): Generator<{ text: string; line: number }> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let buffer: { text: string; line: number } | undefined;
  for (const [index, raw] of lines.entries()) {
    // RFC 2849: a line starting with one space continues the previous one.
    if (raw.startsWith(" ") && buffer !== undefined && buffer.text !== "") {
      buffer.text += raw.slice(1);
      continue;
    }
    if (buffer !== undefined) yield buffer;
    buffer = { text: raw.trim() === "" ? "" : raw, line: index + 1 };
  }
  if (buffer !== undefined) yield buffer;
}

const descriptionPattern = /^([A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)((?:;[A-Za-z0-9-]+)*)$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function readLdifRecords(text: string, problems: LdifProblem[]): RawRecord[] {
  const records: RawRecord[] = [];
  let current: RawRecord | undefined;
  /** Set when a record cannot be read further (a change record): its remaining lines are skipped. */
  let skipping = false;
  let first = true;
  for (const { text: logical, line } of logicalLines(text)) {
    if (logical === "") {
      current = undefined;
      skipping = false;
      continue;
    }
    if (logical.startsWith("#")) continue;
    if (logical.startsWith(" ")) {
      problems.push({
        line,
        message: "a continuation line (starting with a space) with no line before it to continue",
      });
      continue;
    }
    if (skipping) continue;
    const colon = logical.indexOf(":");
    if (colon <= 0) {
      problems.push({
        line,
        message: `expected "attribute: value" (or "attribute:: base64"), got ${JSON.stringify(truncate(logical))}`,
      });
      continue;
    }
    const description = logical.slice(0, colon);
    const isVersion = description.toLowerCase() === "version";
    const value = readValue(logical.slice(colon + 1), description, line, problems);
    if (isVersion && current === undefined && first) {
      first = false;
      if (value !== "1")
        problems.push({ line, message: `LDIF version ${JSON.stringify(value)}: only "version: 1" exists` });
      continue;
    }
    first = false;
    if (current === undefined) {
      if (description.toLowerCase() !== "dn") {
        problems.push({ line, message: `a record must start with "dn:", got "${truncate(description)}:"` });
        skipping = true;
        continue;
      }
      current = { line, dn: (value ?? "").trim(), values: [] };
      records.push(current);
      continue;
    }
    const lower = description.toLowerCase();
    if (lower === "changetype") {
      if (value?.trim().toLowerCase() === "add") continue;
      problems.push({
        line,
        message: `change records (changetype: ${value ?? "?"}) are not imported: give each entry as a content record (dn:, then its attributes)`,
      });
      records.pop();
      current = undefined;
      skipping = true;
      continue;
    }
    if (lower === "control") {
      problems.push({ line, message: "LDIF controls are not supported: remove the control: line" });
      continue;
    }
    if (lower === "dn") {
      problems.push({ line, message: "a second dn: in one record: separate records with a blank line" });
      continue;
    }
    const match = descriptionPattern.exec(description);
    if (match === null) {
      problems.push({ line, message: `${JSON.stringify(truncate(description))} is not an attribute name` });
      continue;
    }
    if ((match[2] ?? "") !== "") {
      problems.push({
        line,
        message: `attribute options (${description}) are not supported: spine-sim stores one text value per attribute name; write ${match[1] ?? ""} without ${match[2] ?? ""}`,
      });
      continue;
    }
    if (value === undefined) continue;
    current.values.push({ name: match[1] ?? description, value, line });
  }
  return records;
}

/** The value after the first colon: ` text`, `: base64` or `< URL`; undefined (with a problem) if unreadable. */
function readValue(
  rest: string,
  description: string,
  line: number,
  problems: LdifProblem[],
): string | undefined {
  if (rest.startsWith("<")) {
    problems.push({
      line,
      message: `URL values (${description}:<) are not read: put the value in the file, base64-encoded with "${description}::" if it is binary`,
    });
    return undefined;
  }
  if (!rest.startsWith(":")) return rest.replace(/^ +/, "");
  const encoded = rest.slice(1).trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    problems.push({ line, message: `the value of ${description}:: is not valid base64` });
    return undefined;
  }
  try {
    return utf8.decode(Buffer.from(encoded, "base64"));
  } catch {
    problems.push({
      line,
      message: `the value of ${description}:: is binary, not UTF-8 text: spine-sim's directory holds text values only`,
    });
    return undefined;
  }
}

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// ---- checking against the schema ----

class RecordChecker {
  private readonly keys = new Map<string, number>();
  private readonly fileKeys = new Set<string>();
  private readonly rootKey: string;

  constructor(
    private readonly schema: Schema,
    private readonly exists: (key: string) => boolean,
    records: readonly RawRecord[],
    private readonly problems: LdifProblem[],
  ) {
    this.rootKey = dnKeyOf(namingContext, schema.avaRules) ?? namingContext;
    for (const record of records) {
      const key = dnKeyOf(record.dn, schema.avaRules);
      if (key !== undefined) this.fileKeys.add(key);
    }
  }

  private problem(line: number, message: string): void {
    this.problems.push({ line, message });
  }

  check(record: RawRecord): CheckedLdifEntry | undefined {
    const before = this.problems.length;
    const parsed = parseDn(record.dn);
    const key = parsed === undefined ? undefined : dnKeyOf(parsed, this.schema.avaRules);
    if (parsed === undefined || key === undefined || parsed.length === 0) {
      this.problem(
        record.line,
        `${JSON.stringify(record.dn)} is not a valid DN: write it as in RFC 4514, e.g. uniqueIdentifier=918999198993,ou=Services,o=nhs`,
      );
    } else {
      this.checkPlace(record, parsed, key);
    }

    // Attribute names → types, values grouped by type in the order first seen.
    const byType = new Map<AttributeType, RawValue[]>();
    for (const raw of record.values) {
      const type = this.schema.attributeType(raw.name);
      if (type === undefined) {
        this.problem(
          raw.line,
          `unknown attribute type ${raw.name}: not in the SDS schema${suggestion(raw.name, attributeNames(this.schema))} (cn=Subschema lists them)`,
        );
        continue;
      }
      if (type.operational) {
        this.problem(
          raw.line,
          `${type.name} is an operational attribute the directory computes: remove it (export with ldapsearch without "+")`,
        );
        continue;
      }
      const list = byType.get(type);
      if (list === undefined) byType.set(type, [raw]);
      else list.push(raw);
    }

    const classes = this.checkObjectClasses(record, byType);
    for (const [type, values] of byType) this.checkValues(type, values);
    if (classes !== undefined) this.checkContent(record, classes, byType);
    if (parsed !== undefined) this.checkRdn(record, parsed, byType);

    if (this.problems.length > before || key === undefined) return undefined;
    const attributes: Record<string, string[]> = {};
    for (const [type, values] of byType) attributes[type.name] = values.map((v) => v.value);
    return {
      dn: record.dn,
      key,
      line: record.line,
      objectClasses: attributes.objectClass ?? [],
      attributes,
    };
  }

  /** Inside o=nhs, not repeated in the file, and with a parent in the directory or the file. */
  private checkPlace(record: RawRecord, parsed: ParsedDn, key: string): void {
    const top = dnKeyOf(parsed.slice(-1), this.schema.avaRules);
    if (top !== this.rootKey) {
      this.problem(
        record.line,
        `${record.dn} is outside ${namingContext}, the directory's only naming context`,
      );
      return;
    }
    const seen = this.keys.get(key);
    if (seen !== undefined) {
      this.problem(record.line, `${record.dn} repeats the entry at line ${seen}: give each DN once`);
    } else {
      this.keys.set(key, record.line);
    }
    if (parsed.length > 1) {
      const parentKey = dnKeyOf(parsed.slice(1), this.schema.avaRules) ?? "";
      if (!this.exists(parentKey) && !this.fileKeys.has(parentKey)) {
        const parentDn = record.dn.slice(record.dn.search(/(?<!\\)[,;]/) + 1).trim();
        this.problem(
          record.line,
          `the parent ${parentDn} of ${record.dn} is neither in the directory nor in this file: add the parent entry to the file`,
        );
      }
    }
  }

  /** Known classes with exactly one structural chain; undefined when the content cannot be checked. */
  private checkObjectClasses(
    record: RawRecord,
    byType: ReadonlyMap<AttributeType, RawValue[]>,
  ): ObjectClass[] | undefined {
    const objectClassType = this.schema.attributeType("objectClass");
    const values = objectClassType === undefined ? undefined : byType.get(objectClassType);
    if (values === undefined || values.length === 0) {
      this.problem(record.line, `${record.dn} has no objectClass: give one, e.g. "objectClass: nhsMhs"`);
      return undefined;
    }
    const classes: ObjectClass[] = [];
    let known = true;
    for (const raw of values) {
      const cls = this.schema.objectClass(raw.value);
      if (cls === undefined) {
        this.problem(
          raw.line,
          `unknown object class ${raw.value}: not in the SDS schema${suggestion(raw.value, classNames(this.schema))}`,
        );
        known = false;
      } else {
        classes.push(cls);
      }
    }
    if (!known) return undefined;
    const structural = classes.filter((c) => c.kind === "STRUCTURAL");
    if (structural.length === 0) {
      this.problem(
        record.line,
        `${record.dn} has no structural object class: add one (nhsAs, nhsMhs, nhsOrg, nhsPerson, organizationalUnit, …)`,
      );
      return undefined;
    }
    // The most specific structural class must descend from every other one listed.
    const deepest = structural.reduce((a, b) => (b.lineage.length > a.lineage.length ? b : a));
    const apart = structural.filter((c) => !deepest.lineage.includes(c));
    if (apart.length > 0) {
      this.problem(
        record.line,
        `object classes ${deepest.name} and ${apart.map((c) => c.name).join(", ")} are structural and not one chain: an entry has one structural class (and its superclasses)`,
      );
      return undefined;
    }
    return classes;
  }

  private checkValues(type: AttributeType, values: readonly RawValue[]): void {
    if (type.singleValue && values.length > 1) {
      const second = values[1] as RawValue;
      this.problem(
        second.line,
        `${type.name} is single-valued (SINGLE-VALUE in the schema) but has ${values.length} values (lines ${values.map((v) => v.line).join(", ")})`,
      );
    }
    const seen = new Map<string, number>();
    for (const raw of values) {
      const invalid = syntaxProblem(type, raw.value);
      if (invalid !== undefined) {
        this.problem(
          raw.line,
          `${JSON.stringify(truncate(raw.value))} is not a valid ${type.name}: ${invalid}`,
        );
        continue;
      }
      const normal = type.normalizeEquality?.(raw.value) ?? raw.value;
      const at = seen.get(normal);
      if (at !== undefined) this.problem(raw.line, `${type.name} repeats the value of line ${at}`);
      else seen.set(normal, raw.line);
    }
  }

  /** MUST attributes present; every attribute allowed by a class (unless extensibleObject). */
  private checkContent(
    record: RawRecord,
    classes: readonly ObjectClass[],
    byType: ReadonlyMap<AttributeType, RawValue[]>,
  ): void {
    const names = classes.map((c) => c.name).join(", ");
    const missing = new Set<AttributeType>();
    for (const cls of classes) for (const must of cls.must) if (!byType.has(must)) missing.add(must);
    for (const type of missing) {
      const requiredBy = classes.filter((c) => c.must.includes(type)).map((c) => c.name);
      this.problem(
        record.line,
        `${record.dn} lacks ${type.name}, which object class ${requiredBy.join(", ")} requires (MUST)`,
      );
    }
    if (classes.some((c) => c.name.toLowerCase() === "extensibleobject")) return;
    const allowed = new Set<AttributeType>(classes.flatMap((c) => [...c.must, ...c.may]));
    for (const [type, values] of byType) {
      if (allowed.has(type)) continue;
      this.problem(
        values[0]?.line ?? record.line,
        `${type.name} is not allowed in an entry of object class ${names}: remove it, or add an object class whose MAY list has it`,
      );
    }
  }

  /** RFC 4512 §2.3: the values the RDN names must be values of the entry. */
  private checkRdn(
    record: RawRecord,
    parsed: ParsedDn,
    byType: ReadonlyMap<AttributeType, RawValue[]>,
  ): void {
    for (const ava of parsed[0] ?? []) {
      const type = this.schema.attributeType(ava.type);
      if (type === undefined) {
        this.problem(record.line, `the DN's naming attribute ${ava.type} is not in the SDS schema`);
        continue;
      }
      const normalize = (v: string): string => type.normalizeEquality?.(v) ?? v;
      const values = byType.get(type) ?? [];
      if (!values.some((v) => normalize(v.value) === normalize(ava.value))) {
        this.problem(
          record.line,
          `the DN names ${type.name}=${ava.value} but the entry has no such value: add "${type.name}: ${ava.value}"`,
        );
      }
    }
  }
}
