import { X509Certificate, createPrivateKey, randomBytes, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SimError } from "../core/errors.js";
import { rsaPrivateKeyModulus } from "./der.js";

/** Private keys are readable by the owner only; certificates, bundles and CRLs are public material. */
export const KEY_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END \1-----/g;

const friendlyReasons: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a component of the path is not a directory",
  EEXIST: "it exists and is not a directory",
  ENOSPC: "no space left on the device",
  EISDIR: "a directory is in the way of a file",
};

/** Maps a file-system failure to the catalogue error the CLI explains to the user. */
export function unwritable(certsDir: string, cause: unknown): SimError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    (code === undefined ? undefined : friendlyReasons[code]) ??
    (cause instanceof Error ? cause.message : String(cause));
  return new SimError("DIR_UNWRITABLE", `Cannot write certificates to ${certsDir}: ${reason}`, {
    hint: "Choose another --certs-dir or fix its permissions",
    details: { setting: "certsDir", value: certsDir },
    cause,
  });
}

/** Creates `dir` (and parents) unless it exists; a regular file in the way is reported, not overwritten. */
export function ensureDirectory(dir: string, certsDir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "EEXIST" });
  } catch (error) {
    throw unwritable(certsDir, error);
  }
}

/**
 * Writes through a temporary file and a rename so that a reader (or a crash) never sees half a key, and so
 * that the mode applies even when the file already existed with a laxer one.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number,
  certsDir: string,
): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, data, { mode, flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw unwritable(certsDir, error);
  }
}

export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** The PEM blocks of `text` carrying `label`, each normalised to LF line ends and a trailing newline. */
export function pemBlocks(text: string, label: string): string[] {
  const blocks: string[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    if (match[1] === label) blocks.push(`${match[0].replace(/\r\n/g, "\n")}\n`);
  }
  return blocks;
}

export interface LoadedChain {
  /** The first certificate of the file, parsed and as PEM. */
  readonly leaf: X509Certificate;
  readonly leafPem: string;
  /** Every certificate block of the file, leaf first. */
  readonly pems: readonly string[];
}

/** Parses a certificate file cheaply; undefined when missing or unparsable (callers then regenerate). */
export function loadCertificateChain(path: string): LoadedChain | undefined {
  const data = readIfExists(path);
  if (data === undefined) return undefined;
  const pems = pemBlocks(data.toString("utf8"), "CERTIFICATE");
  const first = pems[0];
  if (first === undefined) return undefined;
  try {
    return { leaf: new X509Certificate(first), leafPem: first, pems };
  } catch {
    return undefined;
  }
}

export interface LoadedKey {
  readonly pem: string;
  readonly key: KeyObject;
}

/** An unencrypted RSA private key of at least 2048 bits, or undefined (callers then make a new one). */
export function loadRsaKey(path: string): LoadedKey | undefined {
  const data = readIfExists(path);
  if (data === undefined) return undefined;
  try {
    const pem = data.toString("utf8");
    const key = createPrivateKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return key.asymmetricKeyType === "rsa" && bits >= 2048 ? { pem, key } : undefined;
  } catch {
    return undefined;
  }
}

export interface KeyFile {
  readonly pem: string;
  /** RSA modulus as lower-case hex without leading zeros. */
  readonly modulusHex: string;
}

/**
 * The reuse-path view of a key file: its text and RSA modulus, read without node:crypto's decoder. Enough to
 * tell that it is an RSA key of 2048+ bits belonging to a given certificate; loadRsaKey is the full check.
 */
export function readKeyFile(path: string): KeyFile | undefined {
  const data = readIfExists(path);
  if (data === undefined) return undefined;
  const pem = data.toString("utf8");
  const block = pemBlocks(pem, "PRIVATE KEY")[0] ?? pemBlocks(pem, "RSA PRIVATE KEY")[0];
  if (block === undefined) return undefined;
  try {
    const der = Buffer.from(block.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const modulusHex = rsaPrivateKeyModulus(der);
    return modulusHex !== undefined && modulusHex.length >= 512 ? { pem, modulusHex } : undefined;
  } catch {
    return undefined;
  }
}
