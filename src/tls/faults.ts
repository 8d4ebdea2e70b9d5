import { X509Certificate } from "node:crypto";
import { issueCertificate, subjectString } from "./certificate-factory.js";
import { buildCrl, normaliseSerial, readCrl } from "./crl.js";
import { certificateSubject } from "./der.js";
import {
  ensureCredential,
  isAcceptable,
  reuseCredential,
  validityWindow,
  type Authority,
  type Credential,
} from "./credentials.js";
import type { IssueContext } from "./context.js";
import {
  FOREIGN_ROOT_COMMON_NAME,
  ROOT_VALIDITY,
  caName,
  faultSpec,
  foreignLeafSpec,
  type PkiPaths,
} from "./layout.js";
import { PUBLIC_FILE_MODE, loadCertificateChain, readIfExists } from "./pem-files.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CRL_LIFETIME_DAYS = 30;
/** Reissue the CRL a week before nextUpdate: once it passes, OpenSSL refuses every client certificate. */
const CRL_RENEWAL_DAYS = 7;

export interface FaultCredentials {
  readonly expired: Credential;
  readonly notYetValid: Credential;
  readonly revoked: Credential;
  readonly foreignCa: Credential;
}

/** The deliberately broken client/server certificates a test rig uses to check that it refuses them. */
export function ensureFaults(paths: PkiPaths, subCa: Credential, context: IssueContext): FaultCredentials {
  return {
    expired: ensureCredential(faultSpec(paths, "expired", subCa), context),
    notYetValid: ensureCredential(faultSpec(paths, "notYetValid", subCa), context),
    revoked: ensureCredential(faultSpec(paths, "revoked", subCa), context),
    foreignCa: ensureForeignLeaf(paths, context),
  };
}

function soundForeignRoot(paths: PkiPaths, now: Date): Authority | undefined {
  const chain = loadCertificateChain(paths.faults.foreignRoot);
  const root = chain?.leaf;
  const certPem = chain?.leafPem;
  if (root === undefined || certPem === undefined) return undefined;
  const sound =
    root.ca &&
    root.subject === subjectString(caName(FOREIGN_ROOT_COMMON_NAME)) &&
    root.issuer === root.subject &&
    isAcceptable(ROOT_VALIDITY, root, now) &&
    root.verify(root.publicKey);
  return sound ? { certPem, keyPem: undefined, x509: root } : undefined;
}

/**
 * The foreign root's key is never stored (nothing legitimate should be able to sign under it), so when
 * the leaf needs reissuing the root is made afresh too.
 */
function ensureForeignLeaf(paths: PkiPaths, context: IssueContext): Credential {
  const existingRoot = soundForeignRoot(paths, context.now);
  const reused = existingRoot && reuseCredential(foreignLeafSpec(paths, existingRoot), context.now);
  if (reused !== undefined) return reused;
  context.claim(paths.faults.foreignRoot);

  const keyPem = context.newKey();
  const certPem = issueCertificate({
    subject: caName(FOREIGN_ROOT_COMMON_NAME),
    profile: "root",
    subjectKeyPem: keyPem,
    ...validityWindow(ROOT_VALIDITY, context.now, undefined),
  });
  context.write(paths.faults.foreignRoot, certPem, PUBLIC_FILE_MODE);
  const root: Authority = { certPem, keyPem, x509: new X509Certificate(certPem) };
  return ensureCredential(foreignLeafSpec(paths, root), context);
}

function crlIsCurrent(
  text: string | undefined,
  issuer: X509Certificate,
  revokedSerials: readonly string[],
  now: Date,
): boolean {
  const crl = text === undefined ? undefined : readCrl(text);
  if (crl?.nextUpdate === undefined) return false;
  const serials = [...crl.serials].sort();
  const wanted = [...revokedSerials].sort();
  return (
    crl.thisUpdate.getTime() <= now.getTime() &&
    crl.nextUpdate.getTime() - now.getTime() > CRL_RENEWAL_DAYS * DAY_MS &&
    serials.length === wanted.length &&
    serials.every((serial, index) => serial === wanted[index]) &&
    crl.issuerName.equals(certificateSubject(issuer.raw)) &&
    crl.verifySignature(issuer)
  );
}

/**
 * A CRL at `path` signed by `issuer` and listing exactly `revoked`: certsDir/<env>/crl.pem from the
 * intermediate (listing the revoked fault certificate), and ca/root-ca.crl.pem from the root (empty). Node
 * checks CRLs for the whole chain (X509_V_FLAG_CRL_CHECK_ALL), so the root needs one too.
 */
export function ensureCrl(
  path: string,
  issuer: Credential,
  revoked: readonly X509Certificate[],
  context: IssueContext,
): string {
  const existing = readIfExists(path)?.toString("utf8");
  const serials = revoked.map((cert) => normaliseSerial(cert.serialNumber));
  if (existing !== undefined && crlIsCurrent(existing, issuer.x509, serials, context.now)) return existing;
  context.claim(path);

  const now = context.now.getTime();
  const pem = buildCrl({
    issuer: { certPem: issuer.certPem, keyPem: issuer.keyPem },
    // The certificate's own notBefore keeps the revocation date stable across CRL reissues.
    revoked: revoked.map((cert) => ({ serialHex: cert.serialNumber, revokedAt: new Date(cert.validFrom) })),
    thisUpdate: new Date(now - HOUR_MS),
    nextUpdate: new Date(now + CRL_LIFETIME_DAYS * DAY_MS),
  });
  context.write(path, pem, PUBLIC_FILE_MODE);
  return pem;
}
