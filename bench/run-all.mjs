#!/usr/bin/env node
// Runs every bench/*.mjs except this one, in name order, one at a time (benches must not share the
// machine's two cores with each other). `npm run bench` builds dist/ first and then runs this.
// Extra arguments are passed to every bench, e.g. `node bench/run-all.mjs --runs 3`.
// Exits non-zero if any bench failed, after running the rest.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith(".mjs") && name !== self)
  .sort();

const failed = [];
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(benchDir, bench), ...process.argv.slice(2)], {
    cwd: join(benchDir, ".."),
    stdio: "inherit",
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`=== ${bench}: done in ${seconds} s`);
  } else {
    failed.push(bench);
    console.log(
      `=== ${bench}: FAILED (${run.error?.message ?? run.signal ?? `exit ${run.status}`}) after ${seconds} s`,
    );
  }
}

console.log(
  `\n${benches.length - failed.length} of ${benches.length} benches ran${failed.length > 0 ? `; failed: ${failed.join(", ")}` : ""}`,
);
process.exit(failed.length > 0 ? 1 : 0);
