/**
 * Decoding of search requests and encoding of the messages the listener writes itself (RFC 4511
 * §4.5, §5.1; RFC 2696 for the paged results control). ldapjs parses search requests lossily
 * (filter values come back still escaped, attribute OIDs and options are refused, `(|)` does not
 * parse), so searches are decoded here, strictly, from the bytes on the wire.
 */
import type { Filter } from "../../core/directory/filter.js";
import { maxFilterDepth } from "../../core/directory/filter.js";
import type { SearchScope } from "../../core/directory/search.js";
import { BerError, BerReader, boolean, integer, octetString, tags, tlv } from "./ber.js";
import { LdapError } from "./ldap-errors.js";

export interface Control {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer | undefined;
}

/** The envelope of one LDAPMessage. */
export interface Envelope {
  readonly messageId: number;
  readonly opTag: number;
  /** The protocolOp's content (for constructed ops) — or its bytes (unbind, abandon). */
  readonly op: BerReader;
  readonly controls: readonly Control[];
}

export interface SearchRequest {
  readonly base: string;
  readonly scope: SearchScope;
  readonly sizeLimit: number;
  readonly timeLimit: number;
  readonly typesOnly: boolean;
  readonly filter: Filter;
  readonly attributes: readonly string[];
}

/** Reads messageID and protocolOp of a complete frame; throws BerError if it is not an LDAPMessage. */
export function readEnvelope(frame: Buffer): Envelope {
  const message = new BerReader(frame).readConstructed(tags.sequence);
  const messageId = message.readInteger();
  if (messageId < 0) throw new BerError(`negative message ID ${messageId}`);
  const opTag = message.peekTag();
  if (opTag === undefined) throw new BerError("message has no protocolOp");
  const opTlv = message.read();
  const op = new BerReader(frame, opTlv.start, opTlv.end);
  const controls: Control[] = [];
  if (message.peekTag() === 0xa0) {
    const list = message.readConstructed(0xa0);
    while (!list.done) {
      const control = list.readConstructed(tags.sequence);
      const oid = control.readString();
      const critical = control.peekTag() === tags.boolean ? control.readBoolean() : false;
      const value = control.peekTag() === tags.octetString ? control.readBytes() : undefined;
      control.finish("a control");
      controls.push({ oid, critical, value });
    }
  }
  message.finish("the message");
  return { messageId, opTag, op, controls };
}

export interface BindRequest {
  readonly version: number;
  readonly dn: string;
  /** simple: `password` holds the password; sasl: `mechanism` names the SASL mechanism. */
  readonly method: "simple" | "sasl";
  readonly password: string;
  readonly mechanism?: string | undefined;
}

/** BindRequest ::= [APPLICATION 0] SEQUENCE { version, name, authentication CHOICE { simple [0], sasl [3] } } */
export function decodeBindRequest(op: BerReader): BindRequest {
  const version = op.readInteger();
  const dn = op.readString();
  const choice = op.peekTag();
  if (choice === 0x80) {
    const password = op.readString(0x80);
    op.finish("the bind request");
    return { version, dn, method: "simple", password };
  }
  if (choice === 0xa3) {
    const sasl = op.readConstructed(0xa3);
    const mechanism = sasl.readString();
    return { version, dn, method: "sasl", password: "", mechanism };
  }
  throw new LdapError(
    "protocolError",
    `unknown authentication choice 0x${(choice ?? 0).toString(16)} in a bind request`,
    "malformed",
  );
}

const scopes: readonly SearchScope[] = ["base", "one", "sub"];

export function decodeSearchRequest(op: BerReader): SearchRequest {
  const base = op.readString();
  const scopeValue = op.readInteger(tags.enumerated);
  const scope = scopes[scopeValue];
  if (scope === undefined)
    throw new LdapError("protocolError", `unknown search scope ${scopeValue}`, "malformed");
  op.readInteger(tags.enumerated); // derefAliases: the directory holds no aliases (L12)
  const sizeLimit = op.readInteger();
  const timeLimit = op.readInteger();
  if (sizeLimit < 0 || timeLimit < 0)
    throw new LdapError("protocolError", "negative size or time limit", "malformed");
  const typesOnly = op.readBoolean();
  const filter = decodeFilter(op, 0);
  const list = op.readConstructed(tags.sequence);
  const attributes: string[] = [];
  while (!list.done) attributes.push(list.readString());
  op.finish("the search request");
  return { base, scope, sizeLimit, timeLimit, typesOnly, filter, attributes };
}

