import { sign, verify, type X509Certificate } from "node:crypto";
import forge from "node-forge";
import type { SigningAuthority } from "./certificate-factory.js";
import {
  TAG,
  bytesOf,
  certificateSubject,
  childrenOf,
  contentOf,
  integerHex,
  readElement,
  type DerElement,
} from "./der.js";
import { pemBlocks } from "./pem-files.js";

// node-forge reads CRLs nowhere and writes them never, so the RFC 5280 §5.1 structures are built by hand.
const { asn1 } = forge;
const { Class, Type } = asn1;
/** Context-specific tag [0]; the typings only accept a Type member there, and NONE is 0. */
const TAG_0 = Type.NONE;

const OID = {
  sha256WithRsa: "1.2.840.113549.1.1.11",
  authorityKeyIdentifier: "2.5.29.35",
  cRLNumber: "2.5.29.20",
  reasonCode: "2.5.29.21",
} as const;

/** RFC 5280 CRLReason keyCompromise: the fault certificate stands for a stolen key. */
const REASON_KEY_COMPROMISE = 1;

export interface RevokedEntry {
  /** Certificate serial number as hex (any case, leading zeros ignored). */
  readonly serialHex: string;
  readonly revokedAt: Date;
}

export interface CrlRequest {
  readonly issuer: SigningAuthority;
  readonly revoked: readonly RevokedEntry[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export interface CrlSummary {
  /** DER of the issuer Name; compare with certificateSubject(issuer.raw). */
  readonly issuerName: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Revoked serials, normalised by normaliseSerial. */
  readonly serials: readonly string[];
  /** Checks the sha256WithRSA signature against the issuer's public key (one cheap RSA public operation). */
  verifySignature(issuer: X509Certificate): boolean;
}

/** Lower-case hex without leading zeros, so serials from X509Certificate and from DER compare equal. */
export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}

function node(
  tag: forge.asn1.Type,
  constructed: boolean,
  value: string | forge.asn1.Asn1[],
): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, tag, constructed, value);
}

function positiveInteger(hex: string): forge.asn1.Asn1 {
  let digits = normaliseSerial(hex);
  if (digits.length % 2 === 1) digits = `0${digits}`;
  let bytes = forge.util.hexToBytes(digits);
  // A set top bit would make the INTEGER negative.
  if (bytes.charCodeAt(0) >= 0x80) bytes = `\u0000${bytes}`;
  return node(Type.INTEGER, false, bytes);
}

