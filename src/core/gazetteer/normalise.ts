/**
 * Text normalisation shared by the stored addresses and the queries (gazetteer.md G8): upper case,
 * accents dropped, punctuation removed except the `*` wildcard, whitespace collapsed, street-type
 * abbreviations expanded. Both sides go through the same functions, so exact matching is predictable.
 */

const abbreviations: ReadonlyMap<string, string> = new Map([
  ["ST", "STREET"],
  ["RD", "ROAD"],
  ["AVE", "AVENUE"],
  ["CRES", "CRESCENT"],
  ["CL", "CLOSE"],
  ["DR", "DRIVE"],
  ["LN", "LANE"],
  ["PL", "PLACE"],
  ["SQ", "SQUARE"],
  ["CT", "COURT"],
  ["GDNS", "GARDENS"],
  ["TER", "TERRACE"],
  ["TERR", "TERRACE"],
]);

/** A premises number as PAF writes it: digits with an optional letter suffix (`12`, `12A`). */
const premisesNumber = /^\d+[A-Z]?$/;

/** One word of a query or an address after normalisation. */
export interface Token {
  readonly text: string;
  /** A premises number (`12`, `12A`, or a pattern such as `1*`): matched exactly, never fuzzily. */
  readonly number: boolean;
  /** Set when the token holds `*`: the anchored pattern it stands for. */
  readonly wildcard: RegExp | undefined;
}

/** Upper case, accents dropped, apostrophes removed, other punctuation a space, whitespace collapsed. */
export function normaliseText(text: string, keepWildcards = true): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII needs no decomposition
  const ascii = /^[\x00-\x7f]*$/.test(text);
  const upper = (ascii ? text : text.normalize("NFD").replace(/\p{M}/gu, "")).toUpperCase();
  const joined = upper.replace(/['’`]/g, "");
  const spaced = joined.replace(keepWildcards ? /[^A-Z0-9*]+/g : /[^A-Z0-9]+/g, " ");
  return spaced.trim();
}

/** Splits normalised text into tokens; a lone `*` matches anything and is dropped. */
export function tokenise(text: string, keepWildcards = true): Token[] {
  const normalised = normaliseText(text, keepWildcards);
  if (normalised === "") return [];
  const tokens: Token[] = [];
  for (const raw of normalised.split(" ")) {
    if (/^\*+$/.test(raw)) continue;
    if (raw.includes("*")) {
      const literal = raw.replace(/\*/g, "");
      const pattern = new RegExp(`^${raw.replace(/\*+/g, ".*")}$`);
      tokens.push({
        text: raw,
        number: /^\d/.test(literal) && /^[\d*]+[A-Z*]?$/.test(raw),
        wildcard: pattern,
      });
      continue;
    }
    const expanded = abbreviations.get(raw) ?? raw;
    tokens.push({ text: expanded, number: premisesNumber.test(expanded), wildcard: undefined });
  }
  return tokens;
}

/** Normalised words of stored text (no wildcards), numbers excluded, in order, without duplicates. */
export function wordsOf(...texts: readonly (string | undefined)[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (text === undefined) continue;
    for (const token of tokenise(text, false)) if (!token.number) words.add(token.text);
  }
  return [...words];
}

/** Premises numbers in stored text (`Flat 3`, `12A`), without duplicates. */
export function numbersOf(...texts: readonly (string | undefined)[]): string[] {
  const numbers = new Set<string>();
  for (const text of texts) {
    if (text === undefined) continue;
    for (const token of tokenise(text, false)) if (token.number) numbers.add(token.text);
  }
  return [...numbers];
}
