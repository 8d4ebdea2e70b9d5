/**
 * The gazetteer's delivery points (gazetteer.md G17) as the store keeps them: PAF-like fields plus
 * the search keys worked out once at load time (compact postcode, outward and inward codes,
 * normalised words and premises numbers) and a vocabulary of every distinct word with its phonetic
 * key. sqlite-address-store.ts implements it; Store exposes it as `store.addresses`.
 */

/** One delivery point as seed data gives it. */
export interface AddressRecord {
  /** The PAF address key: 8 digits, unique. */
  readonly addressKey: number;
  readonly subBuilding?: string | undefined;
  readonly buildingName?: string | undefined;
  readonly buildingNumber?: string | undefined;
  readonly thoroughfare?: string | undefined;
  readonly dependentLocality?: string | undefined;
  readonly postTown: string;
  readonly county?: string | undefined;
  /** Formatted with one space, e.g. `LS17 8DB`. */
  readonly postcode: string;
}

/** A stored delivery point with the keys the search matches on. */
export interface StoredAddress extends AddressRecord {
  /** Normalised words of every field (address lines, town, county), without premises numbers. */
  readonly words: readonly string[];
  /** Premises numbers from the sub-building, building name and building number. */
  readonly numbers: readonly string[];
  /** Normalised words of the post town and dependent locality: what a query's `town` matches. */
  readonly townWords: readonly string[];
}

/** One distinct normalised word of the address set. */
export interface VocabularyEntry {
  readonly word: string;
  /** Double Metaphone primary code. */
  readonly phonetic: string;
  /** How many delivery points hold the word: the cost of searching by it. */
  readonly frequency: number;
}

/** A `?` postcode pattern (SQL GLOB over the compact postcode) and whichever half is literal. */
export interface PostcodePattern {
  readonly glob: string;
  readonly outcode: string | undefined;
  readonly incode: string | undefined;
}

export interface AddressStore {
  /** Changes whenever the address set is replaced: caches built from the data key on it. */
  readonly generation: number;
  count(): number;
  byKey(addressKey: number): StoredAddress | undefined;
  /** By compact postcode (`LS178DB`). */
  byPostcode(compactPostcode: string): StoredAddress[];
  byOutcode(outcode: string): StoredAddress[];
  byPostcodePattern(pattern: PostcodePattern): StoredAddress[];
  /** The address keys of the delivery points holding this normalised word, ascending. */
  postings(word: string): number[];
  /** Delivery points by address key, in no particular order; unknown keys are skipped. */
  byKeys(addressKeys: readonly number[]): StoredAddress[];
  all(): StoredAddress[];
  vocabulary(): VocabularyEntry[];
  /** Replaces every address; call inside the scenario transaction. */
  replaceAll(addresses: readonly AddressRecord[]): void;
}
