#!/usr/bin/env node
// SDS route look-ups over LDAP and LDAPS: searches per second, p50 and p99 for the NHS MHS adaptor's
// F1/F2 pair (reference sds-ldap.md §7):
//
//   F1  (&(nhsIDCode={ods})(objectClass=nhsAs)(nhsAsSvcIA={svcIA}))        → nhsMHSPartyKey, uniqueIdentifier
//   F2  (&(objectClass=nhsMhs)(nhsMHSPartyKey={pk})(nhsMhsSvcIA={svcIA}))  → the 19 attributes the adaptor reads
//
// against `node dist/main.js start` (--db :memory:, --mtls on, --log-level warn) with ldapts clients
// in this process: 1 and 8 connections, each sending F1 then F2 one after another, over plain LDAP
// and over LDAPS presenting the ready-made endpoint's certificate. The (ODS, svc-IA, party key)
// triples are every nhsMhs entry of the int scenario, visited in turn. Every answer is checked
// (exactly one entry, the expected party key / CPA id); a wrong answer fails the bench.
//
// Beside it, in the same run, OpenLDAP's slapd (bench/lib/slapd.mjs): configured in a temporary
// directory with an OpenLDAP schema generated from spine-sim's SDS schema, loaded by slapadd with
// `spine-sim sds export-ldif` output, LDAPS with the simulator's server certificate and mutual TLS.
// Each mode runs against spine-sim, then slapd, with the same clients and look-ups; the report gives
// spine-sim/slapd throughput and both p99s. Without slapd the bench says how to install it and
// measures spine-sim alone (it never installs anything itself).
//
// Usage: node bench/sds-bench.mjs [--seconds S] (default 3 per mode; needs `npm run build` first)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "ldapts";
import { finishMachineInfo, machineInfo, writeResults } from "./lib/results.mjs";
import { findSlapd, readSdsSchema, startSlapd } from "./lib/slapd.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mainJs = join(root, "dist", "main.js");
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "3" }, runs: { type: "string" } },
  strict: false,
});
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error("--seconds takes a positive number");
if (!existsSync(mainJs)) {
  console.error(`sds-bench: ${mainJs} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(1);
}

const f2Attributes = [
  "nhsEPInteractionType",
  "nhsIDCode",
  "nhsMhsCPAId",
  "nhsMHSEndPoint",
  "nhsMhsFQDN",
  "nhsMHsIN",
  "nhsMHSIsAuthenticated",
  "nhsMHSPartyKey",
  "nhsMHsSN",
  "nhsMhsSvcIA",
  "nhsProductKey",
  "uniqueIdentifier",
  "nhsMHSAckRequested",
  "nhsMHSActor",
  "nhsMHSDuplicateElimination",
  "nhsMHSPersistDuration",
  "nhsMHSRetries",
  "nhsMHSRetryInterval",
  "nhsMHSSyncReplyMode",
];

const round = (n, digits) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function waitForFile(file, child) {
  const deadline = Date.now() + 60_000;
  while (!existsSync(file)) {
    if (child.exitCode !== null)
      throw new Error(`the simulator exited (${child.exitCode}) before it was ready`);
    if (Date.now() > deadline) throw new Error("the simulator was not ready within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function client(ready, secure) {
  const endpoint = ready.endpoints[0];
  return new Client({
    url: secure ? ready.ldaps : ready.ldap,
    timeout: 10_000,
    ...(secure
      ? {
          tlsOptions: {
            ca: [readFileSync(ready.caFile)],
            cert: readFileSync(endpoint.certFile),
            key: readFileSync(endpoint.keyFile),
            servername: "localhost",
          },
        }
      : {}),
  });
}

/** Every nhsMhs entry as an (ODS, svc-IA, party key, CPA id) look-up. */
async function lookups(ready) {
  const c = client(ready, false);
  try {
    const { searchEntries } = await c.search("ou=services,o=nhs", {
      filter: "(objectClass=nhsMhs)",
      attributes: ["nhsIDCode", "nhsMhsSvcIA", "nhsMHSPartyKey", "nhsMhsCPAId"],
    });
    return searchEntries.map((e) => ({
      ods: e.nhsIDCode,
      svcIA: e.nhsMhsSvcIA,
      partyKey: e.nhsMHSPartyKey,
      cpaId: e.nhsMhsCPAId,
    }));
  } finally {
    await c.unbind();
  }
}

/** `ready` is spine-sim's ready info, or a copy with slapd's URLs (the same CA and client certificate). */
async function runMode(ready, targets, secure, connections) {
  const clients = Array.from({ length: connections }, () => client(ready, secure));
  const latencies = [];
  let wrong = 0;
  const pair = async (c, target, record) => {
    let t = process.hrtime.bigint();
    const f1 = await c.search("ou=services,o=nhs", {
      filter: `(&(nhsIDCode=${target.ods})(objectClass=nhsAs)(nhsAsSvcIA=${target.svcIA}))`,
      attributes: ["nhsMHSPartyKey", "uniqueIdentifier"],
    });
    if (record) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    const partyKey = f1.searchEntries[0]?.nhsMHSPartyKey;
    if (f1.searchEntries.length !== 1 || partyKey?.toLowerCase() !== target.partyKey.toLowerCase()) wrong++;
    t = process.hrtime.bigint();
    const f2 = await c.search("ou=services,o=nhs", {
      filter: `(&(objectClass=nhsMhs)(nhsMHSPartyKey=${target.partyKey})(nhsMhsSvcIA=${target.svcIA}))`,
      attributes: f2Attributes,
    });
    if (record) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (f2.searchEntries.length !== 1 || f2.searchEntries[0]?.nhsMhsCPAId !== target.cpaId) wrong++;
  };
  try {
    // Connect (and handshake) every client, then warm up for a second.
    await Promise.all(clients.map((c) => c.bind("", "")));
    const loop = async (c, index, until, record) => {
      let i = index;
      while (Date.now() < until) {
        await pair(c, targets[i % targets.length], record);
        i += connections;
      }
    };
    const warmUntil = Date.now() + 1000;
    await Promise.all(clients.map((c, i) => loop(c, i, warmUntil, false)));
    const started = process.hrtime.bigint();
    const until = Date.now() + seconds * 1000;
    await Promise.all(clients.map((c, i) => loop(c, i, until, true)));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      transport: secure ? "ldaps" : "ldap",
      connections,
      searches: latencies.length,
      perSecond: Math.round((latencies.length / elapsedMs) * 1000),
      p50Ms: round(percentile(sorted, 50), 3),
      p99Ms: round(percentile(sorted, 99), 3),
      maxMs: round(sorted[sorted.length - 1] ?? 0, 3),
      wrongAnswers: wrong,
    };
  } finally {
    await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  }
}

/**
 * slapd loaded with `spine-sim sds export-ldif` output for the same scenario (written by the CLI
 * into a database of its own, Spine's endpoints under the running simulator's public URL), LDAPS
 * with the simulator's server certificate and the same mutual TLS.
 */
async function startSlapdBeside(ready) {
  const exported = spawnSync(
    process.execPath,
    [
      mainJs,
      "sds",
      "export-ldif",
      "--db",
      join(scratch, "export.db"),
      "--data-dir",
      scratch,
      "--public-url",
      ready.publicUrl,
    ],
    { cwd: root, env, encoding: "utf8", maxBuffer: 256 * 2 ** 20 },
  );
  if (exported.status !== 0) throw new Error(`spine-sim sds export-ldif failed: ${exported.stderr}`);
  const envDir = dirname(ready.caFile);
  const dir = join(scratch, "slapd");
  mkdirSync(dir, { recursive: true });
  process.stderr.write(
    `sds-bench: loading ${exported.stdout.match(/^dn: /gm)?.length ?? 0} exported entries into slapd\n`,
  );
  return startSlapd({
    found,
    dir,
    ldif: exported.stdout,
    sdsSchema: readSdsSchema(root),
    tls: {
      caFile: ready.caFile,
      certFile: join(envDir, "server.pem"),
      keyFile: join(envDir, "server.key.pem"),
    },
  });
}

const machine = machineInfo();
const scratch = mkdtempSync(join(tmpdir(), "spine-sim-sds-bench-"));
const readyFile = join(scratch, "ready.json");
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SPINE_SIM_")));
const args = [
  mainJs,
  "start",
  "--db",
  ":memory:",
  "--mtls",
  "on",
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
const results = [];
const slapdResults = [];
let targets = [];
const found = findSlapd();
let slapd;
let slapdSkipped = found.missing;
try {
  await waitForFile(readyFile, child);
  const ready = JSON.parse(readFileSync(readyFile, "utf8"));
  targets = await lookups(ready);
  if (targets.length === 0) throw new Error("the directory has no nhsMhs entries to look up");
  if (found.missing === undefined) {
    slapd = await startSlapdBeside(ready);
  } else {
    process.stderr.write(
      `sds-bench: ${found.missing}; measuring spine-sim alone, the slapd half is skipped\n`,
    );
  }
  const slapdReady = slapd === undefined ? undefined : { ...ready, ldap: slapd.ldap, ldaps: slapd.ldaps };
  for (const secure of [false, true]) {
    for (const connections of [1, 8]) {
      const mode = `${secure ? "ldaps" : "ldap"}, ${connections} connection(s), ${seconds} s`;
      process.stderr.write(`sds-bench: spine-sim, ${mode}\n`);
      results.push(await runMode(ready, targets, secure, connections));
      if (slapdReady === undefined) continue;
      process.stderr.write(`sds-bench: slapd, ${mode}\n`);
      slapdResults.push(await runMode(slapdReady, targets, secure, connections));
    }
  }
} catch (error) {
  console.error(
    `sds-bench failed: ${error instanceof Error ? error.message : String(error)}\n${stderr}${slapd?.log() ?? ""}`,
  );
  process.exitCode = 1;
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await slapd?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (process.exitCode === 1) process.exit(1);
const wrong = [...results, ...slapdResults].reduce((n, r) => n + r.wrongAnswers, 0);
if (wrong > 0) {
  console.error(`sds-bench: ${wrong} look-ups returned the wrong entry`);
  process.exit(1);
}

const date = new Date().toISOString();
finishMachineInfo(machine);

// spine-sim beside slapd, mode by mode; the issue's first bar is 0.5x slapd's throughput and p99 < 5 ms.
const comparison = slapdResults.map((s, i) => {
  const ours = results[i];
  const ratio = round(ours.perSecond / s.perSecond, 2);
  return {
    transport: s.transport,
    connections: s.connections,
    throughputRatio: ratio,
    spineSimPerSecond: ours.perSecond,
    slapdPerSecond: s.perSecond,
    spineSimP99Ms: ours.p99Ms,
    slapdP99Ms: s.p99Ms,
    firstBarMet: ratio >= 0.5 && ours.p99Ms < 5,
  };
});
if (slapd === undefined && slapdSkipped === undefined) slapdSkipped = "slapd was not started";
const result = {
  bench: "sds",
  date,
  node: process.version,
  machine,
  method:
    `F1 then F2 for each of the ${targets.length} nhsMhs entries of the int scenario in turn; ${seconds} s per mode after a 1 s warm-up; ` +
    "ldapts clients in the bench process, the simulator in its own (dist/main.js, --db :memory:, --mtls on); each connection " +
    "sends one search at a time; latency = request to SearchResultDone as ldapts sees it" +
    (slapd === undefined
      ? ""
      : "; slapd measured the same way right after spine-sim in each mode (mdb back end, equality indexes on objectClass, " +
        "uniqueIdentifier, nhsIDCode, nhsMHSPartyKey, nhsAsSvcIA, nhsMhsSvcIA; default 16 threads; LDAPS with the simulator's " +
        "server certificate and TLSVerifyClient demand), loaded by slapadd with `spine-sim sds export-ldif` output"),
  lookups: targets.length,
  results,
  slapd:
    slapd === undefined
      ? `skipped: ${slapdSkipped}`
      : {
          version: slapd.version,
          loaded: "spine-sim sds export-ldif output for the int scenario (slapadd, schema checked)",
          results: slapdResults,
          comparison,
        },
};

const fixed = (n, digits) => n.toFixed(digits);
const header = ["transport", "connections", "spine-sim /s", "p50 ms", "p99 ms", "max ms"];
if (slapd !== undefined) header.push("slapd /s", "slapd p50", "slapd p99", "spine-sim/slapd");
const rows = results.map((r, i) => {
  const row = [
    r.transport,
    String(r.connections),
    String(r.perSecond),
    fixed(r.p50Ms, 3),
    fixed(r.p99Ms, 3),
    fixed(r.maxMs, 1),
  ];
  const s = slapdResults[i];
  const c = comparison[i];
  if (s !== undefined && c !== undefined)
    row.push(String(s.perSecond), fixed(s.p50Ms, 3), fixed(s.p99Ms, 3), `${fixed(c.throughputRatio, 2)}x`);
  return row;
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
const verdict =
  slapd === undefined
    ? `slapd: ${result.slapd}.`
    : `slapd ${slapd.version} in the same run. First bar (at least 0.5x slapd's throughput, p99 under 5 ms): ` +
      (comparison.every((c) => c.firstBarMet)
        ? "met in every mode."
        : `not met in ${comparison
            .filter((c) => !c.firstBarMet)
            .map((c) => `${c.transport}/${c.connections}`)
            .join(", ")}.`);

console.log(
  `\nsds route look-ups (F1/F2), ${targets.length} targets, node ${process.version}, ${machine.cores} cores (${machine.cpu}), ` +
    `load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
);
console.log(table);
console.log(`\n${verdict}`);

writeResults(
  "sds",
  result,
  [
    "## SDS (LDAP)",
    "",
    `Written by \`bench/sds-bench.mjs\` on ${date.slice(0, 10)}: node ${process.version}, ${machine.cores} cores ` +
      `(${machine.cpu}), ${machine.platform}, load average ${machine.loadAverage.before} before and ${machine.loadAverage.after} after. ` +
      `The MHS adaptor's F1/F2 route look-up pair for each of the ${targets.length} nhsMhs entries in turn, ${seconds} s per row, ` +
      "ldapts clients against `dist/main.js` (mutual TLS on for LDAPS); one search at a time per connection" +
      (slapd === undefined
        ? ". "
        : `, then the same against OpenLDAP slapd ${slapd.version} (mdb, equality indexes on the filtered attributes, the same ` +
          "server certificate and mutual TLS) loaded by slapadd with spine-sim's own `sds export-ldif` output. ") +
      "Raw figures: `sds.json`.",
    "",
    table,
    "",
    verdict,
  ].join("\n"),
);
