/**
 * Fuzzy word matching (gazetteer.md G11): the same Double Metaphone primary code (the
 * `double-metaphone` package), or a small Damerau-Levenshtein distance. The published test vector
 * "115 Roglyn Sreet" → "115 Rosslyn Street" needs the edit distance: ROGLYN and ROSSLYN sound different.
 */
import { doubleMetaphone } from "double-metaphone";

/** The Double Metaphone primary code of a normalised word. */
export function phoneticKey(word: string): string {
  return doubleMetaphone(word)[0];
}

/**
 * Phonetic codes shorter than two characters (ROW, RAY, ROE all give `R`) say too little to match on;
 * only longer codes count.
 */
export function isUsefulPhoneticKey(key: string): boolean {
  return key.length >= 2;
}

/**
 * The largest edit distance still a fuzzy match, from the longer of the two words: none below 4
 * characters, 1 for 4 to 6, 2 for 7 or more.
 */
export function editLimit(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  return length >= 7 ? 2 : length >= 4 ? 1 : 0;
}

/** Three reusable DP rows: the distance runs for every vocabulary word of a fuzzy query, so it allocates nothing. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), giving up as soon as it must exceed `limit`; then it returns `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (m + 1 > rows[0].length) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
  let [previous2, previous, current] = rows;
  for (let j = 0; j <= m; j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const substitute = (previous[j - 1] ?? 0) + (ai === bj ? 0 : 1);
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitute);
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj)
        value = Math.min(value, (previous2[j - 2] ?? 0) + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return Math.min(previous[m] ?? 0, limit + 1);
}
