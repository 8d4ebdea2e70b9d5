/**
 * Evaluates search filters as OpenLDAP does (RFC 4511 §4.5.1.7): three-valued logic, attribute
 * names resolved case-insensitively through the schema, each item matched with its attribute's own
 * rule. An unknown attribute, a missing rule (no EQUALITY, no SUBSTR, no ORDERING) or an assertion
 * value invalid for the rule makes the item Undefined — which never selects an entry, and stays
 * Undefined under NOT (reference sds-ldap.md §5).
 *
 * A filter is compiled once per search: names resolved and assertion values normalised up front,
 * and the equality items of an AND/OR turned into candidate lists from the equality index.
 */
import type { Filter } from "./filter.js";
import type { IndexedAttribute, IndexedEntry } from "./indexed-entry.js";
import { equalityNormalizer, matchesSubstrings, type Normalizer } from "./matching-rules.js";
import type { AttributeType, Schema } from "./sds-schema.js";

export const TRUE = 1;
export const FALSE = 0;
export const UNDEFINED = 2;
export type Tri = typeof TRUE | typeof FALSE | typeof UNDEFINED;

/** attribute type OID → normalised value → positions of the entries holding it, ascending. */
export type EqualityIndex = ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;

export interface CompiledFilter {
  evaluate(entry: IndexedEntry): Tri;
  /**
   * Ascending positions of every entry for which the filter may be TRUE, or undefined when the
   * filter cannot narrow the search (every entry in scope must then be evaluated).
   */
  candidates(index: EqualityIndex): readonly number[] | undefined;
}

const always = (value: Tri): CompiledFilter => ({
  evaluate: () => value,
  // A filter that is never TRUE selects nothing; one that is always TRUE cannot narrow.
  candidates: () => (value === TRUE ? undefined : []),
});

function attributesOf(entry: IndexedEntry, type: AttributeType): IndexedAttribute[] {
  const found: IndexedAttribute[] = [];
  for (const t of type.subtypes) {
    const attribute = entry.byOid.get(t.oid);
    if (attribute !== undefined) found.push(attribute);
  }
  return found;
}

export function compileFilter(filter: Filter, schema: Schema): CompiledFilter {
  switch (filter.type) {
    case "and": {
      const parts = filter.filters.map((f) => compileFilter(f, schema));
      return {
        evaluate(entry) {
          let result: Tri = TRUE;
          for (const part of parts) {
            const r = part.evaluate(entry);
            if (r === FALSE) return FALSE;
            if (r === UNDEFINED) result = UNDEFINED;
          }
          return result;
        },
        candidates(index) {
          let best: readonly number[] | undefined;
          for (const part of parts) {
            const c = part.candidates(index);
            if (c !== undefined && (best === undefined || c.length < best.length)) best = c;
          }
          return best;
        },
      };
    }
    case "or": {
      const parts = filter.filters.map((f) => compileFilter(f, schema));
      return {
        evaluate(entry) {
          let result: Tri = FALSE;
          for (const part of parts) {
            const r = part.evaluate(entry);
            if (r === TRUE) return TRUE;
            if (r === UNDEFINED) result = UNDEFINED;
          }
          return result;
        },
        candidates(index) {
          const lists: (readonly number[])[] = [];
          for (const part of parts) {
            const c = part.candidates(index);
            if (c === undefined) return undefined;
            lists.push(c);
          }
          return union(lists);
        },
      };
    }
    case "not": {
      const inner = compileFilter(filter.filter, schema);
      return {
        evaluate(entry) {
          const r = inner.evaluate(entry);
          return r === UNDEFINED ? UNDEFINED : r === TRUE ? FALSE : TRUE;
        },
        candidates: () => undefined,
      };
    }
    case "present": {
      const type = schema.attributeType(filter.attribute);
      if (type === undefined) return always(UNDEFINED);
      return {
        evaluate: (entry) => (type.subtypes.some((t) => entry.byOid.has(t.oid)) ? TRUE : FALSE),
        candidates: () => undefined,
      };
    }
    case "equality":
    case "approx": // no approximate rules in the SDS schema: OpenLDAP then falls back to equality
      return compileEquality(filter.attribute, filter.value, schema);
    case "substrings":
      return compileSubstrings(filter, schema);
    case "greaterOrEqual":
    case "lessOrEqual": {
      const type = schema.attributeType(filter.attribute);
      const compare = type?.compareOrdering;
      if (type === undefined || compare === undefined) return always(UNDEFINED);
      const wanted = filter.type === "greaterOrEqual" ? 1 : -1;
      return {
        evaluate(entry) {
          let result: Tri = FALSE;
          for (const attribute of attributesOf(entry, type)) {
            for (const value of attribute.values) {
              const c = compare(value, filter.value);
              if (c === undefined) result = UNDEFINED;
              else if (c === 0 || Math.sign(c) === wanted) return TRUE;
            }
          }
          return result;
        },
        candidates: () => undefined,
      };
    }
    case "extensible":
      return compileExtensible(filter, schema);
  }
}

