import { describe, expect, it, onTestFinished } from "vitest";
import type { AddressRecord } from "../store/address-store.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import type { AddressQuery } from "./query.js";
import { createAddressSearch, type AddressSearchOptions, type SearchOutcome } from "./search.js";

const leeds = { postTown: "LEEDS", county: "West Yorkshire" };
const liverpool = { postTown: "LIVERPOOL", county: "Merseyside" };
const fixture: AddressRecord[] = [
  {
    addressKey: 17671560,
    buildingNumber: "1",
    thoroughfare: "Sandringham Crescent",
    ...leeds,
    postcode: "LS17 8DB",
  },
  {
    addressKey: 10000002,
    buildingNumber: "2",
    thoroughfare: "Sandringham Crescent",
    ...leeds,
    postcode: "LS17 8DB",
  },
  {
    addressKey: 10000003,
    buildingNumber: "3",
    thoroughfare: "Sandringham Crescent",
    ...leeds,
    postcode: "LS17 8DB",
  },
  {
    addressKey: 10000004,
    buildingNumber: "4",
    thoroughfare: "Sandringham Crescent",
    ...leeds,
    postcode: "LS17 8DB",
  },
  {
    addressKey: 10000005,
    buildingNumber: "5",
    thoroughfare: "Sandringham Close",
    ...leeds,
    postcode: "LS17 8DA",
  },
  {
    addressKey: 10000010,
    buildingName: "Rose Cottage",
    thoroughfare: "Mill Lane",
    dependentLocality: "Upper Thornley",
    ...leeds,
    postcode: "LS17 9XX",
  },
  {
    addressKey: 10000011,
    buildingName: "Ivy Cottage",
    thoroughfare: "Mill Lane",
    dependentLocality: "Upper Thornley",
    ...leeds,
    postcode: "LS17 9XX",
  },
  {
    addressKey: 10000022,
    subBuilding: "Flat 10",
    buildingName: "Oak Court",
    buildingNumber: "12",
    thoroughfare: "High Street",
    ...leeds,
    postcode: "LS1 4AP",
  },
  {
    addressKey: 10000021,
    subBuilding: "Flat 2",
    buildingName: "Oak Court",
    buildingNumber: "12",
    thoroughfare: "High Street",
    ...leeds,
    postcode: "LS1 4AP",
  },
  {
    addressKey: 10000020,
    subBuilding: "Flat 1",
    buildingName: "Oak Court",
    buildingNumber: "12",
    thoroughfare: "High Street",
    ...leeds,
    postcode: "LS1 4AP",
  },
  { addressKey: 10000023, buildingName: "12A", thoroughfare: "High Street", ...leeds, postcode: "LS1 4AP" },
  {
    addressKey: 10000030,
    buildingNumber: "115",
    thoroughfare: "Rosslyn Street",
    ...liverpool,
    postcode: "L12 7DN",
  },
  {
    addressKey: 10000031,
    buildingNumber: "117",
    thoroughfare: "Rosslyn Street",
    ...liverpool,
    postcode: "L12 7DN",
  },
  {
    addressKey: 10000032,
    buildingNumber: "115",
    thoroughfare: "Rosslyn Road",
    ...liverpool,
    postcode: "L22 7DN",
  },
  {
    addressKey: 10000040,
    buildingNumber: "1",
    thoroughfare: "Sandringam Crescent",
    postTown: "BRADFORD",
    county: "West Yorkshire",
    postcode: "BD1 1AA",
  },
];

function storeWith(addresses: readonly AddressRecord[]): Store {
  const store = openSqliteStore(":memory:");
  onTestFinished(() => store.close());
  store.replaceScenario(
    { name: "t", fingerprint: "t", directory: [], patients: [], smartcards: [], addresses },
    "2026-01-01T00:00:00.000Z",
  );
  return store;
}

function searcher(
  options: AddressSearchOptions = {},
  addresses = fixture,
): (query: Partial<AddressQuery>) => SearchOutcome {
  const search = createAddressSearch(storeWith(addresses).addresses, options);
  return (query) =>
    search.search({ addressLines: [], town: "", county: "", postcode: "", maxno: 9, ...query });
}

