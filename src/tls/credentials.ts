import { X509Certificate } from "node:crypto";
import {
  issueCertificate,
  subjectString,
  type CertificateProfile,
  type DistinguishedName,
  type ExtendedKeyUsage,
} from "./certificate-factory.js";
import type { IssueContext } from "./context.js";
import {
  KEY_FILE_MODE,
  PUBLIC_FILE_MODE,
  loadCertificateChain,
  loadRsaKey,
  readKeyFile,
  type KeyFile,
  type LoadedChain,
} from "./pem-files.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Certificates this close to notAfter are renewed, so a (re)start never picks up one about to lapse. */
export const RENEWAL_MARGIN_DAYS = 30;

/** How a certificate's validity period is chosen and when an existing one is still good enough. */
export type ValidityPolicy =
  | { readonly kind: "current"; readonly lifetimeDays: number }
  | { readonly kind: "expired" }
  | { readonly kind: "notYetValid" };

const EKU_OIDS: Readonly<Record<ExtendedKeyUsage, string>> = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

/** A CA certificate as the checks and the signer need it. keyPem is absent when the key is not kept. */
export interface Authority {
  readonly certPem: string;
  readonly keyPem: string | undefined;
  readonly x509: X509Certificate;
}

export interface CredentialSpec {
  readonly certPath: string;
  readonly keyPath: string;
  readonly subject: DistinguishedName;
  readonly profile: CertificateProfile;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly extendedKeyUsage: readonly ExtendedKeyUsage[];
  readonly validity: ValidityPolicy;
  /** Absent for a self-signed certificate. */
  readonly issuer?: Authority;
  /** Certificates written after this one in the same file (the intermediate for a leaf). */
  readonly chain: readonly string[];
  /** Specs naming the same group get one shared new key per call (see IssueContext.newKey). */
  readonly keyGroup?: string;
}

export interface Credential extends Authority {
  readonly keyPem: string;
  /** The certificate file's whole text: this certificate then `chain`. */
  readonly filePem: string;
  /** Whether this call (re)wrote the certificate. */
  readonly issued: boolean;
}

export function validityWindow(
  policy: ValidityPolicy,
  now: Date,
  issuerNotAfter: Date | undefined,
): { notBefore: Date; notAfter: Date } {
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);
  switch (policy.kind) {
    case "current": {
      // Back-dated an hour so a client whose clock lags slightly still accepts a fresh certificate.
      const notAfter = at(policy.lifetimeDays * DAY_MS);
      const capped = issuerNotAfter !== undefined && issuerNotAfter < notAfter ? issuerNotAfter : notAfter;
      return { notBefore: at(-HOUR_MS), notAfter: capped };
    }
    case "expired":
      return { notBefore: at(-400 * DAY_MS), notAfter: at(-35 * DAY_MS) };
    case "notYetValid":
      return { notBefore: at(365 * DAY_MS), notAfter: at(730 * DAY_MS) };
  }
}

export function isAcceptable(policy: ValidityPolicy, cert: X509Certificate, now: Date): boolean {
  const notBefore = new Date(cert.validFrom).getTime();
  const notAfter = new Date(cert.validTo).getTime();
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) return false;
  const t = now.getTime();
  switch (policy.kind) {
    case "current":
      return notBefore <= t && notAfter - t > RENEWAL_MARGIN_DAYS * DAY_MS;
    case "expired":
      return notAfter < t;
    case "notYetValid":
      return notBefore > t + DAY_MS;
  }
}

/** IP literals in one canonical text form (the WHATWG URL serialiser's) so "0:0:0:0:0:0:0:1" equals "::1". */
function canonicalIp(ip: string): string {
  try {
    return new URL(`http://${ip.includes(":") ? `[${ip}]` : ip}/`).hostname;
  } catch {
    return ip;
  }
}

/** The SANs of a certificate, as a sorted list of "DNS:name" / "IP:address" strings. */
export function sanList(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (text === undefined) return [];
  return text
    .split(", ")
    .map((entry) => {
      if (entry.startsWith("DNS:")) return `DNS:${entry.slice(4).toLowerCase()}`;
      if (entry.startsWith("IP Address:")) return `IP:${canonicalIp(entry.slice(11))}`;
      return entry;
    })
    .sort();
}