function compileEquality(attribute: string, value: string, schema: Schema): CompiledFilter {
  const type = schema.attributeType(attribute);
  const normalize = type?.normalizeEquality;
  if (type === undefined || normalize === undefined) return always(UNDEFINED);
  const assertion = normalize(value);
  if (assertion === undefined) return always(UNDEFINED);
  return {
    evaluate(entry) {
      for (const t of type.subtypes) {
        if (entry.byOid.get(t.oid)?.equalityKeys.has(assertion) === true) return TRUE;
      }
      return FALSE;
    },
    candidates(index) {
      const lists: (readonly number[])[] = [];
      for (const t of type.subtypes) {
        const positions = index.get(t.oid)?.get(assertion);
        if (positions !== undefined) lists.push(positions);
      }
      return union(lists);
    },
  };
}

function compileSubstrings(filter: Extract<Filter, { type: "substrings" }>, schema: Schema): CompiledFilter {
  const type = schema.attributeType(filter.attribute);
  const normalize = type?.normalizeSubstrings;
  if (type === undefined || normalize === undefined) return always(UNDEFINED);
  const piece = (p: string | undefined): string | undefined => (p === undefined ? undefined : normalize(p));
  const pieces = {
    initial: piece(filter.initial),
    any: filter.any.map((p) => normalize(p) ?? p),
    final: piece(filter.final),
  };
  return {
    evaluate(entry) {
      for (const attribute of attributesOf(entry, type)) {
        const values = attribute.substringValues ?? attribute.values.map((v) => normalize(v) ?? v);
        if (values.some((v) => matchesSubstrings(v, pieces))) return TRUE;
      }
      return FALSE;
    },
    candidates: () => undefined,
  };
}

function compileExtensible(filter: Extract<Filter, { type: "extensible" }>, schema: Schema): CompiledFilter {
  const type = filter.attribute === undefined ? undefined : schema.attributeType(filter.attribute);
  if (filter.attribute !== undefined && type === undefined) return always(UNDEFINED);
  let normalize: Normalizer | undefined;
  if (filter.rule === undefined) normalize = type?.normalizeEquality;
  else {
    const ruleName = schema.matchingRuleName(filter.rule);
    normalize = ruleName === undefined ? undefined : equalityNormalizer(ruleName, schema);
  }
  if (normalize === undefined) return always(UNDEFINED);
  const assertion = normalize(filter.value);
  if (assertion === undefined) return always(UNDEFINED);
  const test = (values: readonly string[]): boolean => values.some((v) => normalize(v) === assertion);
  return {
    evaluate(entry) {
      const attributes =
        type === undefined ? entry.attributes.filter((a) => !a.type.operational) : attributesOf(entry, type);
      if (attributes.some((a) => test(a.values))) return TRUE;
      if (filter.dnAttributes) {
        const values = entry.rdn
          .filter((ava) => type === undefined || type.subtypes.includes(schema.storedAttributeType(ava.type)))
          .map((ava) => ava.value);
        if (test(values)) return TRUE;
      }
      return FALSE;
    },
    candidates: () => undefined,
  };
}

/** Sorted, duplicate-free union of ascending position lists. */
function union(lists: readonly (readonly number[])[]): readonly number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0] ?? [];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}