function found(outcome: SearchOutcome): { keys: number[]; total: number; mode: string; match: string } {
  if (outcome.kind !== "found") throw new Error(`expected addresses, got ${JSON.stringify(outcome)}`);
  return {
    keys: outcome.addresses.map((a) => a.addressKey),
    total: outcome.total,
    mode: outcome.mode,
    match: outcome.match,
  };
}

describe("address search", () => {
  it("finds the published example by house number and postcode (OPTIMAL, single match)", () => {
    const search = searcher();
    expect(
      found(
        search({ addressLines: ["1 Sandringham Crescent"], town: "Leeds", postcode: "LS178DB", maxno: 2 }),
      ),
    ).toEqual({ keys: [17671560], total: 1, mode: "OPTIMAL", match: "exact" });
    expect(found(search({ addressLines: ["1"], postcode: "ls17 8db" })).keys).toEqual([17671560]);
  });

  it("finds a premises by name and postcode", () => {
    expect(found(searcher()({ addressLines: ["Rose Cottage"], postcode: "LS17 9XX" })).keys).toEqual([
      10000010,
    ]);
  });

  it("lists every delivery point of a postcode in street and number order for a partial address", () => {
    const search = searcher();
    expect(found(search({ postcode: " LS17  8DB " }))).toEqual({
      keys: [17671560, 10000002, 10000003, 10000004],
      total: 4,
      mode: "ALTERNATIVE",
      match: "exact",
    });
    expect(found(search({ postcode: "LS1 4AP" })).keys).toEqual([10000020, 10000021, 10000022, 10000023]);
    expect(found(search({ addressLines: ["Oak Court"], postcode: "LS1 4AP" })).keys).toEqual([
      10000020, 10000021, 10000022,
    ]);
  });

  it("finds a complete address without a postcode by its words and town", () => {
    expect(found(searcher()({ addressLines: ["2 Sandringham Crescent"], town: "LEEDS" }))).toMatchObject({
      keys: [10000002],
      mode: "ALTERNATIVE",
      match: "exact",
    });
  });

  it("finds misspelt street words fuzzily: the published 115 Roglyn Sreet vector", () => {
    const search = searcher();
    expect(found(search({ addressLines: ["115 Roglyn Sreet"], town: "Liverpool" }))).toEqual({
      keys: [10000030],
      total: 1,
      mode: "ALTERNATIVE",
      match: "fuzzy",
    });
    expect(found(search({ addressLines: ["115 Roglyn Sreet"], postcode: "L12 7DN" })).keys).toEqual([
      10000030,
    ]);
    expect(found(search({ addressLines: ["3 Sandringam Cresent"], town: "Leds" })).keys).toEqual([10000003]);
  });

  it("prefers exact matches over fuzzy ones, and ranks fuzzy ones by fewer edits", () => {
    const search = searcher();
    expect(found(search({ addressLines: ["1 Sandringham Crescent"] }))).toMatchObject({
      keys: [17671560],
      match: "exact",
    });
    expect(found(search({ addressLines: ["1 Sandringam Crescent"] }))).toMatchObject({
      keys: [10000040],
      match: "exact",
    });
    // SANDRINGHEM is one edit from SANDRINGHAM and two from SANDRINGAM
    expect(found(search({ addressLines: ["1 Sandringhem Crescent"] }))).toMatchObject({
      keys: [17671560, 10000040],
      match: "fuzzy",
    });
  });

  it("never matches premises numbers fuzzily", () => {
    expect(found(searcher()({ addressLines: ["116 Rosslyn Street"], town: "Liverpool" })).total).toBe(0);
  });

  it("reads ? in a postcode as one character", () => {
    const search = searcher();
    expect(found(search({ postcode: "L?2 7DN" }))).toMatchObject({
      keys: [10000032, 10000030, 10000031],
      total: 3,
      match: "wildcard",
    });
    expect(found(search({ postcode: "?12 7DN" })).keys).toEqual([10000030, 10000031]);
    expect(found(search({ postcode: "LS17 8D?" })).total).toBe(5);
  });

  it("reads * in other elements as any run of characters, and never matches * in a postcode", () => {
    const search = searcher();
    expect(found(search({ addressLines: ["Sandr*ham Cres*"], town: "LEEDS" }))).toMatchObject({
      total: 4,
      match: "wildcard",
    });
    expect(found(search({ addressLines: ["11* Rosslyn*"], town: "*pool" })).keys).toEqual([
      10000032, 10000030, 10000031,
    ]);
    expect(found(search({ postcode: "LS17 8D*" }))).toMatchObject({ total: 0, match: "none" });
  });

  it("searches an outward code alone as a district, and a postcode it cannot read as absent", () => {
    const search = searcher();
    expect(found(search({ postcode: "LS17" })).total).toBe(7);
    expect(found(search({ addressLines: ["Ivy Cottage"], postcode: "not a postcode" })).keys).toEqual([
      10000011,
    ]);
  });

  it("in OPTIMAL mode still finds the premises of a postcode when the street words do not match", () => {
    expect(found(searcher()({ addressLines: ["3 Wrong Road"], postcode: "LS17 8DB" }))).toEqual({
      keys: [10000003],
      total: 1,
      mode: "OPTIMAL",
      match: "premises",
    });
  });

  it("finds nothing when there is nothing to search by", () => {
    const search = searcher();
    expect(found(search({}))).toEqual({ keys: [], total: 0, mode: "ALTERNATIVE", match: "none" });
    expect(found(search({ addressLines: ["*"], postcode: "??" }))).toMatchObject({ total: 0 });
    expect(found(search({ addressLines: ["115"], postcode: "not a postcode" })).keys).toEqual([
      10000032, 10000030,
    ]);
  });

  it("returns an empty list for an address it does not hold", () => {
    const search = searcher();
    expect(found(search({ postcode: "ZE1 0AA" }))).toEqual({
      keys: [],
      total: 0,
      mode: "ALTERNATIVE",
      match: "none",
    });
    expect(found(search({ addressLines: ["1 Nowhere Street"], town: "Leeds" })).total).toBe(0);
  });

  it("returns at most maxno addresses and reports the full count", () => {
    const search = searcher();
    expect(found(search({ postcode: "LS17 8DB", maxno: 2 }))).toMatchObject({
      keys: [17671560, 10000002],
      total: 4,
    });
    expect(found(search({ postcode: "LS17 8DB", maxno: 1 })).keys).toHaveLength(1);
  });

  it("reports too many matches above the ceiling", () => {
    expect(searcher({ ceiling: 3 })({ postcode: "LS17 8DB" })).toEqual({
      kind: "too-many",
      total: 4,
      mode: "ALTERNATIVE",
      ceiling: 3,
    });
  });

  it("gives up when the search runs over its time budget", () => {
    let tick = 0;
    const outcome = searcher({ budgetMs: 5, now: () => (tick += 10) })({
      addressLines: ["Sandr*"],
      town: "Leeds",
    });
    expect(outcome).toMatchObject({ kind: "timed-out", budgetMs: 5 });
  });

  it("says when there are no addresses at all", () => {
    expect(searcher({}, [])({ postcode: "LS17 8DB" })).toEqual({ kind: "no-data" });
  });

  it("sees a reload: the vocabulary is rebuilt when the addresses change", () => {
    const store = storeWith(fixture);
    const search = createAddressSearch(store.addresses);
    const query = { addressLines: ["Zebra Street"], town: "LEEDS", county: "", postcode: "", maxno: 9 };
    expect(found(search.search(query)).total).toBe(0);
    store.replaceScenario(
      {
        name: "t",
        fingerprint: "t2",
        directory: [],
        patients: [],
        smartcards: [],
        addresses: [
          {
            addressKey: 20000000,
            buildingNumber: "9",
            thoroughfare: "Zebra Street",
            ...leeds,
            postcode: "LS2 7AB",
          },
        ],
      },
      "2026-01-02T00:00:00.000Z",
    );
    expect(found(search.search(query)).keys).toEqual([20000000]);
  });
});