function time(date: Date): forge.asn1.Asn1 {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? node(Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : node(Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function extension(oid: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return node(Type.SEQUENCE, true, [
    node(Type.OID, false, asn1.oidToDer(oid).getBytes()),
    node(Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
  ]);
}

/** The issuer's subject Name and subject key identifier, taken from its DER so the CRL matches byte for byte. */
function issuerIdentity(issuerCertPem: string): { name: forge.asn1.Asn1; keyId: string } {
  const der = forge.pem.decode(issuerCertPem)[0]?.body;
  if (der === undefined) throw new Error("issuer certificate is not PEM");
  const cert = forge.pki.certificateFromAsn1(asn1.fromDer(der));
  const ski = cert.getExtension("subjectKeyIdentifier") as { subjectKeyIdentifier?: string } | undefined;
  const keyId =
    ski?.subjectKeyIdentifier === undefined
      ? cert.generateSubjectKeyIdentifier().getBytes()
      : forge.util.hexToBytes(ski.subjectKeyIdentifier);
  const name = asn1.fromDer(certificateSubject(Buffer.from(der, "binary")).toString("binary"));
  return { name, keyId };
}

/** Builds an X.509 v2 CRL signed sha256WithRSA by `issuer`; returns it as PEM ("X509 CRL"). */
export function buildCrl(request: CrlRequest): string {
  const { name, keyId } = issuerIdentity(request.issuer.certPem);
  const algorithm = node(Type.SEQUENCE, true, [
    node(Type.OID, false, asn1.oidToDer(OID.sha256WithRsa).getBytes()),
    node(Type.NULL, false, ""),
  ]);
  const entries = request.revoked.map((entry) =>
    node(Type.SEQUENCE, true, [
      positiveInteger(entry.serialHex),
      time(entry.revokedAt),
      node(Type.SEQUENCE, true, [
        extension(OID.reasonCode, node(Type.ENUMERATED, false, String.fromCharCode(REASON_KEY_COMPROMISE))),
      ]),
    ]),
  );
  const tbsFields: forge.asn1.Asn1[] = [
    node(Type.INTEGER, false, asn1.integerToDer(1).getBytes()), // v2
    algorithm,
    name,
    time(request.thisUpdate),
    time(request.nextUpdate),
  ];
  // An empty revokedCertificates SEQUENCE is not allowed (RFC 5280 §5.1.2.6): omit it instead.
  if (entries.length > 0) tbsFields.push(node(Type.SEQUENCE, true, entries));
  tbsFields.push(
    asn1.create(Class.CONTEXT_SPECIFIC, TAG_0, true, [
      node(Type.SEQUENCE, true, [
        extension(
          OID.authorityKeyIdentifier,
          node(Type.SEQUENCE, true, [asn1.create(Class.CONTEXT_SPECIFIC, TAG_0, false, keyId)]),
        ),
        // A monotonically increasing number: milliseconds since the epoch of thisUpdate.
        extension(OID.cRLNumber, positiveInteger(request.thisUpdate.getTime().toString(16))),
      ]),
    ]),
  );
  const tbs = node(Type.SEQUENCE, true, tbsFields);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), "binary");
  const signature = sign("sha256", tbsDer, request.issuer.keyPem);
  const crl = node(Type.SEQUENCE, true, [
    tbs,
    algorithm,
    node(Type.BITSTRING, false, `\u0000${signature.toString("binary")}`),
  ]);
  return forge.pem.encode({ type: "X509 CRL", body: asn1.toDer(crl).getBytes() }).replace(/\r\n/g, "\n");
}

function derTime(der: Buffer, element: DerElement): Date {
  const text = contentOf(der, element).toString("latin1");
  if (element.tag === TAG.UTC_TIME) return asn1.utcTimeToDate(text);
  if (element.tag === TAG.GENERALIZED_TIME) return asn1.generalizedTimeToDate(text);
  throw new Error("not a time");
}

const isTimeTag = (element: DerElement | undefined): element is DerElement =>
  element?.tag === TAG.UTC_TIME || element?.tag === TAG.GENERALIZED_TIME;

/** Parses a PEM CRL with the minimal DER reader; undefined when the text holds no parsable CRL. Never throws. */
export function readCrl(pem: string): CrlSummary | undefined {
  const block = pemBlocks(pem, "X509 CRL")[0];
  if (block === undefined) return undefined;
  try {
    const der = Buffer.from(block.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const [tbs, , signatureBits] = childrenOf(der, readElement(der, 0));
    if (tbs?.tag !== TAG.SEQUENCE || signatureBits?.tag !== TAG.BIT_STRING) return undefined;
    const fields = childrenOf(der, tbs);
    let index = fields[0]?.tag === TAG.INTEGER ? 2 : 1; // skip version and the signature AlgorithmIdentifier
    const issuer = fields[index++];
    const thisUpdate = fields[index++];
    if (issuer?.tag !== TAG.SEQUENCE || !isTimeTag(thisUpdate)) return undefined;
    const maybeNext = fields[index];
    const nextUpdate = isTimeTag(maybeNext) ? derTime(der, maybeNext) : undefined;
    if (nextUpdate !== undefined) index++;
    const maybeRevoked = fields[index];
    const serials =
      maybeRevoked?.tag === TAG.SEQUENCE
        ? childrenOf(der, maybeRevoked).map((entry) => {
            const serial = childrenOf(der, entry)[0];
            if (serial?.tag !== TAG.INTEGER) throw new Error("malformed serial");
            return integerHex(der, serial);
          })
        : [];
    const tbsDer = bytesOf(der, tbs);
    const signature = contentOf(der, signatureBits).subarray(1); // after the unused-bits byte
    return {
      issuerName: bytesOf(der, issuer),
      thisUpdate: derTime(der, thisUpdate),
      nextUpdate,
      serials,
      verifySignature: (issuerCert) => verify("sha256", tbsDer, issuerCert.publicKey, signature),
    };
  } catch {
    return undefined;
  }
}
