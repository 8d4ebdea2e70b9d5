import { generateRsaKeyPem } from "./certificate-factory.js";
import { readIfExists, writeFileAtomic } from "./pem-files.js";

/** Everything the ensure* functions may do besides reading: make keys and write files. */
export interface IssueContext {
  readonly certsDir: string;
  readonly now: Date;
  /**
   * A fresh RSA private key PEM; the same one again for the same `group` within one call. RSA key
   * generation dominates a first run (~200 ms a key), and the fault certificates need distinct
   * certificates, not distinct keys.
   */
  newKey(group?: string): string;
  /**
   * Announces that `path` must be (re)written, before any costly work on it: the read-only context
   * throws NeedsWrite here rather than after a certificate has been built for nothing.
   */
  claim(path: string): void;
  /** Writes atomically with `mode`; throws SimError DIR_UNWRITABLE. */
  write(path: string, data: string | Uint8Array, mode: number): void;
  /** Writes only when the bytes differ, so reuse leaves mtimes alone. */
  writeIfChanged(path: string, data: string | Uint8Array, mode: number): void;
  /** Every file written so far, for the `generated` flag. */
  readonly written: readonly string[];
}

/** Thrown by a read-only context at the first thing that would need writing. */
export class NeedsWrite extends Error {
  constructor(readonly path: string) {
    super(`${path} needs (re)writing`);
  }
}

function sameBytes(path: string, data: string | Uint8Array): boolean {
  const wanted = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return readIfExists(path)?.equals(wanted) === true;
}

/**
 * A context that writes nothing: the fast path runs with it first, and only when it throws NeedsWrite does
 * the caller take the lock and run again with a writable one.
 */
export function readOnlyContext(certsDir: string, now: Date): IssueContext {
  return {
    certsDir,
    now,
    written: [],
    newKey: () => {
      throw new NeedsWrite("a private key");
    },
    claim: (path) => {
      throw new NeedsWrite(path);
    },
    write: (path) => {
      throw new NeedsWrite(path);
    },
    writeIfChanged: (path, data) => {
      if (!sameBytes(path, data)) throw new NeedsWrite(path);
    },
  };
}

/** Hands out `pregenerated` keys first, then generates synchronously. */
export function writableContext(certsDir: string, now: Date, pregenerated: string[] = []): IssueContext {
  const written: string[] = [];
  const shared = new Map<string, string>();
  return {
    certsDir,
    now,
    written,
    newKey: (group) => {
      const existing = group === undefined ? undefined : shared.get(group);
      if (existing !== undefined) return existing;
      const key = pregenerated.pop() ?? generateRsaKeyPem();
      if (group !== undefined) shared.set(group, key);
      return key;
    },
    claim: () => undefined,
    write: (path, data, mode) => {
      writeFileAtomic(path, data, mode, certsDir);
      written.push(path);
    },
    writeIfChanged: (path, data, mode) => {
      if (sameBytes(path, data)) return;
      writeFileAtomic(path, data, mode, certsDir);
      written.push(path);
    },
  };
}
