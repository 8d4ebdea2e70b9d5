#!/usr/bin/env node
// Cold start: how long from spawning `spine-sim start` until every listener is ready (the ready file
// appears), and how much memory the process holds then. Three kinds of run, interleaved in one go so
// that they share the machine's state:
//
//   baseline      a bare `node -e` HTTP server on port 0 that writes a ready file the same way
//   certs-reused  a second `npm start`: the PKI and the SQLite file exist, the scenario is unchanged
//   memory-db     a test suite's start: existing PKI, --db :memory:, so the scenario (20k addresses
//                 included) is loaded every time
//   certs-fresh   a first `npm start`: empty certs dir and a new database file
//
// Every spine-sim run uses port 0 for every listener, --log-level warn and its own temporary ready
// file. Usage: node bench/cold-start.mjs [--runs N]   (default 10; needs `npm run build`)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { finishMachineInfo, machineInfo, writeResults } from "./lib/results.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mainJs = join(root, "dist", "main.js");
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag === -1 ? 10 : Number(process.argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a whole number of at least 1");
if (!existsSync(mainJs)) {
  console.error(`cold-start: ${mainJs} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(1);
}

const POLL_MS = 5;
const READY_TIMEOUT_MS = 60_000;
const scratch = mkdtempSync(join(tmpdir(), "spine-sim-bench-"));

// The bare listener: what node itself costs to start, bind a port and write a ready file atomically.
const baselineScript = `
const { createServer } = require("node:http");
const { writeFileSync, renameSync } = require("node:fs");
const file = process.argv[1];
const server = createServer((req, res) => res.end("ok"));
server.listen(0, "127.0.0.1", () => {
  const info = { http: "http://127.0.0.1:" + server.address().port };
  writeFileSync(file + ".tmp", JSON.stringify(info));
  renameSync(file + ".tmp", file);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

/** The environment without SPINE_SIM_* settings, so that only the flags below configure the simulator. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith("SPINE_SIM_")),
);

function simulatorArgs(readyFile, certsDir, dataDir, db = ":memory:") {
  return [
    mainJs,
    "start",
    "--db",
    db,
    "--data-dir",
    dataDir,
    "--certs-dir",
    certsDir,
    "--https-port",
    "0",
    "--ldap-port",
    "0",
    "--ldaps-port",
    "0",
    "--control-port",
    "0",
    "--ready-file",
    readyFile,
    "--log-level",
    "warn",
    "--log-format",
    "json",
  ];
}

/** Resolves when `file` exists: fs.watch on its directory for promptness, a 5 ms poll as the backstop. */
function waitForFile(file, child) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      watcher.close();
      child.off("exit", onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = () => {
      if (existsSync(file)) finish();
    };
    const onExit = (code, signal) => finish(new Error(`exited (${signal ?? code}) before writing ${file}`));
    const watcher = watch(dirname(file), check);
    const poll = setInterval(check, POLL_MS);
    const timer = setTimeout(
      () => finish(new Error(`no ready file after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.once("exit", onExit);
    check();
  });
}

/** Resident set size of a live process, in KiB, from /proc (Linux); undefined elsewhere. */
function rssKiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** One timed start: spawn → ready file; then RSS, then stop and wait for the exit. */
async function timedStart(args, readyFile) {
  let stderr = "";
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr += chunk));
  try {
    await waitForFile(readyFile, child);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${error.message}\n${stderr.trim()}`);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rss = rssKiB(child.pid);
  await stopChild(child);
  return { ms, rssKiB: rss };
}

const sharedCerts = join(scratch, "shared-certs");
const sharedDb = join(scratch, "shared.db");
let counter = 0;
function runDir() {
  const dir = join(scratch, `run-${++counter}`);
  mkdirSync(dir);
  return dir;
}

const kinds = {
  baseline: () => {
    const dir = runDir();
    const readyFile = join(dir, "ready.json");
    return timedStart(["-e", baselineScript, readyFile], readyFile);
  },
  "certs-reused": () => {
    const dir = runDir();
    return timedStart(
      simulatorArgs(join(dir, "ready.json"), sharedCerts, dir, sharedDb),
      join(dir, "ready.json"),
    );
  },
  "memory-db": () => {
    const dir = runDir();
    return timedStart(simulatorArgs(join(dir, "ready.json"), sharedCerts, dir), join(dir, "ready.json"));
  },
  "certs-fresh": () => {
    const dir = runDir();
    return timedStart(
      simulatorArgs(join(dir, "ready.json"), join(dir, "certs"), dir, join(dir, "spine-sim.db")),
      join(dir, "ready.json"),
    );
  },
};
const descriptions = {
  baseline: "bare node http.createServer().listen(0) + ready file",
  "certs-reused": "spine-sim start, existing certs and database (a second npm start)",
  "memory-db": "spine-sim start, existing certs, --db :memory: (scenario loaded, as in test suites)",
  "certs-fresh": "spine-sim start, empty certs dir and new database (a first npm start)",
};

// One untimed start fills the shared certs dir and database (and warms the OS file cache for dist/ and node_modules/).
// Other work on the machine inflates every figure: the 1-minute load average before and after the runs.
const machine = machineInfo();
const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
try {
  process.stderr.write(`cold-start: generating the shared certs dir (untimed)\n`);
  const warm = runDir();
  await timedStart(
    simulatorArgs(join(warm, "ready.json"), sharedCerts, warm, sharedDb),
    join(warm, "ready.json"),
  );

  for (let i = 1; i <= runs; i++) {
    for (const [kind, run] of Object.entries(kinds)) samples[kind].push(await run());
    process.stderr.write(`cold-start: run ${i}/${runs} done\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, digits = 1) => (value === undefined ? null : Number(value.toFixed(digits)));

const figures = Object.fromEntries(
  Object.entries(samples).map(([kind, list]) => {
    const ms = list.map((s) => s.ms);
    const rss = list.map((s) => s.rssKiB).filter((v) => v !== undefined);
    return [
      kind,
      {
        description: descriptions[kind],
        runs: list.length,
        medianMs: round(median(ms)),
        minMs: round(Math.min(...ms)),
        maxMs: round(Math.max(...ms)),
        medianRssMiB: rss.length === 0 ? null : round(median(rss) / 1024),
        samplesMs: ms.map((v) => round(v)),
      },
    ];
  }),
);

const date = new Date().toISOString();
finishMachineInfo(machine);
const result = {
  bench: "cold-start",
  date,
  node: process.version,
  machine,
  method:
    "median of N spawns of `node dist/main.js start` (all ports 0, --log-level warn; database per run kind) " +
    "from spawn to the --ready-file appearing (fs.watch + 5 ms poll); RSS = VmRSS once ready",
  results: figures,
};

// The printed table and the Markdown one share their rows.
const header = ["run", "median ms", "min ms", "max ms", "RSS MiB (median)"];
const rows = Object.entries(figures).map(([kind, f]) => [
  kind,
  f.medianMs.toFixed(1),
  f.minMs.toFixed(1),
  f.maxMs.toFixed(1),
  f.medianRssMiB === null ? "n/a" : f.medianRssMiB.toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");

console.log(
  `\ncold start, ${runs} runs each, node ${process.version}, ${machine.cores} cores (${machine.cpu}), ` +
    `load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
);
console.log(table);
const overhead = figures["certs-reused"].medianMs - figures.baseline.medianMs;
console.log(`\nspine-sim over a bare node listener (certs reused): +${overhead.toFixed(1)} ms`);

// Replace (or add) this bench's section of bench/results/README.md; other benches own their own sections.
writeResults(
  "cold-start",
  result,
  [
    "## Cold start",
    "",
    `Written by \`bench/cold-start.mjs\` on ${date.slice(0, 10)}: node ${process.version}, ${machine.cores} cores ` +
      `(${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.platform}, load average ${machine.loadAverage.before} ` +
      `before and ${machine.loadAverage.after} after. Median of ${runs} runs; ` +
      "time from spawn to the ready file; RSS of the process once ready. Raw figures: `cold-start.json`.",
    "",
    table,
    "",
    ...Object.entries(descriptions).map(([kind, text]) => `- \`${kind}\`: ${text}`),
  ].join("\n"),
);
