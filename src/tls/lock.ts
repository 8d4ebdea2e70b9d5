import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { unwritable } from "./pem-files.js";

/**
 * A lock file in certsDir taken only when something must be written, so that two processes (a running
 * simulator and a test run, or parallel test workers) sharing a directory never interleave a key from one
 * with a certificate from the other. The reuse path never takes it, so a read-only directory still works.
 */
const LOCK_NAME = ".spine-sim-pki.lock";
/** Older than this, a lock is assumed left by a crashed process (generation takes a second or two). */
const STALE_MS = 30_000;
const POLL_MS = 25;
const GIVE_UP_MS = 60_000;

function tryAcquire(lockPath: string, certsDir: string): boolean {
  try {
    const fd = openSync(lockPath, "wx", 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw unwritable(certsDir, error);
  }
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > STALE_MS) rmSync(lockPath, { force: true });
  } catch {
    // Released between our open and stat: just try again.
  }
  return false;
}

function timedOut(certsDir: string, lockPath: string): Error {
  return unwritable(certsDir, new Error(`another process has held ${lockPath} for over a minute`));
}

export async function withPkiLock<T>(certsDir: string, action: () => Promise<T>): Promise<T> {
  const lockPath = join(certsDir, LOCK_NAME);
  const deadline = Date.now() + GIVE_UP_MS;
  while (!tryAcquire(lockPath, certsDir)) {
    if (Date.now() > deadline) throw timedOut(certsDir, lockPath);
    await sleep(POLL_MS);
  }
  try {
    return await action();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/** As withPkiLock, for the synchronous ensureEndpoint; waits with Atomics.wait rather than spinning. */
export function withPkiLockSync<T>(certsDir: string, action: () => T): T {
  const lockPath = join(certsDir, LOCK_NAME);
  const deadline = Date.now() + GIVE_UP_MS;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!tryAcquire(lockPath, certsDir)) {
    if (Date.now() > deadline) throw timedOut(certsDir, lockPath);
    Atomics.wait(cell, 0, 0, POLL_MS);
  }
  try {
    return action();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
