#!/usr/bin/env node
/**
 * Generates the gazetteer's synthetic delivery points (gazetteer.md G17):
 *
 *   addresses.csv    one row per delivery point, PAF-like fields and a unique 8-digit address key
 *   generation.json  the seed, the record count and a SHA-256 of addresses.csv
 *
 * No real Postcode Address File data: street, building and locality names are put together from
 * generic word lists; post towns, counties and postcode areas are the real, public UK ones, so that
 * postcodes have realistic shapes (A9, A99, A9A, AA9, AA99, AA9A). Any real delivery point an
 * invented address happens to resemble is a coincidence. One row is the public documentation example
 * (1 Sandringham Crescent, LEEDS, LS17 8DB, key 17671560) and one street carries the published fuzzy
 * test vector (115 Rosslyn Street). The same seed always gives byte-identical files.
 *
 * Usage: node seed-data/addresses/generate.mjs [--out DIR] [--seed N] [--count N]
 * Plain Node (>= 20), no dependencies.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRandom } from "../random.mjs";

const DEFAULT_SEED = 20250301;
const DEFAULT_COUNT = 20_400;
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Word lists: postcode areas (public), and generic words for invented names

/**
 * Postcode areas with their post town, postal county and the districts used. `weight` is the share
 * of postcodes the area gets. London districts include the AA9A / A9A sub-district forms.
 */
const AREAS = [
  { area: "LS", town: "LEEDS", county: "West Yorkshire", districts: range(1, 29), weight: 6 },
  { area: "BD", town: "BRADFORD", county: "West Yorkshire", districts: range(1, 15), weight: 3 },
  { area: "HD", town: "HUDDERSFIELD", county: "West Yorkshire", districts: range(1, 8), weight: 2 },
  { area: "HX", town: "HALIFAX", county: "West Yorkshire", districts: range(1, 7), weight: 1 },
  { area: "WF", town: "WAKEFIELD", county: "West Yorkshire", districts: range(1, 4), weight: 2 },
  { area: "S", town: "SHEFFIELD", county: "South Yorkshire", districts: range(1, 36), weight: 4 },
  {
    area: "YO",
    town: "YORK",
    county: "North Yorkshire",
    districts: [1, 10, 19, 23, 24, 26, 30, 31, 32],
    weight: 2,
  },
  { area: "HU", town: "HULL", county: "North Humberside", districts: range(1, 10), weight: 2 },
  { area: "M", town: "MANCHESTER", county: "Lancashire", districts: range(1, 40), weight: 5 },
  { area: "L", town: "LIVERPOOL", county: "Merseyside", districts: range(1, 38), weight: 4 },
  { area: "B", town: "BIRMINGHAM", county: "West Midlands", districts: range(1, 48), weight: 5 },
  { area: "CV", town: "COVENTRY", county: "West Midlands", districts: range(1, 7), weight: 2 },
  { area: "NG", town: "NOTTINGHAM", county: "Nottinghamshire", districts: range(1, 16), weight: 3 },
  { area: "LE", town: "LEICESTER", county: "Leicestershire", districts: range(1, 5), weight: 2 },
  { area: "DE", town: "DERBY", county: "Derbyshire", districts: range(1, 24), weight: 2 },
  { area: "NE", town: "NEWCASTLE UPON TYNE", county: "Tyne and Wear", districts: range(1, 15), weight: 3 },
  { area: "SR", town: "SUNDERLAND", county: "Tyne and Wear", districts: range(1, 6), weight: 1 },
  { area: "BS", town: "BRISTOL", county: "Avon", districts: range(1, 16), weight: 4 },
  { area: "EX", town: "EXETER", county: "Devon", districts: range(1, 6), weight: 1 },
  { area: "PL", town: "PLYMOUTH", county: "Devon", districts: range(1, 9), weight: 2 },
  {
    area: "CF",
    town: "CARDIFF",
    county: "South Glamorgan",
    districts: [3, 5, 10, 11, 14, 23, 24],
    weight: 3,
  },
  { area: "SA", town: "SWANSEA", county: "West Glamorgan", districts: range(1, 7), weight: 1 },
  { area: "EH", town: "EDINBURGH", county: "Midlothian", districts: range(1, 17), weight: 3 },
  { area: "G", town: "GLASGOW", county: "Lanarkshire", districts: range(1, 53), weight: 4 },
  {
    area: "AB",
    town: "ABERDEEN",
    county: "Aberdeenshire",
    districts: [10, 11, 12, 15, 16, 21, 22, 24, 25],
    weight: 2,
  },
  { area: "BT", town: "BELFAST", county: "County Antrim", districts: range(1, 17), weight: 3 },
  { area: "OX", town: "OXFORD", county: "Oxfordshire", districts: range(1, 4), weight: 1 },
  { area: "CB", town: "CAMBRIDGE", county: "Cambridgeshire", districts: range(1, 5), weight: 1 },
  { area: "NR", town: "NORWICH", county: "Norfolk", districts: range(1, 7), weight: 2 },
  { area: "SO", town: "SOUTHAMPTON", county: "Hampshire", districts: range(14, 19), weight: 2 },
  { area: "BN", town: "BRIGHTON", county: "East Sussex", districts: [1, 2], weight: 1 },
  { area: "E", town: "LONDON", county: "", districts: [...range(1, 18), "1W"], weight: 3 },
  { area: "N", town: "LONDON", county: "", districts: [...range(1, 22), "1C"], weight: 3 },
  { area: "SE", town: "LONDON", county: "", districts: range(1, 28), weight: 3 },
  {
    area: "SW",
    town: "LONDON",
    county: "",
    districts: ["1A", "1E", "1H", "1P", "1V", "1W", "1X", "1Y", ...range(2, 20)],
    weight: 3,
  },
  {
    area: "W",
    town: "LONDON",
    county: "",
    districts: ["1B", "1D", "1F", "1G", "1H", "1J", "1K", "1S", "1T", "1U", "1W", ...range(2, 14)],
    weight: 2,
  },
  { area: "NW", town: "LONDON", county: "", districts: range(1, 11), weight: 2 },
  {
    area: "EC",
    town: "LONDON",
    county: "",
    districts: ["1A", "1M", "1N", "1R", "1V", "1Y", "2A", "2M", "3A", "3N", "4A", "4M"],
    weight: 1,
  },
  {
    area: "WC",
    town: "LONDON",
    county: "",
    districts: ["1A", "1B", "1E", "1H", "1N", "1R", "1V", "1X", "2A", "2B", "2E", "2H", "2N", "2R"],
    weight: 1,
  },
];

