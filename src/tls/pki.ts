import { dirname, resolve } from "node:path";
import type { EnvironmentProfile } from "../config/environments.js";
import { SimError, isSimError } from "../core/errors.js";
import { assembleEndpoint, assemblePki, type AssembledPki } from "./assemble.js";
import { generateRsaKeyPemAsync } from "./certificate-factory.js";
import { NeedsWrite, readOnlyContext, writableContext, type IssueContext } from "./context.js";
import { parseSubjectName, type SubjectName } from "./hostnames.js";
import { P12_PASSWORD, pkiPaths, type PkiPaths } from "./layout.js";
import { withPkiLock, withPkiLockSync } from "./lock.js";
import { ensureDirectory, readIfExists, readKeyFile } from "./pem-files.js";

export type { CertKeyPaths, PkiPaths } from "./layout.js";

export interface EnsurePkiOptions {
  /** Root of the generated tree (see certs/README.md); created if missing. */
  readonly certsDir: string;
  readonly env: EnvironmentProfile;
  /** More names for the server certificate's SANs: host names, "*.wildcards" or IP literals. */
  readonly extraHostnames?: readonly string[];
  /** The clock for validity checks and new certificates; defaults to the system clock. */
  readonly now?: () => Date;
}

/** A supplier endpoint's certificate, used both as its mutual-TLS client identity and its HTTPS server one. */
export interface EndpointCredential {
  readonly fqdn: string;
  /** Path of the PEM file: the leaf, then the environment intermediate. */
  readonly cert: string;
  /** Path of the PEM PKCS#8 private key (mode 0600). */
  readonly key: string;
  /** Path of the PKCS#12 file holding the key, the leaf, the intermediate and the root (mode 0600). */
  readonly p12: string;
  /** Always "spine-sim". */
  readonly p12Password: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex (as tls getPeerCertificate reports it). */
  readonly fingerprint256: string;
  readonly notAfter: Date;
  /** Whether this call wrote any of the endpoint's files. */
  readonly generated: boolean;
}

/** PEM material ready to spread into tls.createServer / https.createServer options. */
export interface TlsServerMaterial {
  readonly key: string;
  /** The server leaf followed by the intermediate. */
  readonly cert: string;
  /** Intermediate and root: the anchors client certificates must chain to. */
  readonly ca: string;
  /**
   * The intermediate's CRL (crl.pem) then the root's (ca/root-ca.crl.pem). Node loads one CRL per array
   * entry and, once given any, checks revocation for every certificate of a client's chain, so both are
   * needed. They are valid for 30 days: a process running longer should call ensurePki again.
   */
  readonly crl: string[];
}

export interface Pki {
  readonly paths: PkiPaths;
  /** Whether this ensurePki call wrote any file. */
  readonly generated: boolean;
  /**
   * Issues (or reuses) certsDir/<env>/endpoints/<fqdn>.{pem,key.pem,p12}: CN and SAN = fqdn (plus
   * 127.0.0.1 and ::1 for "localhost"), EKU clientAuth + serverAuth. Throws SimError ENDPOINT_INVALID for
   * a malformed name, DIR_UNWRITABLE or PKI_FAILED otherwise.
   */
  ensureEndpoint(fqdn: string): EndpointCredential;
  tlsServerOptions(): TlsServerMaterial;
}

