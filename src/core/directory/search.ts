/**
 * Search and compare over a DirectoryIndex, with the outcomes an LDAP server reports: the entries
 * (attribute names in canonical schema spelling), a status and its message. No protocol code here;
 * the LDAP listener maps statuses to result codes (servers/ldap/ldap-errors.ts).
 *
 * Order of work in search: base DN → filter → attribute selection → scope (base / one / sub,
 * applied here, not by ldapjs) → candidates from the equality index → filter evaluation →
 * size limit or page → entries.
 */
import { selectAttributes, type AttributeSelection } from "./attribute-selection.js";
import { dnKeyOf, parseDn } from "./dn.js";
import type { DirectoryIndex } from "./directory-index.js";
import { lowerBound } from "./directory-index.js";
import { compileFilter, TRUE, type CompiledFilter } from "./filter-evaluator.js";
import { FilterSyntaxError, formatFilter, parseFilter, type Filter } from "./filter.js";
import type { IndexedEntry, ResultAttribute } from "./indexed-entry.js";
import { decodeCookie, encodeCookie, searchFingerprint } from "./paged-results.js";
import type { Schema } from "./sds-schema.js";

export type SearchScope = "base" | "one" | "sub";

export interface DirectorySearch {
  readonly base: string;
  readonly scope: SearchScope;
  /** A parsed filter, or its RFC 4515 string form. */
  readonly filter: Filter | string;
  /** Requested attributes as the client wrote them; empty means all user attributes. */
  readonly attributes?: readonly string[];
  readonly typesOnly?: boolean;
  /** The client's size limit; 0 or absent means none (the server limit still applies). */
  readonly sizeLimit?: number;
  /** The paged results control, when the client sent one. */
  readonly paged?: { readonly size: number; readonly cookie: string };
}

export type SearchStatus =
  | "success"
  | "noSuchObject"
  | "sizeLimitExceeded"
  | "invalidDnSyntax"
  | "protocolError"
  | "unwillingToPerform";

export type { ResultAttribute } from "./indexed-entry.js";

export interface SearchResultEntry {
  readonly dn: string;
  readonly attributes: readonly ResultAttribute[];
}

export interface SearchOutcome {
  readonly status: SearchStatus;
  /** Diagnostic text for the client; empty on success. */
  readonly message: string;
  /** For noSuchObject: the deepest existing entry above the base, as stored. */
  readonly matchedDn: string;
  readonly entries: readonly SearchResultEntry[];
  /** The paged results response value, when the request was paged. */
  readonly paged?: { readonly size: number; readonly cookie: string };
}

const outcome = (status: SearchStatus, message: string, matchedDn = ""): SearchOutcome => ({
  status,
  message,
  matchedDn,
  entries: [],
});

/**
 * Normalised search bases, per schema. Clients send the same few bases (`ou=services,o=nhs`) over
 * and over; normalising one costs more than the rest of a route look-up. Bounded: cleared when full.
 */
const baseKeys = new WeakMap<Schema, Map<string, string | null>>();

function baseKeyOf(schema: Schema, base: string): string | undefined {
  let cache = baseKeys.get(schema);
  if (cache === undefined) baseKeys.set(schema, (cache = new Map<string, string | null>()));
  let key = cache.get(base);
  if (key === undefined) {
    const parsed = parseDn(base);
    key = parsed === undefined ? null : (dnKeyOf(parsed, schema.avaRules) ?? null);
    if (cache.size >= 1000) cache.clear();
    cache.set(base, key);
  }
  return key ?? undefined;
}

