/**
 * Every distinct word of the address set with its phonetic key and frequency, held in memory once
 * per load (a few thousand words). A query word expands here into the stored words it matches and
 * how well: exactly, through a `*` wildcard, or fuzzily (gazetteer.md G10, G11).
 */
import type { VocabularyEntry } from "../store/address-store.js";
import type { Token } from "./normalise.js";
import { editDistance, editLimit, isUsefulPhoneticKey, phoneticKey } from "./phonetic.js";

/** Better matches have lower levels; a delivery point matches as well as its worst word. */
export const matchLevel = { exact: 0, wildcard: 1, fuzzy: 2, premises: 3 } as const;
export type MatchKind = keyof typeof matchLevel;
export type MatchLevel = (typeof matchLevel)[MatchKind];

export interface WordMatch {
  readonly level: MatchLevel;
  /** Edit distance for fuzzy matches (ranking: fewer edits first); 0 otherwise. */
  readonly edits: number;
}

/** Stored words a query word matches, with the frequency sum that prices searching by them. */
export interface Expansion {
  readonly matches: ReadonlyMap<string, WordMatch>;
  readonly frequency: number;
}

export class Vocabulary {
  private readonly byWord = new Map<string, VocabularyEntry>();
  private readonly byPhonetic = new Map<string, VocabularyEntry[]>();
  /** Which letters and digits each word holds, one bit each, for a cheap test before the edit distance. */
  private readonly letterSets: Int32Array;

  constructor(private readonly entries: readonly VocabularyEntry[]) {
    this.letterSets = new Int32Array(entries.length);
    entries.forEach((entry, i) => {
      this.byWord.set(entry.word, entry);
      const same = this.byPhonetic.get(entry.phonetic);
      if (same === undefined) this.byPhonetic.set(entry.phonetic, [entry]);
      else same.push(entry);
      this.letterSets[i] = letterSet(entry.word);
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The stored words `token` matches; fuzzy matches only when asked for. */
  expand(token: Token, fuzzy = true): Expansion {
    const matches = new Map<string, WordMatch>();
    const wildcard = token.wildcard;
    if (wildcard !== undefined) {
      for (const entry of this.entries)
        if (wildcard.test(entry.word)) matches.set(entry.word, { level: matchLevel.wildcard, edits: 0 });
      return this.priced(matches);
    }
    const word = token.text;
    if (this.byWord.has(word)) matches.set(word, { level: matchLevel.exact, edits: 0 });
    if (!fuzzy) return this.priced(matches);
    const key = phoneticKey(word);
    if (isUsefulPhoneticKey(key)) {
      for (const entry of this.byPhonetic.get(key) ?? []) {
        if (entry.word !== word)
          matches.set(entry.word, { level: matchLevel.fuzzy, edits: editDistance(word, entry.word) });
      }
    }
    const letters = letterSet(word);
    this.entries.forEach((entry, i) => {
      const limit = editLimit(word, entry.word);
      if (limit === 0 || Math.abs(word.length - entry.word.length) > limit) return;
      // Each edit adds or removes at most two letters from the set of letters used.
      if (bitCount(letters ^ (this.letterSets[i] ?? 0)) > 2 * limit) return;
      if (entry.word === word || matches.has(entry.word)) return;
      const edits = editDistance(word, entry.word, limit);
      if (edits <= limit) matches.set(entry.word, { level: matchLevel.fuzzy, edits });
    });
    return this.priced(matches);
  }

  private priced(matches: Map<string, WordMatch>): Expansion {
    let frequency = 0;
    for (const word of matches.keys()) frequency += this.byWord.get(word)?.frequency ?? 0;
    return { matches, frequency };
  }
}

/** A–Z and 0–9 as bits 0–25 and 26–31 (digits share bits above 5: the test only ever under-counts). */
function letterSet(word: string): number {
  let set = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    set |= c >= 65 && c <= 90 ? 1 << (c - 65) : c >= 48 && c <= 57 ? 1 << (26 + Math.min(c - 48, 5)) : 0;
  }
  return set;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
