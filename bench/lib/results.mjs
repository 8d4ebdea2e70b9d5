// What every bench records about the machine, and how it writes bench/results/NAME.json and its own
// `<!-- NAME:begin -->`…`<!-- NAME:end -->` section of bench/results/README.md (see bench/README.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");
const round = (value, digits) => Number(value.toFixed(digits));

/**
 * The machine, with the 1-minute load average now as `loadAverage.before` (other work on the machine
 * inflates every figure); call finishMachineInfo() after the runs for `loadAverage.after`.
 *
 * By default: `{ cores, cpu, memoryGiB, platform, loadAverage: { before, after } }`, load averages as
 * numbers of 2 decimals. Options: `node` puts `node: process.version` first; `memory: false` leaves out
 * memoryGiB; `tidyCpu` squeezes the whitespace of the CPU model; `loadAsText` keeps load averages as
 * strings of 2 decimals ("0.50").
 */
export function machineInfo({ node = false, memory = true, tidyCpu = false, loadAsText = false } = {}) {
  const model = cpus()[0]?.model ?? "unknown";
  const load = loadAsText ? loadavg()[0].toFixed(2) : round(loadavg()[0], 2);
  return {
    ...(node ? { node: process.version } : {}),
    cores: availableParallelism(),
    cpu: tidyCpu ? model.replace(/\s+/g, " ").trim() : model,
    ...(memory ? { memoryGiB: round(totalmem() / 2 ** 30, 1) } : {}),
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { before: load, after: loadAsText ? "" : null },
  };
}

/** Sets `machine.loadAverage.after` to the load average now, in the form of `before`; returns machine. */
export function finishMachineInfo(machine) {
  const now = loadavg()[0];
  machine.loadAverage.after = typeof machine.loadAverage.before === "string" ? now.toFixed(2) : round(now, 2);
  return machine;
}

/**
 * Writes bench/results/NAME.json (json, pretty-printed) and replaces this bench's section of
 * bench/results/README.md with `<!-- NAME:begin -->`, sectionMarkdown, `<!-- NAME:end -->` (appended when
 * the section is missing; the file is created with the standard header when missing). Other benches own
 * their own sections.
 */
export function writeResults(name, json, sectionMarkdown) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);

  const readme = join(resultsDir, "README.md");
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${sectionMarkdown}\n${end}`;
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
  console.log(
    `\nwrote ${join("bench", "results", `${name}.json`)} and ${join("bench", "results", "README.md")}`,
  );
}
