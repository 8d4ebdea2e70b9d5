import { describe, expect, it } from "vitest";
import { BerError, BerReader, integer, octetString, readHeader, tags, tlv, boolean } from "./ber.js";
import { decodeBindRequest, decodePagedResults, decodeSearchRequest, readEnvelope } from "./ldap-codec.js";
import { LdapError } from "./ldap-errors.js";

const search = (filter: Buffer, attributes: string[] = []): Buffer =>
  tlv(
    tags.sequence,
    integer(7),
    tlv(
      0x63,
      octetString("ou=services, o=nhs"),
      integer(2, tags.enumerated),
      integer(0, tags.enumerated),
      integer(500),
      integer(10),
      boolean(false),
      filter,
      tlv(tags.sequence, ...attributes.map((a) => octetString(a))),
    ),
    tlv(
      0xa0,
      tlv(
        tags.sequence,
        octetString("1.2.840.113556.1.4.319"),
        boolean(true),
        octetString(tlv(tags.sequence, integer(50), octetString(""))),
      ),
    ),
  );

describe("BER", () => {
  it("encodes and reads back integers across the sign and length boundaries", () => {
    for (const n of [0, 1, 127, 128, 255, 256, 32767, 32768, 65535, 2 ** 31 - 1, -1, -128, -129]) {
      expect(new BerReader(integer(n)).readInteger(), String(n)).toBe(n);
    }
    expect(integer(128).toString("hex")).toBe("02020080");
  });

  it("reads long-form lengths and rejects indefinite ones", () => {
    const long = octetString("x".repeat(300));
    expect(readHeader(long, 0)).toEqual({ tag: 0x04, length: 300, headerLength: 4 });
    expect(() => readHeader(Buffer.from([0x30, 0x80]), 0)).toThrow(BerError);
    expect(readHeader(Buffer.from([0x30, 0x82, 0x01]), 0)).toBeUndefined();
  });
});

describe("search requests", () => {
  it("decode base, scope, limits, attributes, a nested filter with raw values and the paged control", () => {
    const filter = tlv(
      0xa0,
      tlv(0xa3, octetString("nhsIDCode"), octetString("A20047")),
      tlv(
        0xa2,
        tlv(
          0xa4,
          octetString("cn"),
          tlv(tags.sequence, octetString("a*b", 0x80), octetString("(c)", 0x81), octetString("é", 0x82)),
        ),
      ),
      octetString("objectClass", 0x87),
      tlv(
        0xa9,
        octetString("caseExactMatch", 0x81),
        octetString("cn", 0x82),
        octetString("Fred", 0x83),
        tlv(0x84, Buffer.from([0xff])),
      ),
    );
    const envelope = readEnvelope(search(filter, ["nhsMHSPartyKey", "2.5.4.3", "cn;lang-en"]));
    expect(envelope).toMatchObject({ messageId: 7, opTag: 0x63 });
    expect(envelope.controls).toEqual([
      { oid: "1.2.840.113556.1.4.319", critical: true, value: expect.any(Buffer) as unknown },
    ]);
    expect(decodePagedResults(envelope.controls[0]?.value)).toEqual({ size: 50, cookie: Buffer.alloc(0) });
    expect(decodeSearchRequest(envelope.op)).toEqual({
      base: "ou=services, o=nhs",
      scope: "sub",
      sizeLimit: 500,
      timeLimit: 10,
      typesOnly: false,
      attributes: ["nhsMHSPartyKey", "2.5.4.3", "cn;lang-en"],
      filter: {
        type: "and",
        filters: [
          { type: "equality", attribute: "nhsIDCode", value: "A20047" },
          {
            type: "not",
            filter: { type: "substrings", attribute: "cn", initial: "a*b", any: ["(c)"], final: "é" },
          },
          { type: "present", attribute: "objectClass" },
          { type: "extensible", attribute: "cn", rule: "caseExactMatch", value: "Fred", dnAttributes: true },
        ],
      },
    });
  });

  it("accepts the absolute true and false filters (&) and (|)", () => {
    expect(decodeSearchRequest(readEnvelope(search(tlv(0xa1))).op).filter).toEqual({
      type: "or",
      filters: [],
    });
  });

  it("rejects an unknown filter choice, a substrings filter out of order and a truncated message", () => {
    expect(() => decodeSearchRequest(readEnvelope(search(tlv(0xaa, octetString("x")))).op)).toThrow(
      LdapError,
    );
    const disordered = tlv(
      0xa4,
      octetString("cn"),
      tlv(tags.sequence, octetString("z", 0x82), octetString("a", 0x80)),
    );
    expect(() => decodeSearchRequest(readEnvelope(search(disordered)).op)).toThrow(/out of order/);
    const trailing = Buffer.concat([search(octetString("cn", 0x87)).subarray(0, 2), Buffer.from([0])]);
    expect(() => readEnvelope(trailing)).toThrow(BerError);
  });
});

describe("bind requests", () => {
  it("read simple and SASL authentication", () => {
    const simple = tlv(0x60, integer(3), octetString("uid=1,ou=People,o=nhs"), octetString("secret", 0x80));
    expect(decodeBindRequest(new BerReader(simple, 2))).toEqual({
      version: 3,
      dn: "uid=1,ou=People,o=nhs",
      method: "simple",
      password: "secret",
    });
    const sasl = tlv(0x60, integer(3), octetString(""), tlv(0xa3, octetString("EXTERNAL")));
    expect(decodeBindRequest(new BerReader(sasl, 2))).toMatchObject({
      method: "sasl",
      mechanism: "EXTERNAL",
    });
  });
});
