import Database from "better-sqlite3";
import { describe, expect, it, onTestFinished } from "vitest";
import { phoneticKey } from "../gazetteer/phonetic.js";
import type { AddressRecord } from "./address-store.js";
import { migrations } from "./migrations.js";
import { addressQueries, SqliteAddressStore } from "./sqlite-address-store.js";

const addresses: AddressRecord[] = [
  {
    addressKey: 17671560,
    buildingNumber: "1",
    thoroughfare: "Sandringham Crescent",
    postTown: "LEEDS",
    county: "West Yorkshire",
    postcode: "LS17 8DB",
  },
  {
    addressKey: 10000002,
    subBuilding: "Flat 2",
    buildingName: "Oak Court",
    buildingNumber: "12",
    thoroughfare: "Oak Road",
    dependentLocality: "Upper Thornley",
    postTown: "LEEDS",
    postcode: "LS1 4AP",
  },
  {
    addressKey: 10000003,
    buildingName: "12A",
    thoroughfare: "Rosslyn Street",
    postTown: "LIVERPOOL",
    postcode: "L12 7DN",
  },
];

function open(): { db: Database.Database; store: SqliteAddressStore } {
  const db = new Database(":memory:");
  onTestFinished(() => {
    db.close();
  });
  for (const migration of migrations) db.exec(migration);
  const store = new SqliteAddressStore(db);
  db.transaction(() => store.replaceAll(addresses))();
  return { db, store };
}

describe("SQLite address store", () => {
  it("keeps every field and the search keys worked out at load time", () => {
    const { store } = open();
    expect(store.count()).toBe(3);
    expect(store.byKey(10000002)).toEqual({
      ...addresses[1],
      county: undefined,
      words: ["FLAT", "OAK", "COURT", "ROAD", "UPPER", "THORNLEY", "LEEDS"],
      numbers: ["2", "12"],
      townWords: ["LEEDS", "UPPER", "THORNLEY"],
    });
    expect(store.byKey(10000003)?.numbers).toEqual(["12A"]);
    expect(store.byKey(99999999)).toBeUndefined();
  });

  it("finds addresses by compact postcode, outward code, ? pattern and word", () => {
    const { store } = open();
    const keys = (list: readonly { addressKey: number }[]): number[] => list.map((a) => a.addressKey).sort();
    expect(keys(store.byPostcode("LS178DB"))).toEqual([17671560]);
    expect(keys(store.byOutcode("LS1"))).toEqual([10000002]);
    expect(keys(store.byOutcode("LS17"))).toEqual([17671560]);
    expect(keys(store.byPostcodePattern({ glob: "L?27DN", outcode: undefined, incode: "7DN" }))).toEqual([
      10000003,
    ]);
    expect(keys(store.byPostcodePattern({ glob: "?127DN", outcode: undefined, incode: "7DN" }))).toEqual([
      10000003,
    ]);
    expect(keys(store.byPostcodePattern({ glob: "LS1?8DB", outcode: undefined, incode: "8DB" }))).toEqual([
      17671560,
    ]);
    expect(store.postings("OAK")).toEqual([10000002]);
    expect(store.postings("LEEDS")).toEqual([10000002, 17671560]);
    expect(store.postings("NOWHERE")).toEqual([]);
    expect(keys(store.byKeys([17671560, 10000003, 99999999]))).toEqual([10000003, 17671560]);
    expect(store.byKeys([])).toEqual([]);
  });

  it("keeps a vocabulary of every word with its phonetic key and frequency", () => {
    const { store } = open();
    const vocabulary = new Map(store.vocabulary().map((v) => [v.word, v]));
    expect(vocabulary.get("LEEDS")).toEqual({ word: "LEEDS", phonetic: phoneticKey("LEEDS"), frequency: 2 });
    expect(vocabulary.get("ROSSLYN")?.frequency).toBe(1);
    expect(vocabulary.has("12A")).toBe(false);
  });

  it("replaces the whole set and moves its generation on", () => {
    const { db, store } = open();
    const before = store.generation;
    db.transaction(() => store.replaceAll([addresses[0] as AddressRecord]))();
    expect(store.generation).toBe(before + 1);
    expect(store.count()).toBe(1);
    expect(store.postings("OAK")).toEqual([]);
  });

  it("answers every query shape from an index, never a scan of the address table", () => {
    const { db } = open();
    const plan = (sql: string, ...params: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(" | ");
    expect(plan(addressQueries.byKey, 1)).toMatch(/SEARCH address USING INTEGER PRIMARY KEY/);
    expect(plan(addressQueries.byPostcode, "LS178DB")).toMatch(
      /SEARCH address USING INDEX address_compact_postcode/,
    );
    expect(plan(addressQueries.byGlob, "LS17???")).toMatch(
      /SEARCH address USING INDEX address_compact_postcode \(compact_postcode>\? AND compact_postcode<\?\)/,
    );
    expect(plan(addressQueries.byIncodeGlob, "7DN", "?127DN")).toMatch(
      /SEARCH address USING INDEX address_incode/,
    );
    expect(plan(addressQueries.postings, "OAK")).toMatch(
      /SEARCH address_word USING INDEX sqlite_autoindex_address_word_1 \(word=\?\)/,
    );
    const byKeys = plan(addressQueries.byKeys, "[1,2]");
    expect(byKeys).toMatch(/SEARCH address USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(byKeys).not.toMatch(/SCAN address\b/);
  });
});
