import forge from "node-forge";

export interface Pkcs12Request {
  readonly keyPem: string;
  /** Leaf first, then its issuers. */
  readonly chainPems: readonly string[];
  readonly password: string;
  readonly friendlyName: string;
}

/**
 * A PKCS#12 file as Java keytool, OpenSSL 3 and Windows import it: key shrouded with PBES2/AES-256,
 * certificates in a plain bag, SHA-1 HMAC integrity (the only MAC node-forge writes; OpenSSL 3 accepts it).
 */
export function buildPkcs12(request: Pkcs12Request): Buffer {
  const key = forge.pki.privateKeyFromPem(request.keyPem);
  const chain = request.chainPems.map((pem) => forge.pki.certificateFromPem(pem));
  const pfx = forge.pkcs12.toPkcs12Asn1(key, chain, request.password, {
    algorithm: "aes256",
    friendlyName: request.friendlyName,
    count: 2048,
  });
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), "binary");
}

/**
 * Whether a PKCS#12 file still carries exactly these certificates. node-forge stores certificate bags
 * unencrypted, so the DER bytes appear verbatim: a cheap check that needs neither the password nor a KDF.
 */
export function pkcs12Holds(p12: Buffer, certificatesDer: readonly Buffer[]): boolean {
  return certificatesDer.every((der) => p12.includes(der));
}
