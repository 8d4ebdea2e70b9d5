/**
 * The SDS directory prepared for searching, built once per directory version (at start and after
 * each endpoint registration) so that a search does no work that could be done in advance:
 * DNs normalised, entries in a stable tree order with subtree ranges and child lists, attribute
 * names resolved to schema types, values normalised per equality rule, and an equality index
 * (attribute type → value → entries) that turns the equality items of a filter into candidates.
 *
 * Used by the LDAP listener and, in process, by anything that needs SDS look-ups without a round
 * trip (search.ts has the operations).
 */
import { createHash } from "node:crypto";
import type { DirectoryEntry } from "../store/store.js";
import { dnKeyOf, parseDn, type ParsedDn } from "./dn.js";
import type { EqualityIndex } from "./filter-evaluator.js";
import type { IndexedAttribute, IndexedEntry } from "./indexed-entry.js";
import { rootDseAttributes, subschemaAttributes, subschemaDn, type AttributeList } from "./root-dse.js";
import { sdsSchema, type AttributeType, type Schema } from "./sds-schema.js";

/** OpenLDAP's default size limit, applied to searches without the paged results control (L5). */
export const defaultSizeLimit = 500;

export interface DirectoryIndexOptions {
  readonly schema?: Schema;
  /** Increases with each rebuild; reported in logs and the journal. */
  readonly version?: number;
  readonly sizeLimit?: number;
}

export interface DirectoryIndex {
  readonly version: number;
  readonly schema: Schema;
  readonly sizeLimit: number;
  /** Entries in tree order: every parent before its children, siblings by normalised RDN. */
  readonly entries: readonly IndexedEntry[];
  readonly sources: readonly DirectoryEntry[];
  readonly sortKeys: readonly string[];
  /** Position of each entry's parent, or -1 for a top entry (o=nhs) or an entry whose parent is missing. */
  readonly parents: readonly number[];
  /** Exclusive end of each entry's subtree in `entries`. */
  readonly subtreeEnds: readonly number[];
  readonly children: readonly (readonly number[])[];
  readonly byKey: ReadonlyMap<string, number>;
  readonly equality: EqualityIndex;
  readonly rootDse: IndexedEntry;
  readonly subschema: IndexedEntry;
  readonly subschemaKey: string;
  /** Entries left out or attribute names the schema lacks, for the caller to log once. */
  readonly warnings: readonly string[];
}

interface Pending {
  readonly source: DirectoryEntry;
  readonly parsed: ParsedDn;
  readonly rdnKeys: readonly string[];
  readonly key: string;
  readonly sortKey: string;
}

const separator = "\u0000";

export function buildDirectoryIndex(
  entries: readonly DirectoryEntry[],
  options: DirectoryIndexOptions = {},
): DirectoryIndex {
  const schema = options.schema ?? sdsSchema;
  const warnings: string[] = [];
  const pending: Pending[] = [];
  const seen = new Set<string>();
  for (const source of entries) {
    const parsed = parseDn(source.dn);
    if (parsed === undefined || parsed.length === 0) {
      warnings.push(`entry ${JSON.stringify(source.dn)} left out: not a valid DN`);
      continue;
    }
    const rdnKeys = parsed.map((rdn) => dnKeyOf([rdn], schema.avaRules) ?? "");
    const key = rdnKeys.join(",");
    if (seen.has(key)) {
      warnings.push(`entry ${source.dn} left out: another entry already has this DN`);
      continue;
    }
    seen.add(key);
    pending.push({ source, parsed, rdnKeys, key, sortKey: [...rdnKeys].reverse().join(separator) });
  }
  pending.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

  const byKey = new Map(pending.map((p, i) => [p.key, i]));
  const sortKeys = pending.map((p) => p.sortKey);
  const parents = pending.map((p) => byKey.get(p.rdnKeys.slice(1).join(",")) ?? -1);
  const children: number[][] = pending.map(() => []);
  parents.forEach((parent, i) => {
    if (parent >= 0) children[parent]?.push(i);
  });
  const subtreeEnds = sortKeys.map((k, i) => lowerBound(sortKeys, `${k}\u0001`, i + 1));
  for (const p of pending) {
    if (p.rdnKeys.length > 1 && !byKey.has(p.rdnKeys.slice(1).join(","))) {
      warnings.push(`entry ${p.source.dn} has no parent entry; it is found by subtree searches only`);
    }
  }

  const unknownNames = new Set<string>();
  const indexed = pending.map((p, position) => {
    const operational: [string, string[]][] = [
      ["structuralObjectClass", structuralClass(p.source, schema)],
      ["entryDN", [p.source.dn]],
      ["entryUUID", [uuidOf(p.key)]],
      ["subschemaSubentry", [subschemaDn]],
      ["hasSubordinates", [(children[position]?.length ?? 0) > 0 ? "TRUE" : "FALSE"]],
    ];
    const stored = storedAttributes(p.source);
    for (const [name] of stored) if (schema.attributeType(name) === undefined) unknownNames.add(name);
    return indexEntry(p.source.dn, p.key, position, p.parsed[0] ?? [], [...stored, ...operational], schema);
  });
  if (unknownNames.size > 0) {
    warnings.push(
      `attribute names not in the SDS schema (served, but never matched by filters): ${[...unknownNames].join(", ")}`,
    );
  }

  const equality = new Map<string, Map<string, number[]>>();
  for (const entry of indexed) {
    for (const attribute of entry.attributes) {
      if (attribute.equalityKeys.size === 0) continue;
      let byValue = equality.get(attribute.type.oid);
      if (byValue === undefined) equality.set(attribute.type.oid, (byValue = new Map<string, number[]>()));
      for (const value of attribute.equalityKeys) {
        const positions = byValue.get(value);
        if (positions === undefined) byValue.set(value, [entry.position]);
        else if (positions[positions.length - 1] !== entry.position) positions.push(entry.position);
      }
    }
  }

  const subschemaKey = schema.normalizeDn(subschemaDn) ?? "cn=subschema";
  return {
    version: options.version ?? 1,
    schema,
    sizeLimit: options.sizeLimit ?? defaultSizeLimit,
    entries: indexed,
    sources: pending.map((p) => p.source),
    sortKeys,
    parents,
    subtreeEnds,
    children,
    byKey,
    equality,
    rootDse: indexEntry("", "", -1, [], rootDseAttributes(), schema),
    subschema: indexEntry(
      subschemaDn,
      subschemaKey,
      -1,
      [{ type: "cn", value: "Subschema" }],
      subschemaAttributes(schema),
      schema,
    ),
    subschemaKey,
    warnings,
  };
}

