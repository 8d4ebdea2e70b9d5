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
// Usage: node bench/sds-bench.mjs [--seconds S] (default 3 per mode; needs `npm run build` first)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "ldapts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mainJs = join(root, "dist", "main.js");
const resultsDir = join(root, "bench", "results");
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

const loadBefore = loadavg()[0];
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
let targets = [];
try {
  await waitForFile(readyFile, child);
  const ready = JSON.parse(readFileSync(readyFile, "utf8"));
  targets = await lookups(ready);
  if (targets.length === 0) throw new Error("the directory has no nhsMhs entries to look up");
  for (const secure of [false, true]) {
    for (const connections of [1, 8]) {
      process.stderr.write(
        `sds-bench: ${secure ? "ldaps" : "ldap"}, ${connections} connection(s), ${seconds} s\n`,
      );
      results.push(await runMode(ready, targets, secure, connections));
    }
  }
} catch (error) {
  console.error(`sds-bench failed: ${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  process.exitCode = 1;
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(scratch, { recursive: true, force: true });
}
if (process.exitCode === 1) process.exit(1);
const wrong = results.reduce((n, r) => n + r.wrongAnswers, 0);
if (wrong > 0) {
  console.error(`sds-bench: ${wrong} look-ups returned the wrong entry`);
  process.exit(1);
}

const date = new Date().toISOString();
const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  platform: `${process.platform} ${process.arch}`,
  loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) },
};
const slapd = ["/usr/sbin/slapd", "/usr/local/libexec/slapd"].find((p) => existsSync(p));
const result = {
  bench: "sds",
  date,
  node: process.version,
  machine,
  method:
    `F1 then F2 for each of the ${targets.length} nhsMhs entries of the int scenario in turn; ${seconds} s per mode after a 1 s warm-up; ` +
    "ldapts clients in the bench process, the simulator in its own (dist/main.js, --db :memory:, --mtls on); each connection " +
    "sends one search at a time; latency = request to SearchResultDone as ldapts sees it",
  lookups: targets.length,
  results,
  slapd:
    slapd === undefined
      ? "not installed: no side-by-side figures (apt-get install -y slapd, then load an LDIF export)"
      : `found at ${slapd}; not yet compared`,
};

const header = ["transport", "connections", "searches/s", "p50 ms", "p99 ms", "max ms"];
const rows = results.map((r) => [
  r.transport,
  String(r.connections),
  String(r.perSecond),
  r.p50Ms.toFixed(3),
  r.p99Ms.toFixed(3),
  r.maxMs.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");

console.log(
  `\nsds route look-ups (F1/F2), ${targets.length} targets, node ${process.version}, ${machine.cores} cores (${machine.cpu}), ` +
    `load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
);
console.log(table);
console.log(`\nslapd: ${result.slapd}`);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "sds.json"), `${JSON.stringify(result, null, 2)}\n`);

// This bench's own section of bench/results/README.md (see bench/README.md).
const readme = join(resultsDir, "README.md");
const begin = "<!-- sds:begin -->";
const end = "<!-- sds:end -->";
const section = [
  begin,
  "## SDS (LDAP)",
  "",
  `Written by \`bench/sds-bench.mjs\` on ${date.slice(0, 10)}: node ${process.version}, ${machine.cores} cores ` +
    `(${machine.cpu}), ${machine.platform}, load average ${machine.loadAverage.before} before and ${machine.loadAverage.after} after. ` +
    `The MHS adaptor's F1/F2 route look-up pair for each of the ${targets.length} nhsMhs entries in turn, ${seconds} s per row, ` +
    "ldapts clients against `dist/main.js` (mutual TLS on for LDAPS); one search at a time per connection. Raw figures: `sds.json`.",
  "",
  table,
  "",
  `slapd: ${result.slapd}.`,
  end,
].join("\n");
let text = existsSync(readme)
  ? readFileSync(readme, "utf8")
  : "# Benchmark results\n\nEach section is rewritten by its bench; see ../README.md.\n";
const at = text.indexOf(begin);
const after = text.indexOf(end);
text =
  at !== -1 && after > at
    ? `${text.slice(0, at)}${section}${text.slice(after + end.length)}`
    : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(readme, text);
console.log(`\nwrote ${join("bench", "results", "sds.json")} and ${join("bench", "results", "README.md")}`);
