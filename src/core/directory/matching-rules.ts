/**
 * The matching rules the SDS schema names (RFC 4517), reduced to what a read-only directory needs:
 * a normaliser per equality rule (two values match when their normal forms are equal), a
 * normaliser per substrings rule, and a comparator per ordering rule. A rule missing here behaves
 * as on OpenLDAP for an attribute without that rule: the filter item is Undefined.
 *
 * String preparation follows RFC 4518 closely enough for directory data: Unicode NFKC, leading and
 * trailing spaces dropped, inner runs of spaces folded to one, and case folded for the caseIgnore
 * family.
 */

/** Returns the value's normal form, or undefined when the value is not valid for the rule. */
export type Normalizer = (value: string) => string | undefined;
/** Negative, zero or positive; undefined when either value is not valid for the rule. */
export type Comparator = (a: string, b: string) => number | undefined;

/** What a rule may need from the schema it belongs to. */
export interface RuleContext {
  /** The OID for a numeric OID or a known descriptor (object class, attribute type, …). */
  oidOf(nameOrOid: string): string | undefined;
  /** The normal form of a DN, or undefined when it is not a valid DN. */
  normalizeDn(dn: string): string | undefined;
}

const spaces = /[\s\u00a0]+/g;

function prepare(value: string): string {
  return value.normalize("NFKC").replace(spaces, " ").trim();
}

const caseExact: Normalizer = (v) => prepare(v);
const caseIgnore: Normalizer = (v) => prepare(v).toLowerCase();
const caseIgnoreList: Normalizer = (v) =>
  v
    .split("$")
    .map((line) => caseIgnore(line) ?? "")
    .join("$");
const numericString: Normalizer = (v) => (/^[\d ]*$/.test(v) ? v.replace(/ /g, "") : undefined);
const telephoneNumber: Normalizer = (v) => prepare(v).replace(/[\s-]/g, "").toLowerCase();
const integer: Normalizer = (v) => (/^\s*-?\d+\s*$/.test(v) ? BigInt(v.trim()).toString() : undefined);
const boolean: Normalizer = (v) => (v === "TRUE" || v === "FALSE" ? v : undefined);
const octetString: Normalizer = (v) => v;
const generalizedTime: Normalizer = (v) =>
  /^\d{10,14}(?:[.,]\d+)?(?:Z|[+-]\d{2,4})$/.test(v.trim()) ? v.trim() : undefined;

/** The equality normaliser for a rule, or undefined when the rule is unknown or unsupported. */
export function equalityNormalizer(rule: string, context: RuleContext): Normalizer | undefined {
  switch (rule.toLowerCase()) {
    case "caseexactmatch":
    case "caseexactia5match":
      return caseExact;
    case "caseignorematch":
    case "caseignoreia5match":
      return caseIgnore;
    case "caseignorelistmatch":
      return caseIgnoreList;
    case "numericstringmatch":
      return numericString;
    case "telephonenumbermatch":
      return telephoneNumber;
    case "integermatch":
      return integer;
    case "booleanmatch":
      return boolean;
    case "octetstringmatch":
    case "bitstringmatch":
      return octetString;
    case "generalizedtimematch":
      return generalizedTime;
    case "uuidmatch":
      return (v) => v.trim().toLowerCase();
    case "objectidentifiermatch":
      return (v) => context.oidOf(v.trim());
    case "distinguishednamematch":
    case "uniquemembermatch":
      return (v) => context.normalizeDn(v);
    default:
      return undefined;
  }
}

/** The normaliser a substrings rule applies to values and to each assertion piece. */
export function substringsNormalizer(rule: string): Normalizer | undefined {
  switch (rule.toLowerCase()) {
    case "caseexactsubstringsmatch":
    case "caseexactia5substringsmatch":
      return (v) => v.normalize("NFKC").replace(spaces, " ");
    case "caseignoresubstringsmatch":
    case "caseignoreia5substringsmatch":
    case "caseignorelistsubstringsmatch":
      return (v) => v.normalize("NFKC").replace(spaces, " ").toLowerCase();
    case "numericstringsubstringsmatch":
      return (v) => v.replace(/ /g, "");
    case "telephonenumbersubstringsmatch":
      return (v) => v.replace(/[\s-]/g, "").toLowerCase();
    case "octetstringsubstringsmatch":
      return (v) => v;
    default:
      return undefined;
  }
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byNormalForm(normalize: Normalizer): Comparator {
  return (a, b) => {
    const x = normalize(a);
    const y = normalize(b);
    return x === undefined || y === undefined ? undefined : compareStrings(x, y);
  };
}

/** The comparator for an ordering rule, or undefined when the rule is unknown or unsupported. */
export function orderingComparator(rule: string): Comparator | undefined {
  switch (rule.toLowerCase()) {
    case "caseexactorderingmatch":
      return byNormalForm(caseExact);
    case "caseignoreorderingmatch":
      return byNormalForm(caseIgnore);
    case "numericstringorderingmatch":
      return (a, b) => {
        const x = numericString(a);
        const y = numericString(b);
        if (x === undefined || y === undefined) return undefined;
        return x.length - y.length || compareStrings(x, y);
      };
    case "integerorderingmatch":
      return (a, b) => {
        const x = integer(a);
        const y = integer(b);
        if (x === undefined || y === undefined) return undefined;
        const d = BigInt(x) - BigInt(y);
        return d < 0n ? -1 : d > 0n ? 1 : 0;
      };
    case "generalizedtimeorderingmatch":
      return byNormalForm(generalizedTime);
    case "octetstringorderingmatch":
      return (a, b) => compareStrings(a, b);
    case "uuidorderingmatch":
      return byNormalForm((v) => v.trim().toLowerCase());
    default:
      return undefined;
  }
}

/**
 * RFC 4511 §4.5.1.7.2: initial, then each any piece in order without overlap, then final, all
 * against the value's normal form. Pieces are normalised by the caller.
 */
export function matchesSubstrings(
  value: string,
  pieces: {
    readonly initial?: string | undefined;
    readonly any: readonly string[];
    readonly final?: string | undefined;
  },
): boolean {
  let from = 0;
  let to = value.length;
  if (pieces.initial !== undefined) {
    if (!value.startsWith(pieces.initial)) return false;
    from = pieces.initial.length;
  }
  if (pieces.final !== undefined) {
    if (!value.endsWith(pieces.final) || value.length - pieces.final.length < from) return false;
    to = value.length - pieces.final.length;
  }
  for (const piece of pieces.any) {
    const at = value.indexOf(piece, from);
    if (at < 0 || at + piece.length > to) return false;
    from = at + piece.length;
  }
  return true;
}