const objectClassOid = "2.5.4.0";

/** The stored attributes with objectClass first, taken from `objectClasses` if the attributes lack it. */
function storedAttributes(entry: DirectoryEntry): [string, readonly string[]][] {
  const attributes = Object.entries(entry.attributes);
  if (!attributes.some(([name]) => name.toLowerCase() === "objectclass")) {
    attributes.unshift(["objectClass", entry.objectClasses]);
  }
  return attributes;
}

function indexEntry(
  dn: string,
  key: string,
  position: number,
  rdn: readonly { type: string; value: string }[],
  attributes: AttributeList,
  schema: Schema,
): IndexedEntry {
  // Merge spellings of one type (nhsMhsPartyKey / nhsMHSPartyKey) and drop repeated values.
  const merged = new Map<AttributeType, Set<string>>();
  for (const [name, values] of attributes) {
    if (values.length === 0) continue;
    const type = schema.storedAttributeType(name);
    let set = merged.get(type);
    if (set === undefined) merged.set(type, (set = new Set()));
    for (const v of values) set.add(v);
  }
  const list: IndexedAttribute[] = [];
  for (const [type, set] of merged) {
    const values = [...set];
    list.push({
      type,
      values,
      result: { name: type.name, values },
      typeOnly: { name: type.name, values: [] },
      equalityKeys: equalityKeys(type, values, schema),
      substringValues:
        type.normalizeSubstrings === undefined
          ? undefined
          : values.map((v) => type.normalizeSubstrings?.(v) ?? v),
    });
  }
  // User attributes first, in stored order; then operational ones.
  list.sort((a, b) => Number(a.type.operational) - Number(b.type.operational));
  return { dn, key, position, attributes: list, byOid: new Map(list.map((a) => [a.type.oid, a])), rdn };
}

function equalityKeys(type: AttributeType, values: readonly string[], schema: Schema): Set<string> {
  const keys = new Set<string>();
  if (type.oid === objectClassOid) {
    // objectClass equality also matches superclasses: (objectClass=person) selects an nhsPerson.
    for (const v of values) {
      const cls = schema.objectClass(v);
      if (cls === undefined) keys.add(v.toLowerCase());
      else for (const c of cls.lineage) keys.add(c.oid);
    }
    return keys;
  }
  const normalize = type.normalizeEquality;
  if (normalize === undefined) return keys;
  for (const v of values) {
    const k = normalize(v);
    if (k !== undefined) keys.add(k);
  }
  return keys;
}

function structuralClass(entry: DirectoryEntry, schema: Schema): string[] {
  let best: { name: string; depth: number } | undefined;
  for (const name of entry.objectClasses) {
    const cls = schema.objectClass(name);
    if (cls?.kind !== "STRUCTURAL") continue;
    if (best === undefined || cls.lineage.length > best.depth)
      best = { name: cls.name, depth: cls.lineage.length };
  }
  return best === undefined ? [] : [best.name];
}

/** A stable name-based UUID (version 5 layout) so entryUUID is the same on every start. */
function uuidOf(key: string): string {
  const h = createHash("sha1").update(`spine-sim:sds:${key}`).digest("hex");
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** First index in `sorted` at or after `from` whose value is not below `value`. */
export function lowerBound(sorted: readonly string[], value: string, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? "") < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
