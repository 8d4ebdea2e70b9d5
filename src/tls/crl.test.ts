import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPem, issueCertificate } from "./certificate-factory.js";
import { buildCrl, normaliseSerial, readCrl } from "./crl.js";
import { certificateSubject } from "./der.js";

const DAY = 86_400_000;
let ca: { certPem: string; keyPem: string; x509: X509Certificate };
let otherCa: X509Certificate;

function makeCa(commonName: string): { certPem: string; keyPem: string; x509: X509Certificate } {
  const keyPem = generateRsaKeyPem();
  const certPem = issueCertificate({
    subject: { commonName, organizationalUnit: "CA", organization: "nhs" },
    profile: "root",
    subjectKeyPem: keyPem,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
  });
  return { certPem, keyPem, x509: new X509Certificate(certPem) };
}

beforeAll(() => {
  ca = makeCa("SPINE-SIM TEST ONLY CRL test CA");
  otherCa = makeCa("SPINE-SIM TEST ONLY CRL test CA").x509; // same name, different key
});

describe("buildCrl / readCrl", () => {
  it("round-trips issuer, dates and serials, and the signature verifies only with the issuer", () => {
    const thisUpdate = new Date("2026-01-02T03:04:05Z");
    const nextUpdate = new Date(thisUpdate.getTime() + 30 * DAY);
    const pem = buildCrl({
      issuer: ca,
      revoked: [
        { serialHex: "5D39AAEEAE9C64075167525B3A7954D9", revokedAt: thisUpdate },
        { serialHex: "00ff01", revokedAt: thisUpdate }, // top bit set once leading zeros go: needs a 0x00 pad
      ],
      thisUpdate,
      nextUpdate,
    });
    expect(pem).toMatch(/^-----BEGIN X509 CRL-----\n[\s\S]+\n-----END X509 CRL-----\n$/);
    const crl = readCrl(pem);
    expect(crl).toBeDefined();
    expect(crl?.serials).toEqual(["5d39aaeeae9c64075167525b3a7954d9", "ff01"]);
    expect(crl?.thisUpdate).toEqual(thisUpdate);
    expect(crl?.nextUpdate).toEqual(nextUpdate);
    expect(crl?.issuerName.equals(certificateSubject(ca.x509.raw))).toBe(true);
    expect(crl?.verifySignature(ca.x509)).toBe(true);
    expect(crl?.verifySignature(otherCa)).toBe(false);
  });

  it("writes DER that node-forge's generic ASN.1 parser accepts, with version 2 and a CRL number", () => {
    const pem = buildCrl({
      issuer: ca,
      revoked: [],
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
    });
    const der = forge.pem.decode(pem)[0]?.body ?? "";
    const parsed = forge.asn1.fromDer(der);
    const tbs = (parsed.value as forge.asn1.Asn1[])[0];
    const fields = tbs?.value as forge.asn1.Asn1[];
    expect(fields[0]?.value).toBe("\u0001"); // v2
    // No revokedCertificates when there is nothing revoked (an empty SEQUENCE is not allowed).
    expect(fields.map((field) => field.type)).toEqual([2, 16, 16, 23, 23, 0]);
    expect(readCrl(pem)?.serials).toEqual([]);
  });

  it("uses GeneralizedTime from 2050 and reads it back", () => {
    const nextUpdate = new Date("2051-06-01T00:00:00Z");
    const crl = readCrl(buildCrl({ issuer: ca, revoked: [], thisUpdate: new Date(), nextUpdate }));
    expect(crl?.nextUpdate).toEqual(nextUpdate);
  });

  it("is accepted by Node's TLS stack as a CRL", () => {
    const pem = buildCrl({
      issuer: ca,
      revoked: [{ serialHex: "0102", revokedAt: new Date() }],
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
    });
    expect(() => createSecureContext({ ca: ca.certPem, crl: pem })).not.toThrow();
    const truncated = pem.replace(/\n[^\n]+\n-----END/, "\n-----END");
    expect(() => createSecureContext({ ca: ca.certPem, crl: truncated })).toThrow();
  });

  it("returns undefined for text that is not a CRL", () => {
    expect(readCrl("")).toBeUndefined();
    expect(readCrl(ca.certPem)).toBeUndefined();
    expect(readCrl("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")).toBeUndefined();
  });
});

describe("normaliseSerial", () => {
  it("ignores case and leading zeros", () => {
    expect(normaliseSerial("00AbC")).toBe("abc");
    expect(normaliseSerial("0")).toBe("0");
  });
});