/** RFC 4511 §4.5.1.7 Filter CHOICE, by context tag. */
function decodeFilter(reader: BerReader, depth: number): Filter {
  if (depth > maxFilterDepth) {
    throw new LdapError("protocolError", `filter nested deeper than ${maxFilterDepth} levels`, "malformed");
  }
  const tag = reader.peekTag();
  switch (tag) {
    case 0xa0:
    case 0xa1: {
      const set = reader.readConstructed(tag);
      const filters: Filter[] = [];
      while (!set.done) filters.push(decodeFilter(set, depth + 1));
      return tag === 0xa0 ? { type: "and", filters } : { type: "or", filters };
    }
    case 0xa2: {
      const inner = reader.readConstructed(0xa2);
      const filter = decodeFilter(inner, depth + 1);
      inner.finish("a NOT filter");
      return { type: "not", filter };
    }
    case 0xa3:
    case 0xa5:
    case 0xa6:
    case 0xa8: {
      const ava = reader.readConstructed(tag);
      const attribute = ava.readString();
      const value = ava.readString();
      ava.finish("an attribute value assertion");
      const type = (
        { 0xa3: "equality", 0xa5: "greaterOrEqual", 0xa6: "lessOrEqual", 0xa8: "approx" } as const
      )[tag];
      return { type, attribute, value };
    }
    case 0xa4: {
      const item = reader.readConstructed(0xa4);
      const attribute = item.readString();
      const parts = item.readConstructed(tags.sequence);
      let initial: string | undefined;
      let final: string | undefined;
      const any: string[] = [];
      let count = 0;
      while (!parts.done) {
        const { tag: partTag, value } = parts.readTaggedString();
        if (partTag === 0x80 && count === 0) initial = value;
        else if (partTag === 0x81 && final === undefined) any.push(value);
        else if (partTag === 0x82 && final === undefined) final = value;
        else
          throw new LdapError(
            "protocolError",
            "substrings filter out of order (initial, any…, final)",
            "malformed",
          );
        count++;
      }
      if (count === 0)
        throw new LdapError("protocolError", "substrings filter without substrings", "malformed");
      item.finish("a substrings filter");
      return { type: "substrings", attribute, initial, any, final };
    }
    case 0x87:
      return { type: "present", attribute: reader.readString(0x87) };
    case 0xa9: {
      const item = reader.readConstructed(0xa9);
      let rule: string | undefined;
      let attribute: string | undefined;
      if (item.peekTag() === 0x81) rule = item.readString(0x81);
      if (item.peekTag() === 0x82) attribute = item.readString(0x82);
      const value = item.readString(0x83);
      const dnAttributes = item.peekTag() === 0x84 ? item.readBoolean(0x84) : false;
      item.finish("an extensible match");
      if (rule === undefined && attribute === undefined) {
        throw new LdapError(
          "protocolError",
          "extensible match without a matching rule or attribute",
          "malformed",
        );
      }
      return { type: "extensible", attribute, rule, value, dnAttributes };
    }
    default:
      throw new LdapError("protocolError", `unknown filter choice 0x${(tag ?? 0).toString(16)}`, "malformed");
  }
}

/** The paged results control value (RFC 2696 §2): realSearchControlValue ::= SEQUENCE { size, cookie }. */
export function decodePagedResults(value: Buffer | undefined): { size: number; cookie: Buffer } {
  if (value === undefined)
    throw new LdapError("protocolError", "paged results control has no value", "malformed");
  try {
    const seq = new BerReader(value).readConstructed(tags.sequence);
    const size = seq.readInteger();
    const cookie = seq.readBytes();
    seq.finish("the paged results control");
    if (size < 0) throw new LdapError("protocolError", "paged results control size invalid", "malformed");
    return { size, cookie };
  } catch (error) {
    if (error instanceof BerError)
      throw new LdapError("protocolError", "paged results control could not be decoded", "malformed");
    throw error;
  }
}

// ---- encoding ----

export function encodeMessage(messageId: number, op: Buffer, controls: readonly Buffer[] = []): Buffer {
  return controls.length === 0
    ? tlv(tags.sequence, integer(messageId), op)
    : tlv(tags.sequence, integer(messageId), op, tlv(0xa0, ...controls));
}

/** LDAPResult components inside a response op (RFC 4511 §4.1.9). */
export function encodeResult(
  responseTag: number,
  resultCode: number,
  matchedDn: string,
  message: string,
  ...extra: Buffer[]
): Buffer {
  return tlv(
    responseTag,
    integer(resultCode, tags.enumerated),
    octetString(matchedDn),
    octetString(message),
    ...extra,
  );
}

export function encodeControl(oid: string, value: Buffer, critical = false): Buffer {
  return critical
    ? tlv(tags.sequence, octetString(oid), boolean(true), octetString(value))
    : tlv(tags.sequence, octetString(oid), octetString(value));
}

export function encodePagedResultsValue(size: number, cookie: Buffer): Buffer {
  return tlv(tags.sequence, integer(size), octetString(cookie));
}

/** PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF value }. */
export function encodeAttribute(name: string, values: readonly string[]): Buffer {
  return tlv(tags.sequence, octetString(name), tlv(tags.set, ...values.map((v) => octetString(v))));
}

/** SearchResultEntry from the DN and already-encoded attributes. */
export function encodeSearchEntry(messageId: number, dn: string, attributes: readonly Buffer[]): Buffer {
  return encodeMessage(messageId, tlv(0x64, octetString(dn), tlv(tags.sequence, ...attributes)));
}

/** RFC 4511 §4.4.1 Notice of Disconnection: an unsolicited extended response, then the server closes. */
export function encodeNoticeOfDisconnection(resultCode: number, message: string): Buffer {
  return encodeMessage(
    0,
    encodeResult(0x78, resultCode, "", message, octetString("1.3.6.1.4.1.1466.20036", 0x8a)),
  );
}
