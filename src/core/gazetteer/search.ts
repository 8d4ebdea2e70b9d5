/**
 * The address search behind GetAddressList (gazetteer.md §5, G9 to G14). Candidates come from the
 * index that fits the query (compact postcode, outward code, `?` pattern, or the rarest query word);
 * each candidate is then checked word by word against its precomputed keys. Only the best level of
 * match found is returned: exact, else wildcard, else fuzzy; in OPTIMAL mode (premises and postcode)
 * a postcode plus premises number still finds the address when the street words do not match.
 */
import type { AddressStore, StoredAddress } from "../store/address-store.js";
import { tokenise, type Token } from "./normalise.js";
import { parsePostcode, type PostcodeInput } from "./postcode.js";
import type { AddressQuery } from "./query.js";
import { matchLevel, Vocabulary, type Expansion, type MatchKind, type MatchLevel } from "./vocabulary.js";

export interface AddressSearchOptions {
  /** Search time budget (G14); past it the search ends with `timed-out`. Default 2,000 ms. */
  readonly budgetMs?: number;
  /** Above this many matches the search reports `too-many` (G13). Default 1,000. */
  readonly ceiling?: number;
  /** Monotonic milliseconds; injectable for tests. */
  readonly now?: () => number;
}

export type SearchMode = "OPTIMAL" | "ALTERNATIVE";

export type SearchOutcome =
  | {
      readonly kind: "found";
      /** At most maxno, best first. */
      readonly addresses: readonly StoredAddress[];
      readonly total: number;
      readonly mode: SearchMode;
      /** How the returned addresses matched; `none` when nothing did. */
      readonly match: MatchKind | "none";
      readonly postcode: PostcodeInput;
    }
  | { readonly kind: "too-many"; readonly total: number; readonly mode: SearchMode; readonly ceiling: number }
  | { readonly kind: "timed-out"; readonly elapsedMs: number; readonly budgetMs: number }
  /** No addresses are loaded at all. */
  | { readonly kind: "no-data" };

export interface AddressSearch {
  /** Builds the in-memory vocabulary now rather than on the first query. */
  prime(): void;
  search(query: AddressQuery): SearchOutcome;
}

interface Scored {
  readonly address: StoredAddress;
  readonly level: MatchLevel;
  readonly edits: number;
}

const levelNames = Object.fromEntries(
  Object.entries(matchLevel).map(([name, level]) => [level, name]),
) as Record<MatchLevel, MatchKind>;

export function createAddressSearch(store: AddressStore, options: AddressSearchOptions = {}): AddressSearch {
  const budgetMs = options.budgetMs ?? 2000;
  const ceiling = options.ceiling ?? 1000;
  const now = options.now ?? (() => performance.now());
  let cache: Loaded | undefined;

  const loaded = (): Loaded => {
    if (cache?.generation !== store.generation) {
      cache = {
        generation: store.generation,
        vocabulary: new Vocabulary(store.vocabulary()),
        count: store.count(),
        postings: new Map(),
      };
    }
    return cache;
  };

  /** A word's posting list (ascending address keys), read once per load. */
  const postingsOf = (word: string): readonly number[] => {
    const postings = loaded().postings;
    let keys = postings.get(word);
    if (keys === undefined) {
      keys = store.postings(word);
      postings.set(word, keys);
    }
    return keys;
  };

  function search(query: AddressQuery): SearchOutcome {
    const started = now();
    const { vocabulary, count } = loaded();
    if (count === 0) return { kind: "no-data" };

    const postcode = parsePostcode(query.postcode);
    const lineTokens = query.addressLines.flatMap((line) => tokenise(line));
    const numbers = lineTokens.filter((t) => t.number);
    const wordTokens = lineTokens.filter((t) => !t.number);
    const townTokens = tokenise(query.town).filter((t) => !t.number);
    const mode: SearchMode = postcode.kind === "valid" && lineTokens.length > 0 ? "OPTIMAL" : "ALTERNATIVE";
    const baseLevel = postcode.kind === "pattern" ? matchLevel.wildcard : matchLevel.exact;
    // The postcode's candidates do not depend on the words, so both passes share them.
    const byPostcode =
      postcode.kind === "absent" || postcode.kind === "unparseable" ? undefined : candidatesFor(postcode);
    if (byPostcode === undefined && lineTokens.length + townTokens.length === 0) {
      // Nothing to search by (only the report-only profile lets such a request through).
      return { kind: "found", addresses: [], total: 0, mode, match: "none", postcode };
    }

    /** One pass: expand every word (fuzzily or not), gather candidates, score them. */
    const pass = (
      fuzzy: boolean,
    ): { candidates: readonly StoredAddress[]; scored: Scored[] } | "timed-out" => {
      const words = wordTokens.map((t) => vocabulary.expand(t, fuzzy));
      const townWords = townTokens.map((t) => vocabulary.expand(t, fuzzy));
      const candidates = byPostcode ?? byRarestWords([...words, ...townWords]);
      const scored: Scored[] = [];
      let checked = 0;
      for (const address of candidates) {
        if (++checked % 512 === 0 && now() - started > budgetMs) return "timed-out";
        const score = scoreAddress(address, numbers, words, townWords, baseLevel);
        if (score !== undefined) scored.push(score);
      }
      return { candidates, scored };
    };
    // Exact and wildcard matches always rank above fuzzy ones, so fuzzy expansion (the costly part)
    // runs only when they find nothing.
    let outcome = pass(false);
    if (outcome !== "timed-out" && outcome.scored.length === 0 && wordTokens.length + townTokens.length > 0) {
      outcome = pass(true);
    }
    if (outcome === "timed-out" || now() - started > budgetMs) {
      return { kind: "timed-out", elapsedMs: now() - started, budgetMs };
    }
    const { candidates, scored } = outcome;

    let best = scored.reduce<MatchLevel | undefined>(
      (min, s) => (min === undefined || s.level < min ? s.level : min),
      undefined,
    );
    let results = scored.filter((s) => s.level === best);
    if (results.length === 0 && mode === "OPTIMAL" && numbers.length > 0) {
      // Postcode and premises number outrank the street text (search pattern 1).
      best = matchLevel.premises;
      results = candidates
        .filter((a) => numbers.every((n) => numberMatches(n, a)))
        .map((address) => ({ address, level: matchLevel.premises, edits: 0 }));
    }
    if (results.length > ceiling) return { kind: "too-many", total: results.length, mode, ceiling };
    results.sort(compareScored);
    return {
      kind: "found",
      addresses: results.slice(0, query.maxno).map((s) => s.address),
      total: results.length,
      mode,
      match: best === undefined ? "none" : levelNames[best],
      postcode,
    };
  }

  function candidatesFor(
    postcode: Exclude<PostcodeInput, { kind: "absent" | "unparseable" }>,
  ): readonly StoredAddress[] {
    switch (postcode.kind) {
      case "valid":
        return store.byPostcode(postcode.compact);
      case "outward":
        return store.byOutcode(postcode.outcode);
      case "pattern":
        return store.byPostcodePattern(postcode);
      case "never":
        return [];
    }
  }

  /**
   * Every word must match: start from the keys of the rarest word's matches and keep only those that
   * the next rarest words also hold, so that few rows are read.
   */
  function byRarestWords(expansions: readonly Expansion[]): readonly StoredAddress[] {
    if (expansions.length === 0) return store.all();
    const [rarest, ...others] = [...expansions].sort((a, b) => a.frequency - b.frequency);
    if (rarest === undefined) return [];
    const keys = new Set<number>();
    for (const word of rarest.matches.keys()) for (const key of postingsOf(word)) keys.add(key);
    let candidates = [...keys];
    for (const expansion of others) {
      if (candidates.length <= 16) break; // few enough to check row by row
      const lists = [...expansion.matches.keys()].map(postingsOf);
      candidates = candidates.filter((key) => lists.some((list) => includesSorted(list, key)));
    }
    return store.byKeys(candidates);
  }

  return {
    prime: () => void loaded(),
    search,
  };
}

