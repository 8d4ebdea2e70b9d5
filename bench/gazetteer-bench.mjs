#!/usr/bin/env node
// Gazetteer look-ups over the shipped 20,000-address set: look-ups per second, p50 and p99 for three
// kinds of query, measured twice:
//
//   in-process  the core search (src/core/gazetteer/search.ts) against an in-memory SQLite store,
//               bundled from src/ with esbuild into node_modules/.cache (dist/ exports only the
//               simulator), one query at a time
//   https       GetAddressList SOAP requests to `node dist/main.js start` (--db :memory:, --mtls off,
//               --log-level warn) over HTTPS with undici, N keep-alive connections each sending one
//               request after another; every request is parsed, searched, answered and journalled
//
// Query kinds, built from addresses.csv with a fixed seed:
//
//   postcode  premises number + postcode in a random case/spacing (OPTIMAL single match)
//   partial   by turns: postcode only; street + town without a number; `?` in the outward code;
//             `*` after the first letters of the street, with the town
//   fuzzy     premises number + the street with one word misspelt (a letter dropped, swapped or
//             changed) + the town
//
// It also times loading the int scenario (parse the seed files, then the insert transaction).
// Usage: node bench/gazetteer-bench.mjs [--seconds S] [--queries N] [--connections C]
// (defaults 3, 400, 4; needs `npm run build` first; `npm run bench` does it)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { finishMachineInfo, machineInfo, writeResults } from "./lib/results.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mainJs = join(root, "dist", "main.js");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "3" },
    queries: { type: "string", default: "400" },
    connections: { type: "string", default: "4" },
    runs: { type: "string" }, // run-all.mjs passes --runs to every bench; it sets the load repeats here
  },
  strict: false,
});
const seconds = Number(values.seconds);
const queryCount = Number(values.queries);
const connections = Number(values.connections);
const loadRepeats = values.runs === undefined ? 5 : Math.max(1, Number(values.runs));
if (![seconds, queryCount, connections].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error("--seconds, --queries and --connections take positive numbers");
}
if (!existsSync(mainJs)) {
  console.error(`gazetteer-bench: ${mainJs} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Queries from the address set

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20250301);
const pick = (list) => list[Math.floor(random() * list.length)];

const csv = readFileSync(join(root, "seed-data", "addresses", "addresses.csv"), "utf8")
  .trimEnd()
  .split("\n");
const columns = csv[0].split(",");
const addresses = csv
  .slice(1)
  .map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
const numbered = addresses.filter(
  (a) => a.buildingNumber !== "" && a.subBuilding === "" && a.buildingName === "",
);

function postcodeVariant(postcode) {
  const [outward, inward] = postcode.split(" ");
  return pick([
    () => postcode.toLowerCase(),
    () => `${outward}${inward}`,
    () => ` ${outward}  ${inward} `,
    () => postcode,
  ])();
}

function misspell(word) {
  const i = 1 + Math.floor(random() * (word.length - 2));
  return pick([
    () => word.slice(0, i) + word.slice(i + 1), // a letter dropped
    () => word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1), // two letters swapped
    () => word.slice(0, i) + ("aeiou".includes(word[i]) ? "y" : "e") + word.slice(i + 1), // one changed
  ])();
}

function makeQueries(kind) {
  const list = [];
  for (let n = 0; n < queryCount; n++) {
    const a = pick(numbered);
    if (kind === "postcode") {
      list.push({
        fields: { address1: a.buildingNumber, postcode: postcodeVariant(a.postcode) },
        expect: a.addressKey,
      });
    } else if (kind === "partial") {
      const street = a.thoroughfare.split(" ");
      const [outward, inward] = a.postcode.split(" ");
      const at = outward.length > 2 ? 1 + Math.floor(random() * (outward.length - 1)) : 1;
      const variants = [
        { postcode: a.postcode },
        { address1: a.thoroughfare, town: a.postTown },
        { postcode: `${outward.slice(0, at)}?${outward.slice(at + 1)} ${inward}` },
        { address1: `${street[0].slice(0, 4)}* ${street.slice(1).join(" ")}`, town: a.postTown },
      ];
      list.push({ fields: variants[n % variants.length], expect: undefined });
    } else {
      const words = a.thoroughfare.split(" ");
      const longest = words.reduce((x, y) => (y.length > x.length ? y : x));
      if (longest.length < 5) {
        n--;
        continue;
      }
      const street = words.map((w) => (w === longest ? misspell(w) : w)).join(" ");
      list.push({
        fields: { address1: `${a.buildingNumber} ${street}`, town: a.postTown },
        expect: a.addressKey,
      });
    }
  }
  return list;
}

const kinds = ["postcode", "partial", "fuzzy"];
const queries = Object.fromEntries(kinds.map((kind) => [kind, makeQueries(kind)]));

// ---------------------------------------------------------------------------------------------
// Figures

const round = (value, digits = 3) => Number(value.toFixed(digits));
function summarise(latencies, elapsedMs, hits, expected) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    count: latencies.length,
    perSecond: round((latencies.length / elapsedMs) * 1000, 0),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1]),
    hitRate: expected === 0 ? null : round(hits / expected, 3),
  };
}
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// ---------------------------------------------------------------------------------------------
// In-process: the core search, bundled from src/

async function loadCore() {
  const { build } = await import("esbuild");
  const cache = join(root, "node_modules", ".cache", "spine-sim-bench");
  mkdirSync(cache, { recursive: true });
  const entry = join(cache, "gazetteer-core-entry.ts");
  const src = (path) => JSON.stringify(join(root, "src", path));
  writeFileSync(
    entry,
    [
      `export { readScenarioFiles, parseScenarioFiles } from ${src("core/scenarios/load-scenario.ts")};`,
      `export { applyScenario } from ${src("core/scenarios/apply-scenario.ts")};`,
      `export { openSqliteStore } from ${src("core/store/sqlite-store.ts")};`,
      `export { createAddressSearch } from ${src("core/gazetteer/search.ts")};`,
      `export { validateRequest } from ${src("core/gazetteer/query.ts")};`,
    ].join("\n"),
  );
  const outfile = join(cache, "gazetteer-core.mjs");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}

const emptyRequest = {
  messageId: "bench",
  address1: "",
  address2: "",
  address3: "",
  town: "",
  county: "",
  postcode: "",
  country: "",
  maxno: undefined,
};

async function inProcess() {
  const core = await loadCore();
  const scenarioFile = join(root, "scenarios", "int.yaml");
  const scenariosDir = join(root, "scenarios");
  const load = { parseMs: [], insertMs: [] };
  let store;
  for (let i = 0; i < loadRepeats; i++) {
    let started = performance.now();
    const check = core.parseScenarioFiles(core.readScenarioFiles(scenarioFile, scenariosDir));
    load.parseMs.push(performance.now() - started);
    store?.close();
    store = core.openSqliteStore(":memory:");
    started = performance.now();
    core.applyScenario(store, check.loaded, "int", `bench-${i}`, new Date());
    load.insertMs.push(performance.now() - started);
  }
  const rows = store.addresses.count();
  const search = core.createAddressSearch(store.addresses);
  search.prime();
  const results = {};
  for (const kind of kinds) {
    const list = queries[kind].map((q) => ({
      query: core.validateRequest({ ...emptyRequest, ...q.fields }).query,
      expect: q.expect,
    }));
    for (const { query } of list) search.search(query); // warm-up
    const latencies = [];
    let hits = 0;
    let expected = 0;
    const started = performance.now();
    for (let i = 0; performance.now() - started < seconds * 1000; i++) {
      const { query, expect } = list[i % list.length];
      const t = performance.now();
      const outcome = search.search(query);
      latencies.push(performance.now() - t);
      if (expect !== undefined) {
        expected++;
        if (outcome.kind === "found" && outcome.addresses.some((a) => String(a.addressKey) === expect))
          hits++;
      } else if (outcome.kind !== "found" || outcome.total === 0)
        throw new Error(`partial query found nothing: ${JSON.stringify(query)}`);
    }
    results[kind] = summarise(latencies, performance.now() - started, hits, expected);
  }
  store.close();
  return {
    rows,
    load: {
      repeats: loadRepeats,
      firstParseMs: round(load.parseMs[0], 1),
      firstInsertMs: round(load.insertMs[0], 1),
      medianParseMs: round(median(load.parseMs), 1),
      medianInsertMs: round(median(load.insertMs), 1),
    },
    results,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTPS: the built simulator in its own process

const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const soap = (fields) =>
  `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body>` +
  `<nasp:getAddressListRequest xmlns:nasp="http://national.carerecords.nhs.uk/schema/"><nasp:messageHeader>` +
  `<nasp:messageId>6e6bf479f2775defa378beea704051a4</nasp:messageId><nasp:securityPackage/></nasp:messageHeader><nasp:postalAddress>` +
  Object.entries(fields)
    .map(([k, v]) => `<nasp:${k}>${escape(v)}</nasp:${k}>`)
    .join("") +
  `</nasp:postalAddress></nasp:getAddressListRequest></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

async function waitForFile(file, child) {
  const deadline = Date.now() + 60_000;
  while (!existsSync(file)) {
    if (child.exitCode !== null)
      throw new Error(`the simulator exited (${child.exitCode}) before it was ready`);
    if (Date.now() > deadline) throw new Error("the simulator was not ready within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function overHttps() {
  const { Pool } = await import("undici");
  const scratch = mkdtempSync(join(tmpdir(), "spine-sim-gazetteer-bench-"));
  const readyFile = join(scratch, "ready.json");
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("SPINE_SIM_")),
  );
  const args = [
    mainJs,
    "start",
    "--db",
    ":memory:",
    "--mtls",
    "off",
    "--data-dir",
    scratch,
    "--certs-dir",
    join(scratch, "certs"),
  ];
  for (const flag of ["--https-port", "--ldap-port", "--ldaps-port", "--control-port"]) args.push(flag, "0");
  args.push("--ready-file", readyFile, "--log-level", "warn", "--log-format", "json");
  let stderr = "";
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  try {
    await waitForFile(readyFile, child);
    const ready = JSON.parse(readFileSync(readyFile, "utf8"));
    const url = new URL("/addressfinder/query", ready.https);
    const pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      connect: { ca: readFileSync(ready.caFile), servername: "localhost" },
    });
    const results = {};
    try {
      for (const kind of kinds) {
        const list = queries[kind].map((q) => ({ body: soap(q.fields), expect: q.expect }));
        const send = async ({ body }) => {
          const response = await pool.request({
            path: url.pathname,
            method: "POST",
            headers: { "content-type": "text/xml; charset=UTF-8" },
            body,
          });
          const text = await response.body.text();
          if (response.statusCode !== 200 || !text.includes("<nasp:totalmatches>"))
            throw new Error(`unexpected answer ${response.statusCode}: ${text.slice(0, 300)}`);
          return text;
        };
        for (let i = 0; i < Math.min(list.length, 200); i++) await send(list[i]); // warm-up
        const latencies = [];
        let hits = 0;
        let expected = 0;
        let next = 0;
        const started = performance.now();
        const worker = async () => {
          while (performance.now() - started < seconds * 1000) {
            const item = list[next++ % list.length];
            const t = performance.now();
            const text = await send(item);
            latencies.push(performance.now() - t);
            if (item.expect !== undefined) {
              expected++;
              if (text.includes(`<nasp:addressKey>${item.expect}</nasp:addressKey>`)) hits++;
            }
          }
        };
        await Promise.all(Array.from({ length: connections }, worker));
        results[kind] = summarise(latencies, performance.now() - started, hits, expected);
      }
    } finally {
      await pool.close();
    }
    return { connections, results };
  } catch (error) {
    throw new Error(`${error.message}\n${stderr.trim()}`);
  } finally {
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const machine = machineInfo();
process.stderr.write("gazetteer-bench: in-process search\n");
const local = await inProcess();
process.stderr.write("gazetteer-bench: HTTPS against dist/main.js\n");
const remote = await overHttps();

const date = new Date().toISOString();
finishMachineInfo(machine);
const result = {
  bench: "gazetteer",
  date,
  node: process.version,
  machine,
  method:
    `${queryCount} queries per kind from addresses.csv (seed 20250301), each kind run for ${seconds} s after a warm-up; ` +
    `in-process: one search at a time; https: ${connections} keep-alive connections to dist/main.js (--db :memory:, --mtls off), ` +
    "one request at a time each; hit rate: share of postcode and fuzzy queries whose intended address was returned",
  addresses: local.rows,
  load: local.load,
  inProcess: local.results,
  https: remote.results,
};

const header = ["query", "in-process /s", "p50 ms", "p99 ms", "https /s", "p50 ms", "p99 ms", "hit rate"];
const rows = kinds.map((kind) => {
  const a = local.results[kind];
  const b = remote.results[kind];
  return [
    kind,
    String(a.perSecond),
    a.p50Ms.toFixed(3),
    a.p99Ms.toFixed(3),
    String(b.perSecond),
    b.p50Ms.toFixed(2),
    b.p99Ms.toFixed(2),
    a.hitRate === null ? "n/a" : `${(a.hitRate * 100).toFixed(1)}%`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
const loadLine =
  `Loading the int scenario with ${local.rows} addresses into an in-memory store: parse ${local.load.firstParseMs} ms and ` +
  `insert ${local.load.firstInsertMs} ms the first time in the process, ${local.load.medianParseMs} ms and ` +
  `${local.load.medianInsertMs} ms (median of ${local.load.repeats}) once warm.`;

console.log(
  `\ngazetteer, ${local.rows} addresses, node ${process.version}, ${machine.cores} cores (${machine.cpu}), ` +
    `load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
);
console.log(table);
console.log(`\n${loadLine}`);

writeResults(
  "gazetteer",
  result,
  [
    "## Gazetteer",
    "",
    `Written by \`bench/gazetteer-bench.mjs\` on ${date.slice(0, 10)}: node ${process.version}, ${machine.cores} cores ` +
      `(${machine.cpu}), ${machine.platform}, load average ${machine.loadAverage.before} before and ` +
      `${machine.loadAverage.after} after. ${queryCount} queries of each kind over ${local.rows} addresses, ${seconds} s per kind; ` +
      `in-process = the core search alone, one at a time; https = GetAddressList to \`dist/main.js\` over ${connections} ` +
      "keep-alive connections (parse, validate, search, build the response, journal). Raw figures: `gazetteer.json`.",
    "",
    table,
    "",
    loadLine,
    "",
    "- `postcode`: premises number + postcode (case and spacing varied)",
    "- `partial`: postcode only; street + town; `?` in the outward code; `street*` + town",
    "- `fuzzy`: number + street with one word misspelt + town; hit rate = intended address returned",
  ].join("\n"),
);
