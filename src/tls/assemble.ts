import type { EnvironmentProfile } from "../config/environments.js";
import type { IssueContext } from "./context.js";
import { ensureCredential, type Credential } from "./credentials.js";
import { ensureCrl, ensureFaults } from "./faults.js";
import type { SubjectName } from "./hostnames.js";
import {
  P12_PASSWORD,
  endpointPaths,
  endpointSpec,
  msgOutSpec,
  rootSpec,
  serverSpec,
  subCaSpec,
  type PkiPaths,
} from "./layout.js";
import { KEY_FILE_MODE, PUBLIC_FILE_MODE, readIfExists } from "./pem-files.js";
import { buildPkcs12, pkcs12Holds } from "./pkcs12.js";

export interface AssembledPki {
  readonly root: Credential;
  readonly subCa: Credential;
  readonly server: Credential;
  readonly caBundle: string;
  /** The intermediate's CRL, then the root's. */
  readonly crls: readonly [string, string];
}

/** Brings every environment file up to date, in dependency order (an issuer before what it signs). */
export function assemblePki(
  paths: PkiPaths,
  env: EnvironmentProfile,
  extraNames: readonly SubjectName[],
  context: IssueContext,
): AssembledPki {
  const root = ensureCredential(rootSpec(paths), context);
  const subCa = ensureCredential(subCaSpec(paths, env, root), context);
  const server = ensureCredential(serverSpec(paths, env, subCa, extraNames), context);
  ensureCredential(msgOutSpec(paths, env, subCa), context);
  const faults = ensureFaults(paths, subCa, context);
  const crls = [
    ensureCrl(paths.crl, subCa, [faults.revoked.x509], context),
    ensureCrl(paths.rootCrl, root, [], context),
  ] as const;
  const caBundle = subCa.certPem + root.certPem;
  context.writeIfChanged(paths.rootCaDer, root.x509.raw, PUBLIC_FILE_MODE);
  context.writeIfChanged(paths.subCaDer, subCa.x509.raw, PUBLIC_FILE_MODE);
  context.writeIfChanged(paths.caBundle, caBundle, PUBLIC_FILE_MODE);
  return { root, subCa, server, caBundle, crls };
}

export interface AssembledEndpoint {
  readonly host: string;
  readonly credential: Credential;
  readonly files: ReturnType<typeof endpointPaths>;
}

/** One supplier endpoint's PEM, key and PKCS#12 (leaf, intermediate, root) files. */
export function assembleEndpoint(
  paths: PkiPaths,
  pki: AssembledPki,
  name: SubjectName,
  context: IssueContext,
): AssembledEndpoint {
  const host = name.kind === "dns" ? name.name : name.address;
  const credential = ensureCredential(endpointSpec(paths, name, pki.subCa), context);
  const files = endpointPaths(paths, host);
  const chain = [credential, pki.subCa, pki.root];
  const p12 = readIfExists(files.p12);
  const ders = chain.map((cert) => cert.x509.raw);
  const current = p12 !== undefined && pkcs12Holds(p12, ders);
  if (credential.issued || !current) {
    context.claim(files.p12);
    const pfx = buildPkcs12({
      keyPem: credential.keyPem,
      chainPems: chain.map((cert) => cert.certPem),
      password: P12_PASSWORD,
      friendlyName: host,
    });
    // Holds the private key, so owner-only like the .key.pem file.
    context.write(files.p12, pfx, KEY_FILE_MODE);
  }
  return { host, credential, files };
}