export function searchDirectory(index: DirectoryIndex, request: DirectorySearch): SearchOutcome {
  const baseKey = baseKeyOf(index.schema, request.base);
  if (baseKey === undefined) {
    return outcome("invalidDnSyntax", `invalid DN ${JSON.stringify(request.base)}`);
  }
  let filter: Filter;
  try {
    filter = typeof request.filter === "string" ? parseFilter(request.filter) : request.filter;
  } catch (error) {
    if (error instanceof FilterSyntaxError) return outcome("protocolError", error.message);
    throw error;
  }
  const compiled = compileFilter(filter, index.schema);
  const selection = selectAttributes(request.attributes ?? [], index.schema);
  const typesOnly = request.typesOnly === true;

  // The root DSE and cn=Subschema sit outside the o=nhs tree.
  if (baseKey === "" || baseKey === index.subschemaKey) {
    const special = baseKey === "" ? index.rootDse : index.subschema;
    if (baseKey === "" && request.scope !== "base") {
      return outcome(
        "noSuchObject",
        "the root DSE is read with a base-scope search; search o=nhs for entries",
      );
    }
    const hit = request.scope !== "one" && compiled.evaluate(special) === TRUE;
    return { ...outcome("success", ""), entries: hit ? [materialize(special, selection, typesOnly)] : [] };
  }

  const base = index.byKey.get(baseKey);
  if (base === undefined) {
    return outcome(
      "noSuchObject",
      `no entry ${request.base}; the directory serves o=nhs`,
      matchedDnOf(index, baseKey),
    );
  }

  const matches = matchPositions(index, base, request.scope, compiled);
  if (request.paged !== undefined) {
    return page(index, request, baseKey, filter, matches, selection, typesOnly);
  }
  const clientLimit = request.sizeLimit !== undefined && request.sizeLimit > 0 ? request.sizeLimit : Infinity;
  const limit = Math.min(index.sizeLimit, clientLimit);
  const exceeded = matches.length > limit;
  const returned = exceeded ? matches.slice(0, limit) : matches;
  return {
    ...outcome(
      exceeded ? "sizeLimitExceeded" : "success",
      exceeded
        ? `size limit of ${limit} entries exceeded; use the paged results control (1.2.840.113556.1.4.319) to read more`
        : "",
    ),
    entries: returned.map((p) => materialize(index.entries[p] as IndexedEntry, selection, typesOnly)),
  };
}

/** Ascending positions of the entries in scope for which the filter is TRUE. */
function matchPositions(
  index: DirectoryIndex,
  base: number,
  scope: SearchScope,
  filter: CompiledFilter,
): number[] {
  const end = index.subtreeEnds[base] ?? base + 1;
  const inScope =
    scope === "base"
      ? (p: number) => p === base
      : scope === "one"
        ? (p: number) => index.parents[p] === base
        : (p: number) => p >= base && p < end;
  const candidates = filter.candidates(index.equality);
  const out: number[] = [];
  const test = (p: number): void => {
    if (filter.evaluate(index.entries[p] as IndexedEntry) === TRUE) out.push(p);
  };
  if (candidates !== undefined) {
    for (const p of candidates) if (inScope(p)) test(p);
  } else if (scope === "base") {
    test(base);
  } else if (scope === "one") {
    for (const p of index.children[base] ?? []) test(p);
  } else {
    for (let p = base; p < end; p++) test(p);
  }
  return out;
}

function page(
  index: DirectoryIndex,
  request: DirectorySearch,
  baseKey: string,
  filter: Filter,
  matches: readonly number[],
  selection: AttributeSelection,
  typesOnly: boolean,
): SearchOutcome {
  const paged = request.paged ?? { size: 0, cookie: "" };
  const fingerprint = searchFingerprint(baseKey, request.scope, formatFilter(filter));
  let returned = 0;
  let start = 0;
  if (paged.cookie !== "") {
    const cursor = decodeCookie(paged.cookie);
    if (cursor === undefined) return outcome("protocolError", "paged results cookie is invalid");
    if (cursor.fingerprint !== fingerprint) {
      return outcome(
        "unwillingToPerform",
        "paged results cookie is invalid or old: it belongs to a search with another base, scope or filter",
      );
    }
    returned = cursor.returned;
    const keys = matches.map((p) => index.sortKeys[p] ?? "");
    // The first key after afterKey: no key lies between afterKey and afterKey + "\0".
    start = lowerBound(keys, `${cursor.afterKey}\u0000`);
    if (paged.size === 0) {
      // RFC 2696 §3: a size of zero with a cookie abandons the paged search.
      return { ...outcome("success", ""), paged: { size: 0, cookie: "" } };
    }
  } else if (paged.size === 0) {
    return { ...outcome("success", ""), paged: { size: matches.length, cookie: "" } };
  }
  const remaining = matches.slice(start);
  const clientLimit = request.sizeLimit !== undefined && request.sizeLimit > 0 ? request.sizeLimit : Infinity;
  const allowed = Math.max(0, clientLimit - returned);
  let pageSize = Math.min(paged.size, remaining.length);
  let status: SearchStatus = "success";
  let message = "";
  if (pageSize > allowed) {
    pageSize = allowed;
    status = "sizeLimitExceeded";
    message = `size limit of ${clientLimit} entries (the search request's own limit) exceeded`;
  }
  const positions = remaining.slice(0, pageSize);
  const last = positions[positions.length - 1];
  const more = status === "success" && remaining.length > pageSize && last !== undefined;
  return {
    ...outcome(status, message),
    entries: positions.map((p) => materialize(index.entries[p] as IndexedEntry, selection, typesOnly)),
    paged: {
      size: matches.length,
      cookie: more
        ? encodeCookie({ fingerprint, returned: returned + pageSize, afterKey: index.sortKeys[last] ?? "" })
        : "",
    },
  };
}

