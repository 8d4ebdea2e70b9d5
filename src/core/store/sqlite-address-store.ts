/**
 * SQLite implementation of AddressStore on the store's own database handle: every statement
 * prepared once, search keys and the vocabulary computed on load, one prepared insert per row.
 */
import type Database from "better-sqlite3";
import { createAddressIndexer } from "../gazetteer/index-address.js";
import { phoneticKey } from "../gazetteer/phonetic.js";
import type {
  AddressRecord,
  AddressStore,
  PostcodePattern,
  StoredAddress,
  VocabularyEntry,
} from "./address-store.js";

type Row = Record<string, string | number | null>;

const columns = `address_key, sub_building, building_name, building_number, thoroughfare, dependent_locality,
  post_town, county, postcode, words, numbers, town_words`;

/** The read statements, one per query shape; exported so that a test can check each one's plan. */
export const addressQueries = {
  count: "SELECT count(*) FROM address",
  byKey: `SELECT ${columns} FROM address WHERE address_key = ?`,
  byPostcode: `SELECT ${columns} FROM address WHERE compact_postcode = ?`,
  // GLOB on a BINARY column searches the index range of the pattern's literal prefix
  byGlob: `SELECT ${columns} FROM address WHERE compact_postcode GLOB ?`,
  byIncodeGlob: `SELECT ${columns} FROM address WHERE incode = ? AND compact_postcode GLOB ?`,
  // a word's posting list: the keys of the addresses holding it, as a JSON array
  postings: "SELECT address_keys FROM address_word WHERE word = ?",
  // addresses by a JSON array of keys, each found by its primary key
  byKeys: `SELECT ${columns} FROM address WHERE address_key IN (SELECT value FROM json_each(?))`,
  all: `SELECT ${columns} FROM address`,
  vocabulary: "SELECT word, phonetic, frequency FROM address_word",
} as const;

export class SqliteAddressStore implements AddressStore {
  private revision = 0;
  private readonly statements;

  constructor(db: Database.Database) {
    const q = addressQueries;
    this.statements = {
      count: db.prepare(q.count).pluck(),
      byKey: db.prepare(q.byKey),
      byPostcode: db.prepare(q.byPostcode),
      byGlob: db.prepare(q.byGlob),
      byIncodeGlob: db.prepare(q.byIncodeGlob),
      postings: db.prepare(q.postings).pluck(),
      byKeys: db.prepare(q.byKeys),
      all: db.prepare(q.all),
      vocabulary: db.prepare(q.vocabulary),
      clear: db.prepare("DELETE FROM address"),
      clearWords: db.prepare("DELETE FROM address_word"),
      put: db.prepare(
        `INSERT INTO address (address_key, sub_building, building_name, building_number, thoroughfare, dependent_locality,
           post_town, county, postcode, compact_postcode, incode, words, numbers, town_words)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      putWord: db.prepare(
        "INSERT INTO address_word (word, phonetic, frequency, address_keys) VALUES (?, ?, ?, ?)",
      ),
    };
  }

  get generation(): number {
    return this.revision;
  }

  count(): number {
    return this.statements.count.get() as number;
  }

  byKey(addressKey: number): StoredAddress | undefined {
    const row = this.statements.byKey.get(addressKey) as Row | undefined;
    return row === undefined ? undefined : toAddress(row);
  }

  byPostcode(compactPostcode: string): StoredAddress[] {
    return (this.statements.byPostcode.all(compactPostcode) as Row[]).map(toAddress);
  }

  byOutcode(outcode: string): StoredAddress[] {
    // The inward code is always three characters, so the outward code is everything before them.
    return (this.statements.byGlob.all(`${outcode}???`) as Row[]).map(toAddress);
  }

  byPostcodePattern(pattern: PostcodePattern): StoredAddress[] {
    const s = this.statements;
    // A literal inward code picks a handful of postcodes; otherwise the GLOB's literal prefix bounds the range.
    const rows =
      pattern.incode !== undefined
        ? s.byIncodeGlob.all(pattern.incode, pattern.glob)
        : s.byGlob.all(pattern.glob);
    return (rows as Row[]).map(toAddress);
  }

  postings(word: string): number[] {
    const keys = this.statements.postings.get(word) as string | undefined;
    return keys === undefined ? [] : (JSON.parse(keys) as number[]);
  }

  byKeys(addressKeys: readonly number[]): StoredAddress[] {
    if (addressKeys.length === 0) return [];
    return (this.statements.byKeys.all(JSON.stringify(addressKeys)) as Row[]).map(toAddress);
  }

  all(): StoredAddress[] {
    return (this.statements.all.all() as Row[]).map(toAddress);
  }

  vocabulary(): VocabularyEntry[] {
    return (this.statements.vocabulary.all() as Row[]).map((row) => ({
      word: String(row.word),
      phonetic: String(row.phonetic),
      frequency: Number(row.frequency),
    }));
  }

  replaceAll(addresses: readonly AddressRecord[]): void {
    const s = this.statements;
    s.clearWords.run();
    s.clear.run();
    const postings = new Map<string, number[]>();
    const keysOf = createAddressIndexer();
    // In key order the primary-key B-tree is appended to rather than split.
    for (const a of [...addresses].sort((x, y) => x.addressKey - y.addressKey)) {
      const keys = keysOf(a);
      s.put.run(
        a.addressKey,
        a.subBuilding ?? null,
        a.buildingName ?? null,
        a.buildingNumber ?? null,
        a.thoroughfare ?? null,
        a.dependentLocality ?? null,
        a.postTown,
        a.county ?? null,
        a.postcode,
        keys.compactPostcode,
        keys.incode,
        keys.words.join(" "),
        keys.numbers.join(" "),
        keys.townWords.join(" "),
      );
      for (const word of keys.words) {
        const list = postings.get(word);
        if (list === undefined) postings.set(word, [a.addressKey]);
        else list.push(a.addressKey);
      }
    }
    for (const [word, list] of postings)
      s.putWord.run(word, phoneticKey(word), list.length, JSON.stringify(list));
    this.revision++;
  }
}

const optional = (value: Row[string] | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value);
const list = (value: Row[string] | undefined): string[] => {
  const text = optional(value);
  return text === undefined || text === "" ? [] : text.split(" ");
};

function toAddress(row: Row): StoredAddress {
  return {
    addressKey: Number(row.address_key),
    subBuilding: optional(row.sub_building),
    buildingName: optional(row.building_name),
    buildingNumber: optional(row.building_number),
    thoroughfare: optional(row.thoroughfare),
    dependentLocality: optional(row.dependent_locality),
    postTown: String(row.post_town),
    county: optional(row.county),
    postcode: String(row.postcode),
    words: list(row.words),
    numbers: list(row.numbers),
    townWords: list(row.town_words),
  };
}
