/**
 * A minimal DER reader for the reuse path: slicing a few fields out of keys, certificates and CRLs without
 * a full parse (node:crypto's key decoder costs ~1 ms a key; this costs microseconds).
 */
export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the element. */
  readonly end: number;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
} as const;

/** The element at `offset`; throws on truncated input or lengths DER does not allow. */
export function readElement(der: Uint8Array, offset: number): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new Error("truncated DER");
  let length = first;
  let contentStart = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error("unsupported DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new Error("truncated DER");
  return { tag, start: offset, contentStart, end };
}

export function childrenOf(der: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = readElement(der, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function contentOf(der: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + element.contentStart, element.end - element.contentStart);
}

export function bytesOf(der: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + element.start, element.end - element.start);
}

/** An unsigned INTEGER's content as lower-case hex without leading zero digits (as serials are compared). */
export function integerHex(der: Uint8Array, element: DerElement): string {
  return contentOf(der, element)
    .toString("hex")
    .replace(/^0+(?=.)/, "");
}

/** The subject Name of a DER certificate, byte for byte. */
export function certificateSubject(certDer: Uint8Array): Buffer {
  const [tbs] = childrenOf(certDer, readElement(certDer, 0));
  if (tbs === undefined) throw new Error("certificate without TBSCertificate");
  const fields = childrenOf(certDer, tbs);
  const subject = fields[fields[0]?.tag === TAG.CONTEXT_0 ? 5 : 4];
  if (subject === undefined) throw new Error("certificate without subject");
  return bytesOf(certDer, subject);
}

/**
 * The modulus (hex, no leading zeros) of an RSA private key in PKCS#8 or PKCS#1 DER; undefined for any
 * other kind of key.
 */
export function rsaPrivateKeyModulus(keyDer: Uint8Array): string | undefined {
  const top = readElement(keyDer, 0);
  const fields = childrenOf(keyDer, top);
  if (fields[1]?.tag === TAG.SEQUENCE && fields[2]?.tag === TAG.OCTET_STRING) {
    // PKCS#8 PrivateKeyInfo: the RSAPrivateKey sits inside the OCTET STRING.
    const inner = contentOf(keyDer, fields[2]);
    return rsaPrivateKeyModulus(inner);
  }
  // RSAPrivateKey: version, n, e, d, p, q, dP, dQ, qInv.
  if (top.tag !== TAG.SEQUENCE || fields.length < 9) return undefined;
  const modulus = fields[1];
  return modulus?.tag === TAG.INTEGER ? integerHex(keyDer, modulus) : undefined;
}
