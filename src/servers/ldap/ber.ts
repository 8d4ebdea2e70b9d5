/**
 * The small part of BER (X.690) that LDAP uses (RFC 4511 §5.1): definite lengths, tags of one
 * byte. A strict reader that throws BerError on anything malformed, and a writer that builds TLVs.
 * Used to frame messages on the wire and for the search path, where ldapjs's request parsing is
 * lossy (see docs/sds.md, "Why searches bypass ldapjs's parser").
 */

export class BerError extends Error {
  override readonly name = "BerError";
}

export const tags = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  enumerated: 0x0a,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Tag and content bounds of one TLV inside a buffer. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
}

/**
 * Reads the header of the TLV at `offset`. Returns undefined when the buffer ends before the
 * header does (more bytes needed); throws on an indefinite or over-long length.
 */
export function readHeader(
  buffer: Uint8Array,
  offset: number,
): { tag: number; length: number; headerLength: number } | undefined {
  if (offset + 2 > buffer.length) return undefined;
  const tag = buffer[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new BerError(`multi-byte tag 0x${tag.toString(16)} at offset ${offset}`);
  const first = buffer[offset + 1] ?? 0;
  if (first < 0x80) return { tag, length: first, headerLength: 2 };
  const count = first & 0x7f;
  if (count === 0) throw new BerError(`indefinite length at offset ${offset}`);
  if (count > 4) throw new BerError(`length of ${count} bytes at offset ${offset}`);
  if (offset + 2 + count > buffer.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (buffer[offset + 2 + i] ?? 0);
  return { tag, length, headerLength: 2 + count };
}

/** Sequential reader over the content of one constructed TLV. */
export class BerReader {
  private offset: number;

  constructor(
    private readonly buffer: Uint8Array,
    private readonly start = 0,
    private readonly end = buffer.length,
  ) {
    this.offset = start;
  }

  /** Back to the first element, to read the content again. */
  rewind(): void {
    this.offset = this.start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.buffer[this.offset];
  }

  /** Reads any TLV and moves past it. */
  read(expectedTag?: number): Tlv {
    if (this.done) throw new BerError(`missing element at offset ${this.offset}`);
    const header = readHeader(this.buffer, this.offset);
    if (header === undefined || this.offset + header.headerLength + header.length > this.end) {
      throw new BerError(`truncated element at offset ${this.offset}`);
    }
    if (expectedTag !== undefined && header.tag !== expectedTag) {
      throw new BerError(
        `expected tag 0x${expectedTag.toString(16)}, found 0x${header.tag.toString(16)} at offset ${this.offset}`,
      );
    }
    const start = this.offset + header.headerLength;
    this.offset = start + header.length;
    return { tag: header.tag, start, end: start + header.length };
  }

  /** A reader over the content of the next (constructed) TLV. */
  readConstructed(expectedTag: number): BerReader {
    const tlv = this.read(expectedTag);
    return new BerReader(this.buffer, tlv.start, tlv.end);
  }

  readInteger(expectedTag: number = tags.integer): number {
    const tlv = this.read(expectedTag);
    const length = tlv.end - tlv.start;
    if (length < 1 || length > 5) throw new BerError(`integer of ${length} bytes`);
    let value = 0;
    for (let i = tlv.start; i < tlv.end; i++) value = value * 256 + (this.buffer[i] ?? 0);
    // Two's complement: a set top bit makes the value negative.
    if (((this.buffer[tlv.start] ?? 0) & 0x80) !== 0) value -= 2 ** (8 * length);
    return value;
  }

  readBoolean(expectedTag: number = tags.boolean): boolean {
    const tlv = this.read(expectedTag);
    if (tlv.end - tlv.start !== 1) throw new BerError("boolean is not one byte");
    return this.buffer[tlv.start] !== 0;
  }

  readBytes(expectedTag: number = tags.octetString): Buffer {
    const tlv = this.read(expectedTag);
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset + tlv.start, tlv.end - tlv.start);
  }

  /** An OCTET STRING as UTF-8 text (LDAPString, LDAPDN, AttributeValue of directory strings). */
  readString(expectedTag: number = tags.octetString): string {
    return this.readBytes(expectedTag).toString("utf8");
  }

  /** Everything not yet read, as UTF-8 text (the content of a primitive op such as DelRequest). */
  readRest(): string {
    const text = Buffer.from(
      this.buffer.buffer,
      this.buffer.byteOffset + this.offset,
      this.end - this.offset,
    ).toString("utf8");
    this.offset = this.end;
    return text;
  }

  /** The next primitive TLV, whatever its tag, with its content as UTF-8 text. */
  readTaggedString(): { tag: number; value: string } {
    const tlv = this.read();
    return {
      tag: tlv.tag,
      value: Buffer.from(
        this.buffer.buffer,
        this.buffer.byteOffset + tlv.start,
        tlv.end - tlv.start,
      ).toString("utf8"),
    };
  }

  /** Fails if anything is left: a well-formed element has no trailing bytes. */
  finish(what: string): void {
    if (!this.done) throw new BerError(`unexpected bytes after ${what}`);
  }
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One TLV from a tag and its content parts. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const length = content.reduce((n, c) => n + c.length, 0);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(length)]), ...content]);
}

export function octetString(value: string | Uint8Array, tag: number = tags.octetString): Buffer {
  return tlv(tag, typeof value === "string" ? Buffer.from(value, "utf8") : value);
}

export function integer(value: number, tag: number = tags.integer): Buffer {
  const bytes: number[] = [];
  let n = value;
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n !== 0 && n !== -1);
  // Keep the sign bit right: a positive value whose top bit is set needs a leading zero.
  if (value >= 0 && ((bytes[0] ?? 0) & 0x80) !== 0) bytes.unshift(0);
  if (value < 0 && ((bytes[0] ?? 0) & 0x80) === 0) bytes.unshift(0xff);
  return tlv(tag, Buffer.from(bytes));
}

export function boolean(value: boolean): Buffer {
  return tlv(tags.boolean, Buffer.from([value ? 0xff : 0x00]));
}
