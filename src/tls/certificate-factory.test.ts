import { X509Certificate, createPrivateKey } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  generateRsaKeyPem,
  issueCertificate,
  randomSerialHex,
  subjectString,
} from "./certificate-factory.js";
import { certificateSubject, rsaPrivateKeyModulus } from "./der.js";

const DAY = 86_400_000;
const now = Date.now();
let rootKey: string;
let rootPem: string;
let subKey: string;
let subPem: string;
let leafPem: string;

interface ForgeExtension {
  name: string;
  critical?: boolean;
  cA?: boolean;
  pathLenConstraint?: number;
  keyCertSign?: boolean;
  cRLSign?: boolean;
  digitalSignature?: boolean;
  subjectKeyIdentifier?: string;
  keyIdentifier?: string;
  altNames?: Array<{ type: number; value?: string; ip?: string }>;
}

function extension(pem: string, name: string): ForgeExtension | undefined {
  return forge.pki.certificateFromPem(pem).getExtension(name) as ForgeExtension | undefined;
}

/** The keyIdentifier bytes (hex) inside an authorityKeyIdentifier extension, which forge does not decode. */
function authorityKeyId(pem: string): string {
  const ext = forge.pki
    .certificateFromPem(pem)
    .extensions.find((candidate: { name?: string }) => candidate.name === "authorityKeyIdentifier") as
    { value: string } | undefined;
  const sequence = forge.asn1.fromDer(ext?.value ?? "");
  const first = (sequence.value as forge.asn1.Asn1[])[0];
  return forge.util.bytesToHex(typeof first?.value === "string" ? first.value : "");
}

beforeAll(() => {
  rootKey = generateRsaKeyPem();
  subKey = generateRsaKeyPem();
  rootPem = issueCertificate({
    subject: { commonName: "SPINE-SIM TEST ONLY unit root", organizationalUnit: "CA", organization: "nhs" },
    profile: "root",
    subjectKeyPem: rootKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 7305 * DAY),
  });
  subPem = issueCertificate({
    subject: { commonName: "SPINE-SIM TEST ONLY unit sub", organizationalUnit: "CA", organization: "nhs" },
    profile: "intermediate",
    subjectKeyPem: subKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3652 * DAY),
    issuer: { certPem: rootPem, keyPem: rootKey },
  });
  leafPem = issueCertificate({
    subject: { commonName: "leaf_with_underscore.example" },
    profile: "leaf",
    subjectKeyPem: subKey, // any key will do for a unit test
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    issuer: { certPem: subPem, keyPem: subKey },
    dnsNames: ["leaf.example", "localhost"],
    ipAddresses: ["127.0.0.1", "::1"],
    extendedKeyUsage: ["clientAuth", "serverAuth"],
  });
});

describe("randomSerialHex", () => {
  it("is 16 bytes, positive and minimally encoded, and random", () => {
    const serials = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const serial = randomSerialHex();
      expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
      serials.add(serial);
    }
    expect(serials.size).toBe(200);
  });
});

describe("issueCertificate", () => {
  it("makes a self-signed sha256WithRSA root with critical CA constraints and key usage", () => {
    const root = new X509Certificate(rootPem);
    expect(root.subject).toBe("O=nhs\nOU=CA\nCN=SPINE-SIM TEST ONLY unit root");
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.ca).toBe(true);
    expect(root.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(forge.pki.certificateFromPem(rootPem).signatureOid).toBe("1.2.840.113549.1.1.11");
    expect(extension(rootPem, "basicConstraints")).toMatchObject({ cA: true, critical: true });
    expect(extension(rootPem, "basicConstraints")?.pathLenConstraint).toBeUndefined();
    expect(extension(rootPem, "keyUsage")).toMatchObject({
      keyCertSign: true,
      cRLSign: true,
      critical: true,
    });
    expect(extension(rootPem, "keyUsage")?.digitalSignature).toBe(false);
    expect(extension(rootPem, "subjectKeyIdentifier")?.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
  });

  it("makes an intermediate with pathlen 0 whose authority key id is the root's subject key id", () => {
    const sub = new X509Certificate(subPem);
    expect(sub.verify(new X509Certificate(rootPem).publicKey)).toBe(true);
    expect(sub.checkIssued(new X509Certificate(rootPem))).toBe(true);
    expect(extension(subPem, "basicConstraints")).toMatchObject({
      cA: true,
      pathLenConstraint: 0,
      critical: true,
    });
    expect(authorityKeyId(subPem)).toBe(extension(rootPem, "subjectKeyIdentifier")?.subjectKeyIdentifier);
    // The issuer Name is copied byte for byte, so name chaining cannot fail on string types.
    expect(certificateSubject(sub.raw).length).toBeGreaterThan(0);
  });

  it("makes a leaf with SANs, EKUs and a UTF8String CN that PrintableString could not hold", () => {
    const leaf = new X509Certificate(leafPem);
    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe(subjectString({ commonName: "leaf_with_underscore.example" }));
    expect(leaf.subjectAltName).toBe(
      "DNS:leaf.example, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect([...leaf.keyUsage].sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(extension(leafPem, "keyUsage")).toMatchObject({ digitalSignature: true, keyCertSign: false });
    expect(leaf.verify(new X509Certificate(subPem).publicKey)).toBe(true);
  });
});

describe("rsaPrivateKeyModulus", () => {
  it("reads the modulus from PKCS#8 and PKCS#1 keys and refuses other key types", () => {
    const key = createPrivateKey(rootKey);
    const n = Buffer.from(key.export({ format: "jwk" }).n ?? "", "base64url").toString("hex");
    const pkcs8 = key.export({ format: "der", type: "pkcs8" });
    const pkcs1 = key.export({ format: "der", type: "pkcs1" });
    expect(rsaPrivateKeyModulus(pkcs8)).toBe(n);
    expect(rsaPrivateKeyModulus(pkcs1)).toBe(n);
    const ec = createPrivateKey({ key: { kty: "EC", crv: "P-256", ...ecJwk() }, format: "jwk" });
    expect(rsaPrivateKeyModulus(ec.export({ format: "der", type: "pkcs8" }))).toBeUndefined();
  });
});

function ecJwk(): { x: string; y: string; d: string } {
  // A fixed P-256 test key (RFC 7515 appendix A.3), public and useless for anything but this check.
  return {
    x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    d: "jpsQnnGQmL-YBIffH1136cLV8v9K5OwAlB8ayuJ9sxo",
  };
}