function materialize(
  entry: IndexedEntry,
  selection: AttributeSelection,
  typesOnly: boolean,
): SearchResultEntry {
  const attributes: ResultAttribute[] = [];
  for (const attribute of entry.attributes) {
    if (selection.includes(attribute)) {
      attributes.push(typesOnly ? attribute.typeOnly : attribute.result);
    }
  }
  return { dn: entry.dn, attributes };
}

/** The stored DN of the deepest existing ancestor of a missing entry (RFC 4511 §4.1.9 matchedDN). */
function matchedDnOf(index: DirectoryIndex, key: string): string {
  const rdns = splitKey(key);
  for (let i = 1; i < rdns.length; i++) {
    const position = index.byKey.get(rdns.slice(i).join(","));
    if (position !== undefined) return index.entries[position]?.dn ?? "";
  }
  return "";
}

/** Splits a normalised DN at its unescaped commas. */
function splitKey(key: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < key.length; i++) {
    const c = key[i] ?? "";
    if (c === "\\") {
      current += c + (key[i + 1] ?? "");
      i++;
    } else if (c === ",") {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

export interface DirectoryCompare {
  readonly dn: string;
  readonly attribute: string;
  readonly value: string;
}

export type CompareStatus =
  | "compareTrue"
  | "compareFalse"
  | "noSuchObject"
  | "invalidDnSyntax"
  | "noSuchAttribute"
  | "undefinedAttributeType"
  | "inappropriateMatching";

export interface CompareOutcome {
  readonly status: CompareStatus;
  readonly message: string;
  readonly matchedDn: string;
}

/** RFC 4511 §4.10, as OpenLDAP answers it. */
export function compareDirectory(index: DirectoryIndex, request: DirectoryCompare): CompareOutcome {
  const key = index.schema.normalizeDn(request.dn);
  if (key === undefined)
    return { status: "invalidDnSyntax", message: `invalid DN ${JSON.stringify(request.dn)}`, matchedDn: "" };
  const position = index.byKey.get(key);
  const entry =
    key === ""
      ? index.rootDse
      : key === index.subschemaKey
        ? index.subschema
        : position === undefined
          ? undefined
          : index.entries[position];
  if (entry === undefined)
    return { status: "noSuchObject", message: `no entry ${request.dn}`, matchedDn: matchedDnOf(index, key) };
  const type = index.schema.attributeType(request.attribute);
  if (type === undefined) {
    return {
      status: "undefinedAttributeType",
      message: `attribute type ${request.attribute} is not in the SDS schema`,
      matchedDn: "",
    };
  }
  const normalize = type.normalizeEquality;
  if (normalize === undefined) {
    return {
      status: "inappropriateMatching",
      message: `${type.name} has no equality matching rule`,
      matchedDn: "",
    };
  }
  const attributes = type.subtypes.flatMap((t) => {
    const a = entry.byOid.get(t.oid);
    return a === undefined ? [] : [a];
  });
  if (attributes.length === 0) return { status: "noSuchAttribute", message: "", matchedDn: "" };
  const assertion = normalize(request.value);
  const hit = assertion !== undefined && attributes.some((a) => a.equalityKeys.has(assertion));
  return { status: hit ? "compareTrue" : "compareFalse", message: "", matchedDn: "" };
}
