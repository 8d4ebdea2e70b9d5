import { join } from "node:path";
import { serviceHostnames, spineRootCommonName, type EnvironmentProfile } from "../config/environments.js";
import type { DistinguishedName } from "./certificate-factory.js";
import type { Authority, CredentialSpec, ValidityPolicy } from "./credentials.js";
import { partitionNames, type SubjectName } from "./hostnames.js";

/** A certificate file (leaf first, then its chain) and its private key. */
export interface CertKeyPaths {
  readonly cert: string;
  readonly key: string;
}

/** Where every generated file lives; see certs/README.md. */
export interface PkiPaths {
  readonly certsDir: string;
  /** certsDir/<env>: everything that depends on the environment. */
  readonly envDir: string;
  readonly rootCa: string;
  readonly rootCaDer: string;
  readonly rootCaKey: string;
  /** The root's (empty) CRL: Node checks revocation for every certificate of the chain, not just the leaf. */
  readonly rootCrl: string;
  readonly subCa: string;
  readonly subCaDer: string;
  readonly subCaKey: string;
  /** Intermediate then root: what a supplier trusts (NODE_EXTRA_CA_CERTS-compatible). */
  readonly caBundle: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly msgOutCert: string;
  readonly msgOutKey: string;
  /** The intermediate's CRL, listing the revoked fault certificate. */
  readonly crl: string;
  readonly endpointsDir: string;
  readonly faultsDir: string;
  readonly faults: {
    readonly expired: CertKeyPaths;
    readonly notYetValid: CertKeyPaths;
    /** A leaf signed by foreignRoot, which nothing in the simulator trusts. */
    readonly foreignCa: CertKeyPaths;
    /** The foreign root certificate only: its key is discarded after signing. */
    readonly foreignRoot: string;
    readonly revoked: CertKeyPaths;
  };
}

export const ORGANIZATION = "nhs";
export const LEAF_UNIT = "SPINE-SIM TEST ONLY";
export const FOREIGN_ROOT_COMMON_NAME = "SPINE-SIM TEST ONLY Foreign Root";
export const P12_PASSWORD = "spine-sim";

export const ROOT_VALIDITY: ValidityPolicy = { kind: "current", lifetimeDays: 7305 }; // 20 years, like NHS PTL Root
const SUB_CA_VALIDITY: ValidityPolicy = { kind: "current", lifetimeDays: 3652 }; // 10 years, like Level 1C
// 397 days: Apple platforms refuse longer-lived TLS server certificates even from private roots.
const LEAF_VALIDITY: ValidityPolicy = { kind: "current", lifetimeDays: 397 };

export const caName = (commonName: string): DistinguishedName => ({
  commonName,
  organizationalUnit: "CA",
  organization: ORGANIZATION,
});
const leafName = (commonName: string): DistinguishedName => ({
  commonName,
  organizationalUnit: LEAF_UNIT,
  organization: ORGANIZATION,
});

export function pkiPaths(certsDir: string, env: EnvironmentProfile): PkiPaths {
  const caDir = join(certsDir, "ca");
  const envDir = join(certsDir, env.name);
  const faultsDir = join(envDir, "faults");
  const fault = (name: string): CertKeyPaths => ({
    cert: join(faultsDir, `${name}.pem`),
    key: join(faultsDir, `${name}.key.pem`),
  });
  return {
    certsDir,
    envDir,
    rootCa: join(caDir, "root-ca.pem"),
    rootCaDer: join(caDir, "root-ca.der"),
    rootCaKey: join(caDir, "root-ca.key.pem"),
    rootCrl: join(caDir, "root-ca.crl.pem"),
    subCa: join(envDir, "sub-ca.pem"),
    subCaDer: join(envDir, "sub-ca.der"),
    subCaKey: join(envDir, "sub-ca.key.pem"),
    caBundle: join(envDir, "ca-bundle.pem"),
    serverCert: join(envDir, "server.pem"),
    serverKey: join(envDir, "server.key.pem"),
    msgOutCert: join(envDir, "msg-out.pem"),
    msgOutKey: join(envDir, "msg-out.key.pem"),
    crl: join(envDir, "crl.pem"),
    endpointsDir: join(envDir, "endpoints"),
    faultsDir,
    faults: {
      expired: fault("expired"),
      notYetValid: fault("not-yet-valid"),
      foreignCa: fault("foreign-ca"),
      foreignRoot: join(faultsDir, "foreign-root.pem"),
      revoked: fault("revoked"),
    },
  };
}

export function endpointPaths(paths: PkiPaths, fqdn: string): CertKeyPaths & { readonly p12: string } {
  return {
    cert: join(paths.endpointsDir, `${fqdn}.pem`),
    key: join(paths.endpointsDir, `${fqdn}.key.pem`),
    p12: join(paths.endpointsDir, `${fqdn}.p12`),
  };
}

