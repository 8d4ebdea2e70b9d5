/** Runs the built CLI (dist/main.js, built by `pretest`) as a real child process. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/paths.js";

export const cliPath = join(packageRoot, "dist", "main.js");

function assertBuilt(): void {
  if (!existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run \`npm run build\` (npm test does it for you)`);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd ?? packageRoot, env: { ...process.env, ...options.env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly ready: Record<string, unknown>;
  stdout(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `spine-sim start …` and resolves once the ready file appears. */
export async function startCli(
  args: readonly string[],
  readyFile: string,
  cwd = packageRoot,
): Promise<RunningCli> {
  assertBuilt();
  const child = spawn(process.execPath, [cliPath, "start", ...args, "--ready-file", readyFile], {
    cwd,
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`spine-sim exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`spine-sim did not write ${readyFile} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  // The banner follows the ready file; wait for it so assertions see the whole output.
  while (!stdout.includes("Press Ctrl+C to stop.") && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  return {
    child,
    ready: JSON.parse(readFileSync(readyFile, "utf8")) as Record<string, unknown>,
    stdout: () => stdout,
    stop: (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
  };
}
