import { describe, expect, it } from "vitest";
import { readSoapEnvelope, readSoapFault } from "./soap-envelope.js";
import { decodeUtf8, firstInvalidUtf8Offset, isUtf8Charset } from "./utf8.js";
import { NS } from "./xml.js";

const fault = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap}">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP:Server</faultcode>
      <faultstring>Application Exception</faultstring>
      <detail>
        <nasp:errorList xmlns:nasp="${NS.nasp}">
          <nasp:error>
            <nasp:codeContext>urn:nhs:names:error:tms</nasp:codeContext>
            <nasp:errorCode>206</nasp:errorCode>
            <nasp:severity>Error</nasp:severity>
            <nasp:location>Not Supported</nasp:location>
            <nasp:description>Routing delivery failure</nasp:description>
          </nasp:error>
          <nasp:error><nasp:errorCode>200</nasp:errorCode></nasp:error>
        </nasp:errorList>
      </detail>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;

describe("readSoapFault", () => {
  it("reads faultcode, faultstring and every nasp:error of a header-less Fault", () => {
    expect(readSoapFault(fault)).toEqual({
      faultcode: "SOAP:Server",
      faultstring: "Application Exception",
      errors: [
        {
          codeContext: "urn:nhs:names:error:tms",
          errorCode: "206",
          severity: "Error",
          location: "Not Supported",
          description: "Routing delivery failure",
        },
        { errorCode: "200" },
      ],
    });
  });

  it("returns undefined for an envelope without a Fault, and refuses what is not an envelope", () => {
    expect(
      readSoapFault(`<s:Envelope xmlns:s="${NS.soap}"><s:Header/><s:Body/></s:Envelope>`),
    ).toBeUndefined();
    expect(() => readSoapFault("<Fault/>")).toThrow(/SOAP-002/);
  });

  it("is not a request: readSoapEnvelope still requires the Header", () => {
    expect(() => readSoapEnvelope(fault)).toThrow(/SOAP-003/);
  });
});

describe("UTF-8 decoding", () => {
  it.each([
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["an overlong encoding", [0xc0, 0xaf], 0],
    ["a truncated sequence", [0x61, 0x62, 0xe2, 0x82], 2],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], 0],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
  ])("finds %s", (_name, bytes, offset) => {
    expect(decodeUtf8(Buffer.from(bytes))).toEqual({ invalidAt: offset });
    expect(firstInvalidUtf8Offset(Buffer.from(bytes))).toBe(offset);
  });

  it("decodes valid text and drops a byte-order mark", () => {
    expect(decodeUtf8(Buffer.from("\uFEFFZoë 🚑", "utf8"))).toEqual({ text: "Zoë 🚑" });
  });

  it("names UTF-8 and its ASCII subset as acceptable charsets", () => {
    expect(["UTF-8", "utf8", " us-ascii ", "ASCII"].every(isUtf8Charset)).toBe(true);
    expect(["ISO-8859-1", "windows-1252", "utf-16"].some(isUtf8Charset)).toBe(false);
  });
});
