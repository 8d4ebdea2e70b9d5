import { generateKeyPair, generateKeyPairSync, randomBytes, sign, type RSAKeyPairOptions } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

export type ExtendedKeyUsage = "serverAuth" | "clientAuth";
export type CertificateProfile = "root" | "intermediate" | "leaf";

export interface DistinguishedName {
  readonly commonName: string;
  readonly organizationalUnit?: string;
  readonly organization?: string;
}

/** A CA able to sign: its certificate and private key, both PEM. */
export interface SigningAuthority {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateRequest {
  readonly subject: DistinguishedName;
  readonly profile: CertificateProfile;
  /** PEM private key whose public half the certificate certifies. */
  readonly subjectKeyPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Absent for a self-signed certificate. */
  readonly issuer?: SigningAuthority;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly extendedKeyUsage?: readonly ExtendedKeyUsage[];
}

const RSA_OPTIONS: RSAKeyPairOptions<"pem", "pem"> = {
  modulusLength: 2048,
  publicExponent: 0x10001,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
};

const generateKeyPairAsync = promisify(generateKeyPair);

/** A new RSA 2048 key as PKCS#8 PEM, generated natively (node-forge's pure-JS generator is ~50x slower). */
export function generateRsaKeyPem(): string {
  return generateKeyPairSync("rsa", RSA_OPTIONS).privateKey;
}

/** As generateRsaKeyPem, on the libuv thread pool so that several keys are made in parallel. */
export async function generateRsaKeyPemAsync(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync("rsa", RSA_OPTIONS);
  return privateKey;
}

/**
 * 16 random bytes as hex, top bit cleared so the DER INTEGER is positive and second bit set so it never
 * starts with a zero byte (which would make the encoding non-minimal).
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString("hex");
}

/** The subject as node:crypto's X509Certificate#subject prints it (DER order, one attribute per line). */
export function subjectString(dn: DistinguishedName): string {
  return dnAttributes(dn)
    .map((attribute) => `${attribute.shortName}=${attribute.value}`)
    .join("\n");
}

interface NamedAttribute extends forge.pki.CertificateField {
  readonly shortName: "O" | "OU" | "CN";
  readonly value: string;
}

/** UTF8String as OpenSSL writes by default (forge would pick PrintableString, which rejects e.g. "_"). */
// The typings declare valueTagClass as a Class, but node-forge reads it as the universal Type tag.
const UTF8_TAG = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

function dnAttributes(dn: DistinguishedName): NamedAttribute[] {
  const attributes: NamedAttribute[] = [];
  if (dn.organization !== undefined) {
    attributes.push({ shortName: "O", value: dn.organization, valueTagClass: UTF8_TAG });
  }
  if (dn.organizationalUnit !== undefined) {
    attributes.push({ shortName: "OU", value: dn.organizationalUnit, valueTagClass: UTF8_TAG });
  }
  attributes.push({ shortName: "CN", value: dn.commonName, valueTagClass: UTF8_TAG });
  return attributes;
}

/** The key identifier a child certificate must name: the issuer's own SKI if it has one. */
function keyIdentifierOf(cert: forge.pki.Certificate): string {
  const extension = cert.getExtension("subjectKeyIdentifier") as
    { subjectKeyIdentifier?: string } | undefined;
  const hex = extension?.subjectKeyIdentifier;
  return hex === undefined ? cert.generateSubjectKeyIdentifier().getBytes() : forge.util.hexToBytes(hex);
}

function rsaPrivateKey(pem: string): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(pem);
}

// Exported by node-forge at run time but missing from its typings.
const forgePki = forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

/**
 * What cert.sign(key, forge.md.sha256.create()) does, with the RSA private-key operation done natively:
 * node-forge's pure-JS one takes ~75 ms per signature, node:crypto's well under 1 ms.
 */
function signSha256WithRsa(cert: forge.pki.Certificate, signingKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  if (oid === undefined) throw new Error("node-forge lacks the sha256WithRSAEncryption OID");
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  cert.tbsCertificate = forgePki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, signingKeyPem).toString("binary");
}

function extensionsFor(request: CertificateRequest, authorityKeyId: string | undefined): object[] {
  const extensions: object[] = [];
  if (request.profile === "leaf") {
    extensions.push({ name: "basicConstraints", cA: false, critical: true });
    extensions.push({ name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true });
  } else {
    extensions.push(
      request.profile === "intermediate"
        ? { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true }
        : { name: "basicConstraints", cA: true, critical: true },
    );
    extensions.push({ name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true });
  }
  const usages = request.extendedKeyUsage ?? [];
  if (usages.length > 0) {
    extensions.push({
      name: "extKeyUsage",
      serverAuth: usages.includes("serverAuth"),
      clientAuth: usages.includes("clientAuth"),
    });
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: "subjectAltName", altNames });
  extensions.push({ name: "subjectKeyIdentifier" });
  if (authorityKeyId !== undefined) {
    extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: authorityKeyId });
  }
  return extensions;
}

/** Builds and signs (sha256WithRSAEncryption) one X.509 v3 certificate; returns it as PEM. */
export function issueCertificate(request: CertificateRequest): string {
  const subjectKey = rsaPrivateKey(request.subjectKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(subjectKey.n, subjectKey.e);
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  const subject = dnAttributes(request.subject);
  cert.setSubject(subject);

  let authorityKeyId: string | undefined;
  if (request.issuer === undefined) {
    cert.setIssuer(subject);
  } else {
    const issuerCert = forge.pki.certificateFromPem(request.issuer.certPem);
    // Copy the issuer's parsed attributes so the encoding (string types included) matches its subject.
    cert.setIssuer(issuerCert.subject.attributes);
    authorityKeyId = keyIdentifierOf(issuerCert);
  }
  cert.setExtensions(extensionsFor(request, authorityKeyId));
  signSha256WithRsa(cert, request.issuer?.keyPem ?? request.subjectKeyPem);
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n");
}