function scoreAddress(
  address: StoredAddress,
  numbers: readonly Token[],
  words: readonly Expansion[],
  townWords: readonly Expansion[],
  baseLevel: MatchLevel,
): Scored | undefined {
  let level: MatchLevel = baseLevel;
  let edits = 0;
  for (const n of numbers) {
    if (!numberMatches(n, address)) return undefined;
    if (n.wildcard !== undefined && level < matchLevel.wildcard) level = matchLevel.wildcard;
  }
  for (const [expansions, against] of [
    [words, address.words],
    [townWords, address.townWords],
  ] as const) {
    for (const expansion of expansions) {
      let bestLevel: MatchLevel | undefined;
      let bestEdits = 0;
      for (const word of against) {
        const m = expansion.matches.get(word);
        if (
          m !== undefined &&
          (bestLevel === undefined || m.level < bestLevel || (m.level === bestLevel && m.edits < bestEdits))
        ) {
          bestLevel = m.level;
          bestEdits = m.edits;
        }
      }
      if (bestLevel === undefined) return undefined;
      if (bestLevel > level) level = bestLevel;
      edits += bestEdits;
    }
  }
  return { address, level, edits };
}

interface Loaded {
  readonly generation: number;
  readonly vocabulary: Vocabulary;
  readonly count: number;
  readonly postings: Map<string, readonly number[]>;
}

function includesSorted(list: readonly number[], key: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = list[middle] ?? 0;
    if (value === key) return true;
    if (value < key) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

function numberMatches(token: Token, address: StoredAddress): boolean {
  const wildcard = token.wildcard;
  return wildcard === undefined
    ? address.numbers.includes(token.text)
    : address.numbers.some((n) => wildcard.test(n));
}

/** G12: fewer edits, then street name, then premises number ascending, then address key. */
function compareScored(a: Scored, b: Scored): number {
  return (
    a.edits - b.edits ||
    compareText(a.address.thoroughfare, b.address.thoroughfare) ||
    compareNumber(a.address.buildingNumber, b.address.buildingNumber) ||
    compareNumber(a.address.subBuilding, b.address.subBuilding) ||
    compareText(a.address.buildingName, b.address.buildingName) ||
    a.address.addressKey - b.address.addressKey
  );
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** By the first number in the text (`Flat 10` after `Flat 2`); text without one sorts last. */
function compareNumber(a: string | undefined, b: string | undefined): number {
  const x = firstNumber(a);
  const y = firstNumber(b);
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x - y;
}

function firstNumber(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /\d+/.exec(text);
  return match === null ? undefined : Number(match[0]);
}