function expectedSans(spec: Pick<CredentialSpec, "dnsNames" | "ipAddresses">): string[] {
  return [
    ...new Set([
      ...spec.dnsNames.map((name) => `DNS:${name.toLowerCase()}`),
      ...spec.ipAddresses.map((ip) => `IP:${canonicalIp(ip)}`),
    ]),
  ].sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function certificateModulus(cert: X509Certificate): string | undefined {
  const { n } = cert.publicKey.export({ format: "jwk" });
  return n === undefined
    ? undefined
    : Buffer.from(n, "base64url")
        .toString("hex")
        .replace(/^0+(?=.)/, "");
}

/** Cheap checks only (parsing, name and date comparisons, one RSA public-key signature check). */
export function matchesSpec(spec: CredentialSpec, chain: LoadedChain, key: KeyFile, now: Date): boolean {
  const { leaf } = chain;
  if (certificateModulus(leaf) !== key.modulusHex) return false;
  if (leaf.subject !== subjectString(spec.subject)) return false;
  if (leaf.ca !== (spec.profile !== "leaf")) return false;
  if (!isAcceptable(spec.validity, leaf, now)) return false;
  const issuer = spec.issuer?.x509;
  if (issuer === undefined) {
    if (leaf.issuer !== leaf.subject || !leaf.verify(leaf.publicKey)) return false;
  } else if (!leaf.checkIssued(issuer) || !leaf.verify(issuer.publicKey)) {
    return false;
  }
  if (!sameList(sanList(leaf), expectedSans(spec))) return false;
  const usages = spec.extendedKeyUsage.map((usage) => EKU_OIDS[usage]).sort();
  // Typed as always present, but undefined at run time for a certificate without the extension.
  const present = leaf.keyUsage as readonly string[] | undefined;
  if (!sameList([...(present ?? [])].sort(), usages)) return false;
  return sameList(chain.pems.slice(1), spec.chain);
}

/** The existing credential if it still satisfies `spec`; never writes. */
export function reuseCredential(spec: CredentialSpec, now: Date): Credential | undefined {
  const key = readKeyFile(spec.keyPath);
  const chain = loadCertificateChain(spec.certPath);
  if (key === undefined || chain === undefined || !matchesSpec(spec, chain, key, now)) return undefined;
  const certPem = chain.leafPem;
  return { certPem, keyPem: key.pem, x509: chain.leaf, filePem: chain.pems.join(""), issued: false };
}

/**
 * Reuses the certificate at spec.certPath when it still satisfies the spec; otherwise issues a new one,
 * keeping the existing private key when that is sound (so deleting a certificate rewrites that file only).
 */
export function ensureCredential(spec: CredentialSpec, context: IssueContext): Credential {
  const reused = reuseCredential(spec, context.now);
  if (reused !== undefined) return reused;
  context.claim(spec.certPath);

  let keyPem = loadRsaKey(spec.keyPath)?.pem;
  if (keyPem === undefined) {
    keyPem = context.newKey(spec.keyGroup);
    // The key goes first: a crash between the two writes leaves a mismatch the next run repairs.
    context.write(spec.keyPath, keyPem, KEY_FILE_MODE);
  }
  const issuer = spec.issuer;
  if (issuer !== undefined && issuer.keyPem === undefined) {
    throw new Error(`cannot reissue ${spec.certPath}: the issuer's private key is not available`);
  }
  const window = validityWindow(
    spec.validity,
    context.now,
    issuer ? new Date(issuer.x509.validTo) : undefined,
  );
  const certPem = issueCertificate({
    subject: spec.subject,
    profile: spec.profile,
    subjectKeyPem: keyPem,
    ...window,
    ...(issuer?.keyPem === undefined ? {} : { issuer: { certPem: issuer.certPem, keyPem: issuer.keyPem } }),
    dnsNames: spec.dnsNames,
    ipAddresses: spec.ipAddresses,
    extendedKeyUsage: spec.extendedKeyUsage,
  });
  const filePem = [certPem, ...spec.chain].join("");
  context.write(spec.certPath, filePem, PUBLIC_FILE_MODE);
  return { certPem, keyPem, x509: new X509Certificate(certPem), filePem, issued: true };
}
