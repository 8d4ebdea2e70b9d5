/**
 * Value checks for LDIF import: RFC 4517 syntaxes of the attribute types SDS data uses, and
 * "did you mean" suggestions for misspelt attribute and object class names.
 */
import { parseDn } from "./dn.js";
import { parseAttributeType, parseObjectClass } from "./schema-definitions.js";
import type { AttributeType, Schema } from "./sds-schema.js";

const syntaxes = {
  directoryString: "1.3.6.1.4.1.1466.115.121.1.15",
  ia5String: "1.3.6.1.4.1.1466.115.121.1.26",
  integer: "1.3.6.1.4.1.1466.115.121.1.27",
  boolean: "1.3.6.1.4.1.1466.115.121.1.7",
  dn: "1.3.6.1.4.1.1466.115.121.1.12",
  numericString: "1.3.6.1.4.1.1466.115.121.1.36",
  printableString: "1.3.6.1.4.1.1466.115.121.1.44",
  generalizedTime: "1.3.6.1.4.1.1466.115.121.1.24",
  oid: "1.3.6.1.4.1.1466.115.121.1.38",
  postalAddress: "1.3.6.1.4.1.1466.115.121.1.41",
  telephoneNumber: "1.3.6.1.4.1.1466.115.121.1.50",
} as const;

/** Syntaxes whose values are binary: not importable as text. */
const binarySyntaxes = new Set([
  "1.3.6.1.4.1.1466.115.121.1.4", // Audio
  "1.3.6.1.4.1.1466.115.121.1.5", // Binary
  "1.3.6.1.4.1.1466.115.121.1.8", // Certificate
  "1.3.6.1.4.1.1466.115.121.1.9", // Certificate List
  "1.3.6.1.4.1.1466.115.121.1.10", // Certificate Pair
  "1.3.6.1.4.1.1466.115.121.1.23", // Fax
  "1.3.6.1.4.1.1466.115.121.1.28", // JPEG
]);

export function syntaxProblem(type: AttributeType, value: string): string | undefined {
  const syntax = type.syntax;
  if (syntax === undefined) return undefined;
  if (binarySyntaxes.has(syntax)) return "a binary attribute; spine-sim's directory holds text values only";
  switch (syntax) {
    case syntaxes.directoryString:
    case syntaxes.postalAddress:
    case syntaxes.telephoneNumber:
      return value.trim() === "" ? "an empty value (the syntax needs at least one character)" : undefined;
    case syntaxes.ia5String:
      // eslint-disable-next-line no-control-regex
      return /^[\x00-\x7f]*$/.test(value) ? undefined : "IA5 strings are ASCII only";
    case syntaxes.integer:
      return /^-?(?:0|[1-9]\d*)$/.test(value) ? undefined : "not an integer (digits, no leading zeros)";
    case syntaxes.boolean:
      return value === "TRUE" || value === "FALSE" ? undefined : "a boolean is TRUE or FALSE";
    case syntaxes.dn:
      return parseDn(value) === undefined ? "not a valid DN (RFC 4514)" : undefined;
    case syntaxes.numericString:
      return /^[\d ]+$/.test(value) ? undefined : "a numeric string holds digits and spaces only";
    case syntaxes.printableString:
      return /^[A-Za-z0-9'()+,./:? =-]+$/.test(value) ? undefined : "not a printable string (RFC 4517 §3.2)";
    case syntaxes.generalizedTime:
      return /^\d{10}(?:\d{2}(?:\d{2})?)?(?:[.,]\d+)?(?:Z|[+-]\d{2}(?:\d{2})?)$/.test(value)
        ? undefined
        : "a generalized time is YYYYMMDDHH[MM[SS]][.f] with Z or an offset, e.g. 20240101000000Z";
    case syntaxes.oid:
      return /^(?:\d+(?:\.\d+)+|[A-Za-z][A-Za-z0-9-]*)$/.test(value)
        ? undefined
        : "not an OID or a descriptor";
    default:
      return undefined;
  }
}

// ---- suggestions for misspelt names ----

const nameLists = new WeakMap<Schema, { attributes: string[]; classes: string[] }>();

function lists(schema: Schema): { attributes: string[]; classes: string[] } {
  let found = nameLists.get(schema);
  if (found === undefined) {
    found = {
      attributes: schema.source.attributeTypes.flatMap((t) => parseAttributeType(t).names),
      classes: schema.source.objectClasses.flatMap((c) => parseObjectClass(c).names),
    };
    nameLists.set(schema, found);
  }
  return found;
}

export const attributeNames = (schema: Schema): string[] => lists(schema).attributes;
export const classNames = (schema: Schema): string[] => lists(schema).classes;

/** ` (did you mean X?)` for the closest name within two edits, else "". */
export function suggestion(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase(), 2);
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best === undefined ? "" : ` (did you mean ${best.name}?)`;
}

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