function pkiFailed(certsDir: string, error: unknown): SimError {
  if (isSimError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new SimError("PKI_FAILED", `Could not create the local PKI in ${certsDir}: ${reason}`, {
    hint: "Delete the generated files in that directory to start afresh, or choose another --certs-dir",
    details: { setting: "certsDir", value: certsDir },
    cause: error,
  });
}

function parseExtraHostnames(values: readonly string[]): SubjectName[] {
  return values.map((value) => {
    const name = parseSubjectName(value, { allowWildcard: true });
    if (name === undefined) {
      throw new SimError("CONFIG_INVALID", `"${value}" is not a host name or IP address`, {
        hint: "Extra host names must be DNS names (optionally *.wildcards) or IP literals",
        details: { setting: "extraHostnames", value },
      });
    }
    return name;
  });
}

/**
 * Runs `assemble` read-only first (the reuse path: no lock, no writes, works on a read-only directory);
 * only if that finds something to write does it create the directories, take the lock and run it again.
 */
function readOnlyFirst<T>(
  certsDir: string,
  now: Date,
  assemble: (context: IssueContext) => T,
): T | undefined {
  try {
    return assemble(readOnlyContext(certsDir, now));
  } catch (error) {
    if (error instanceof NeedsWrite) return undefined;
    throw pkiFailed(certsDir, error);
  }
}

/** Makes every key that will be missing in parallel on the thread pool, instead of one after another. */
async function pregenerateKeys(paths: PkiPaths): Promise<string[]> {
  const { faults } = paths;
  const missing = (path: string): boolean => readKeyFile(path) === undefined;
  const ownKeys = [paths.rootCaKey, paths.subCaKey, paths.serverKey, paths.msgOutKey];
  const faultKeys = [faults.expired.key, faults.notYetValid.key, faults.revoked.key, faults.foreignCa.key];
  let needed = ownKeys.filter(missing).length;
  if (faultKeys.some(missing)) needed += 1; // one shared key, see FAULT_KEY_GROUP
  if (readIfExists(faults.foreignRoot) === undefined) needed += 1;
  return Promise.all(Array.from({ length: needed }, () => generateRsaKeyPemAsync()));
}

/**
 * Creates, or reuses, the simulator's private PKI under options.certsDir: a root shaped like NHS PTL Root
 * Authority, the environment's Level 1C intermediate, the server, msg-out and fault certificates and CRLs.
 * Files that still parse, match the environment and are valid are left untouched; only the rest are
 * rewritten. Throws SimError DIR_UNWRITABLE when the directory cannot be written, CONFIG_INVALID for a
 * malformed extra host name, PKI_FAILED otherwise.
 */
export async function ensurePki(options: EnsurePkiOptions): Promise<Pki> {
  const certsDir = resolve(options.certsDir);
  const clock = options.now ?? (() => new Date());
  const extra = parseExtraHostnames(options.extraHostnames ?? []);
  const paths = pkiPaths(certsDir, options.env);
  const assemble = (context: IssueContext): AssembledPki => assemblePki(paths, options.env, extra, context);

  const now = clock();
  const reused = readOnlyFirst(certsDir, now, assemble);
  let result = reused === undefined ? undefined : { assembled: reused, generated: false };
  if (result === undefined) {
    for (const dir of [certsDir, dirname(paths.rootCa), paths.envDir, paths.faultsDir]) {
      ensureDirectory(dir, certsDir);
    }
    result = await withPkiLock(certsDir, async () => {
      try {
        // Checked again under the lock: another process may have just written everything.
        const context = writableContext(certsDir, now, await pregenerateKeys(paths));
        return { assembled: assemble(context), generated: context.written.length > 0 };
      } catch (error) {
        throw pkiFailed(certsDir, error);
      }
    });
  }
  const { assembled, generated } = result;
  const { server, caBundle, crls } = assembled;
  return {
    paths,
    generated,
    ensureEndpoint: (fqdn) => ensureEndpoint(paths, assembled, fqdn, clock),
    tlsServerOptions: () => ({ key: server.keyPem, cert: server.filePem, ca: caBundle, crl: [...crls] }),
  };
}

function ensureEndpoint(
  paths: PkiPaths,
  pki: AssembledPki,
  fqdn: string,
  clock: () => Date,
): EndpointCredential {
  const name = parseSubjectName(fqdn);
  // IPv6 literals are refused: their colons make awkward file names and no supplier endpoint uses one.
  if (name === undefined || (name.kind === "ip" && name.address.includes(":"))) {
    throw new SimError("ENDPOINT_INVALID", `"${fqdn}" is not a fully qualified host name`, {
      hint: "Use the endpoint's DNS name as registered in SDS, e.g. mhs.supplier.example.nhs.uk",
      details: { setting: "fqdn", value: fqdn },
    });
  }
  const { certsDir } = paths;
  const now = clock();
  const assemble = (context: IssueContext) => assembleEndpoint(paths, pki, name, context);
  const reused = readOnlyFirst(certsDir, now, assemble);
  let result = reused === undefined ? undefined : { endpoint: reused, generated: false };
  if (result === undefined) {
    ensureDirectory(paths.endpointsDir, certsDir);
    result = withPkiLockSync(certsDir, () => {
      try {
        const context = writableContext(certsDir, now);
        return { endpoint: assemble(context), generated: context.written.length > 0 };
      } catch (error) {
        throw pkiFailed(certsDir, error);
      }
    });
  }
  const { endpoint, generated } = result;
  const { host, credential, files } = endpoint;
  return {
    fqdn: host,
    cert: files.cert,
    key: files.key,
    p12: files.p12,
    p12Password: P12_PASSWORD,
    fingerprint256: credential.x509.fingerprint256,
    notAfter: new Date(credential.x509.validTo),
    generated,
  };
}