/** Inward-code unit letters: PAF never uses C, I, K, M, O or V there. */
const UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

const TREES = [
  "Acacia",
  "Alder",
  "Ash",
  "Aspen",
  "Beech",
  "Birch",
  "Blackthorn",
  "Bramble",
  "Briar",
  "Cedar",
  "Cherry",
  "Chestnut",
  "Clover",
  "Elder",
  "Elm",
  "Fern",
  "Hawthorn",
  "Hazel",
  "Heather",
  "Holly",
  "Juniper",
  "Larch",
  "Laurel",
  "Lilac",
  "Linden",
  "Maple",
  "Myrtle",
  "Oak",
  "Poplar",
  "Rowan",
  "Sycamore",
  "Willow",
  "Yew",
];
const FEATURES = [
  "Abbey",
  "Barn",
  "Beacon",
  "Bridge",
  "Brook",
  "Canal",
  "Castle",
  "Chapel",
  "Church",
  "Cliff",
  "Common",
  "Copse",
  "Dale",
  "Dell",
  "Dene",
  "Farm",
  "Ferry",
  "Field",
  "Ford",
  "Forge",
  "Garden",
  "Glebe",
  "Grange",
  "Granary",
  "Green",
  "Hall",
  "Harbour",
  "Heath",
  "Hill",
  "Kiln",
  "Lake",
  "Lock",
  "Manor",
  "Market",
  "Meadow",
  "Mill",
  "Moor",
  "Orchard",
  "Park",
  "Pond",
  "Priory",
  "Quarry",
  "Rectory",
  "River",
  "School",
  "Spring",
  "Station",
  "Stone",
  "Tannery",
  "Tower",
  "Vale",
  "Valley",
  "Warren",
  "Well",
  "Wharf",
  "Wood",
];
const STEMS = [
  "Ash",
  "Alder",
  "Bar",
  "Bax",
  "Bel",
  "Brad",
  "Bram",
  "Brom",
  "Burn",
  "Carl",
  "Chal",
  "Clay",
  "Cot",
  "Cran",
  "Dal",
  "Den",
  "Dun",
  "Ed",
  "Eller",
  "Fair",
  "Fal",
  "Glen",
  "Gras",
  "Hal",
  "Har",
  "Hart",
  "Hen",
  "Hol",
  "Ing",
  "Kings",
  "Kirk",
  "Lang",
  "Lin",
  "Lox",
  "Marl",
  "Mel",
  "Mid",
  "Net",
  "North",
  "Oak",
  "Pen",
  "Ped",
  "Red",
  "Ross",
  "Rud",
  "Sal",
  "Sand",
  "Shel",
  "Stan",
  "Sun",
  "Tal",
  "Thorn",
  "Tod",
  "Ul",
  "Wal",
  "Wes",
  "Whit",
  "Wick",
  "Win",
  "Wor",
  "Yar",
];
const SUFFIXES = [
  "bank",
  "borough",
  "bury",
  "by",
  "combe",
  "croft",
  "dale",
  "den",
  "don",
  "field",
  "ford",
  "gate",
  "ham",
  "holme",
  "hurst",
  "ington",
  "ley",
  "lyn",
  "mere",
  "more",
  "ridge",
  "stead",
  "thorpe",
  "ton",
  "well",
  "wick",
  "worth",
];
const STREET_TYPES = {
  Street: 14,
  Road: 16,
  Avenue: 7,
  Close: 8,
  Crescent: 5,
  Drive: 6,
  Lane: 8,
  Place: 3,
  Square: 1,
  Court: 2,
  Gardens: 3,
  Terrace: 4,
  Way: 5,
  Grove: 4,
  Mews: 1,
  Rise: 2,
  View: 2,
  Walk: 2,
  Row: 1,
  Green: 1,
};
const HOUSE_NAMES = [
  "Rose Cottage",
  "Ivy Cottage",
  "The Old Barn",
  "The Old Forge",
  "The Old School House",
  "Orchard House",
  "Hillside",
  "Woodlands",
  "The Laurels",
  "Fairview",
  "Meadow View",
  "Brookside",
  "The Hollies",
  "Corner House",
  "Field House",
  "Mill House",
  "Rowan Lodge",
  "Holly Bank",
  "The Cottage",
  "Stable Cottage",
  "Glebe House",
  "Briar Cottage",
  "Willow Barn",
  "The Granary",
  "Old Post House",
  "Sunnyside",
  "Highfield",
  "Lilac Cottage",
];
const BLOCK_KINDS = ["House", "Court", "Lodge", "Point", "Heights", "Mansions", "Buildings", "Place"];
const VILLAGE_PREFIX = [
  "Upper",
  "Lower",
  "Little",
  "Great",
  "Old",
  "New",
  "North",
  "South",
  "East",
  "West",
  "High",
  "Nether",
];

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function weighted(random, weights) {
  const entries = Object.entries(weights);
  let r = random.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  return entries[entries.length - 1][0];
}