const noNames = { dnsNames: [], ipAddresses: [] } as const;

export function rootSpec(paths: PkiPaths): CredentialSpec {
  return {
    certPath: paths.rootCa,
    keyPath: paths.rootCaKey,
    subject: caName(spineRootCommonName),
    profile: "root",
    ...noNames,
    extendedKeyUsage: [],
    validity: ROOT_VALIDITY,
    chain: [],
  };
}

export function subCaSpec(paths: PkiPaths, env: EnvironmentProfile, root: Authority): CredentialSpec {
  return {
    certPath: paths.subCa,
    keyPath: paths.subCaKey,
    subject: caName(env.certificateAuthority.intermediateCommonName),
    profile: "intermediate",
    ...noNames,
    extendedKeyUsage: [],
    validity: SUB_CA_VALIDITY,
    issuer: root,
    chain: [],
  };
}

/** A leaf issued by the environment intermediate, with the intermediate appended to its file. */
function leafSpec(
  cert: CertKeyPaths,
  commonName: string,
  names: readonly SubjectName[],
  subCa: Authority,
  options: { serverOnly?: boolean; validity?: ValidityPolicy; keyGroup?: string } = {},
): CredentialSpec {
  return {
    ...(options.keyGroup === undefined ? {} : { keyGroup: options.keyGroup }),
    certPath: cert.cert,
    keyPath: cert.key,
    subject: leafName(commonName),
    profile: "leaf",
    ...partitionNames(names),
    extendedKeyUsage: options.serverOnly === true ? ["serverAuth"] : ["clientAuth", "serverAuth"],
    validity: options.validity ?? LEAF_VALIDITY,
    issuer: subCa,
    chain: [subCa.certPem],
  };
}

const dns = (name: string): SubjectName => ({ kind: "dns", name });
const ip = (address: string): SubjectName => ({ kind: "ip", address });
const LOOPBACK: readonly SubjectName[] = [dns("localhost"), ip("127.0.0.1"), ip("::1")];

export function serverSpec(
  paths: PkiPaths,
  env: EnvironmentProfile,
  subCa: Authority,
  extra: readonly SubjectName[],
): CredentialSpec {
  const names = [...serviceHostnames(env).map(dns), ...LOOPBACK, ...extra];
  return leafSpec({ cert: paths.serverCert, key: paths.serverKey }, env.hosts.messaging, names, subCa, {
    serverOnly: true,
  });
}

export function msgOutSpec(paths: PkiPaths, env: EnvironmentProfile, subCa: Authority): CredentialSpec {
  const host = env.hosts.messagingOut;
  return leafSpec({ cert: paths.msgOutCert, key: paths.msgOutKey }, host, [dns(host)], subCa);
}

export function endpointSpec(paths: PkiPaths, name: SubjectName, subCa: Authority): CredentialSpec {
  const text = name.kind === "dns" ? name.name : name.address;
  const names = text === "localhost" ? LOOPBACK : [name];
  return leafSpec(endpointPaths(paths, text), text, names, subCa);
}

/** Fault leaves are told apart by their certificates; one key between them saves ~600 ms on a first run. */
export const FAULT_KEY_GROUP = "faults";

export type FaultName = "expired" | "notYetValid" | "revoked";

const FAULT_FILE: Readonly<Record<FaultName | "foreignCa", string>> = {
  expired: "expired",
  notYetValid: "not-yet-valid",
  revoked: "revoked",
  foreignCa: "foreign-ca",
};

export const faultCommonName = (fault: FaultName | "foreignCa"): string =>
  `${FAULT_FILE[fault]}.fault.spine-sim.test`;

const faultNames = (fault: FaultName | "foreignCa"): SubjectName[] => [
  dns(faultCommonName(fault)),
  dns("localhost"),
  ip("127.0.0.1"),
];

export function faultSpec(paths: PkiPaths, fault: FaultName, subCa: Authority): CredentialSpec {
  const validity: ValidityPolicy =
    fault === "expired"
      ? { kind: "expired" }
      : fault === "notYetValid"
        ? { kind: "notYetValid" }
        : LEAF_VALIDITY;
  return leafSpec(paths.faults[fault], faultCommonName(fault), faultNames(fault), subCa, {
    validity,
    keyGroup: FAULT_KEY_GROUP,
  });
}

export function foreignLeafSpec(paths: PkiPaths, foreignRoot: Authority): CredentialSpec {
  return {
    ...leafSpec(paths.faults.foreignCa, faultCommonName("foreignCa"), faultNames("foreignCa"), foreignRoot, {
      keyGroup: FAULT_KEY_GROUP,
    }),
    // A client presents the leaf alone: the foreign root is a trust anchor, not part of the chain.
    chain: [],
  };
}