/** An invented place-like word: Thornley, Rosslyn, Kingsworth… */
function placeWord(random) {
  return random.pick(STEMS) + random.pick(SUFFIXES);
}

function streetName(random) {
  const style = random.int(1, 10);
  const base = style <= 5 ? placeWord(random) : style <= 8 ? random.pick(TREES) : random.pick(FEATURES);
  return `${base} ${weighted(random, STREET_TYPES)}`;
}

// ---------------------------------------------------------------------------------------------
// Generation

function generate(seed, count) {
  const random = createRandom(seed, "addresses");
  const keys = createRandom(seed, "address-keys");
  const usedKeys = new Set();
  const newKey = () => {
    for (;;) {
      const key = keys.int(10_000_000, 99_999_999);
      if (!usedKeys.has(key)) {
        usedKeys.add(key);
        return key;
      }
    }
  };
  const usedPostcodes = new Set();
  const usedStreets = new Set();
  const rows = [];
  const add = (row) => rows.push({ ...row, addressKey: row.addressKey ?? newKey() });

  // The published example (gazetteer.md §3) and the published fuzzy test vector (§5 pattern 3).
  usedKeys.add(17671560);
  usedPostcodes.add("LS17 8DB");
  usedStreets.add("LS|Sandringham Crescent");
  for (let n = 1; n <= 23; n += 1) {
    add({
      addressKey: n === 1 ? 17671560 : undefined,
      buildingNumber: String(n),
      thoroughfare: "Sandringham Crescent",
      postTown: "LEEDS",
      county: "West Yorkshire",
      postcode: "LS17 8DB",
    });
  }
  usedPostcodes.add("L12 7DN");
  usedStreets.add("L|Rosslyn Street");
  for (let n = 101; n <= 131; n += 2) {
    add({
      buildingNumber: String(n),
      thoroughfare: "Rosslyn Street",
      postTown: "LIVERPOOL",
      county: "Merseyside",
      postcode: "L12 7DN",
    });
  }

  const areaWeights = Object.fromEntries(AREAS.map((a, i) => [String(i), a.weight]));
  while (rows.length < count) {
    const area = AREAS[Number(weighted(random, areaWeights))];
    const district = random.pick(area.districts);
    const sector = random.int(1, 9);
    let unit = "";
    let postcode = "";
    do {
      unit = random.pick(UNIT_LETTERS) + random.pick(UNIT_LETTERS);
      postcode = `${area.area}${district} ${sector}${unit}`;
    } while (usedPostcodes.has(postcode));
    usedPostcodes.add(postcode);

    let street = streetName(random);
    while (usedStreets.has(`${area.area}|${street}`)) street = streetName(random);
    usedStreets.add(`${area.area}|${street}`);
    const town = area.town;
    const county = area.county === "" ? undefined : area.county;
    const locality =
      area.town !== "LONDON" && random.chance(0.18)
        ? `${random.pick(VILLAGE_PREFIX)} ${placeWord(random)}`
        : undefined;
    const base = { thoroughfare: street, dependentLocality: locality, postTown: town, county, postcode };

    const kind = random.int(1, 20);
    if (kind <= 13) {
      // Terraced or semi-detached houses: one side of the street, or both.
      const start = random.int(1, 120);
      const step = random.chance(0.6) ? 2 : 1;
      const houses = random.int(6, 28);
      for (let i = 0; i < houses; i++) {
        const number = start + i * step;
        if (random.chance(0.04)) add({ ...base, buildingName: `${number}A` });
        add({ ...base, buildingNumber: String(number) });
      }
    } else if (kind <= 16) {
      // A block of flats, sometimes with a street number, next to a few houses.
      const block = `${random.chance(0.5) ? random.pick(TREES) : placeWord(random)} ${random.pick(BLOCK_KINDS)}`;
      const blockNumber = random.chance(0.5) ? String(random.int(1, 90)) : undefined;
      const flats = random.int(6, 30);
      for (let f = 1; f <= flats; f++)
        add({ ...base, subBuilding: `Flat ${f}`, buildingName: block, buildingNumber: blockNumber });
      const houses = random.int(0, 6);
      const first = random.int(91, 99);
      for (let i = 0; i < houses; i++) add({ ...base, buildingNumber: String(first + i * 2) });
    } else {
      // A lane of named houses, a few with numbers too.
      const houses = random.int(4, 14);
      const names = new Set();
      for (let i = 0; i < houses; i++) {
        let name = random.pick(HOUSE_NAMES);
        if (names.has(name))
          name = `${placeWord(random)} ${random.pick(["House", "Cottage", "Farm", "Lodge"])}`;
        if (names.has(name)) continue;
        names.add(name);
        add({ ...base, buildingName: name, buildingNumber: random.chance(0.2) ? String(i + 1) : undefined });
      }
    }
  }
  return rows;
}

const COLUMNS = [
  "addressKey",
  "subBuilding",
  "buildingName",
  "buildingNumber",
  "thoroughfare",
  "dependentLocality",
  "postTown",
  "county",
  "postcode",
];

function csvField(value) {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(rows) {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) lines.push(COLUMNS.map((c) => csvField(row[c])).join(","));
  return `${lines.join("\n")}\n`;
}

function main() {
  const { values } = parseArgs({
    options: { out: { type: "string" }, seed: { type: "string" }, count: { type: "string" } },
  });
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  const count = values.count === undefined ? DEFAULT_COUNT : Number(values.count);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1)
    throw new Error("--seed and --count take whole numbers");
  const out = resolve(values.out ?? HERE);
  mkdirSync(out, { recursive: true });
  const rows = generate(seed, count);
  const csv = toCsv(rows);
  writeFileSync(join(out, "addresses.csv"), csv);
  const manifest = {
    generator: "seed-data/addresses/generate.mjs",
    seed,
    files: [
      { name: "addresses.csv", records: rows.length, sha256: createHash("sha256").update(csv).digest("hex") },
    ],
  };
  writeFileSync(join(out, "generation.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote addresses.csv (${rows.length} delivery points) and generation.json to ${out}`);
}

main();
