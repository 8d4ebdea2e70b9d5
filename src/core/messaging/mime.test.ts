import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadMessage } from "../../../test/messaging/fixtures.js";
import { buildMultipartRelated, EBXML_HEADER_CONTENT_ID, NHS_MIME_BOUNDARY } from "./mime-build.js";
import { decodePartText, parseContentType, parseMultipartRelated, stripAngleBrackets } from "./mime.js";
import { isWireError, type WireRuleId } from "./wire-problem.js";

const NHS_TYPE =
  'multipart/related; boundary="--=_MIME-Boundary"; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"';
const ROOT_XML = '<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/"/>';

/** Builds a body from lines joined with CRLF. */
const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join("\r\n"), "utf8");

function minimal(extraParts: string[] = [], close = "----=_MIME-Boundary--"): Buffer {
  return crlf(
    "----=_MIME-Boundary",
    "Content-Id: <ebXMLHeader@spine.nhs.uk>",
    "Content-Type: text/xml",
    "",
    ROOT_XML,
    ...extraParts,
    close,
    "",
  );
}

function ruleOf(action: () => unknown): WireRuleId | undefined {
  try {
    action();
  } catch (error) {
    if (isWireError(error)) return error.problems[0].ruleId;
    throw error;
  }
  return undefined;
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isWireError(error)) return error.message;
    throw error;
  }
  return "";
}

describe("parseContentType", () => {
  it("reads quoted parameters, keeping brackets and the leading dashes of the NHS boundary", () => {
    const type = parseContentType(NHS_TYPE);
    expect(type?.mediaType).toBe("multipart/related");
    expect(type?.params.get("boundary")).toBe("--=_MIME-Boundary");
    expect(type?.params.get("type")).toBe("text/xml");
    expect(type?.params.get("start")).toBe("<ebXMLHeader@spine.nhs.uk>");
  });

  it("reads the MHS adaptor's unquoted form with @ and no brackets in start", () => {
    const type = parseContentType(
      'multipart/related; boundary="--=_MIME-Boundary"; type=text/xml; start=ebXMLHeader@spine.nhs.uk',
    );
    expect(type?.params.get("type")).toBe("text/xml");
    expect(type?.params.get("start")).toBe("ebXMLHeader@spine.nhs.uk");
  });

  it("lower-cases the media type and parameter names but not the values", () => {
    const type = parseContentType('Multipart/Related; BOUNDARY = "AbC"; Start=<Root@X>; CHARSET=UTF-8');
    expect(type?.mediaType).toBe("multipart/related");
    expect([...(type?.params.entries() ?? [])]).toEqual([
      ["boundary", "AbC"],
      ["start", "<Root@X>"],
      ["charset", "UTF-8"],
    ]);
  });

  it("unescapes backslashes in quoted values and keeps semicolons inside quotes", () => {
    expect(parseContentType('text/plain; name="a\\"b;c"; x=1')?.params.get("name")).toBe('a"b;c');
    expect(parseContentType('text/plain; name="a\\"b;c"; x=1')?.params.get("x")).toBe("1");
  });

  it("keeps the first of repeated parameters and skips parameters without a value", () => {
    const type = parseContentType("text/xml; charset=utf-8; flag; charset=latin1");
    expect(type?.params.get("charset")).toBe("utf-8");
    expect(type?.params.has("flag")).toBe(false);
  });

  it("returns undefined when there is no type/subtype", () => {
    expect(parseContentType("")).toBeUndefined();
    expect(parseContentType("multipart")).toBeUndefined();
    expect(parseContentType("multi part/related")).toBeUndefined();
    expect(parseContentType("/xml")).toBeUndefined();
  });

  it("strips angle brackets from ids", () => {
    expect(stripAngleBrackets(" <a@b> ")).toBe("a@b");
    expect(stripAngleBrackets("a@b")).toBe("a@b");
  });
});

describe("parseMultipartRelated on the fixtures", () => {
  it("splits a reliable request with LF-only line ends and finds the root by start", () => {
    const { contentType, body } = loadMessage("reliable-request-lf.msg");
    expect(body.includes("\r")).toBe(false);
    const message = parseMultipartRelated(body, contentType);
    expect(message.boundary).toBe("--=_MIME-Boundary");
    expect(message.start).toBe("ebXMLHeader@spine.nhs.uk");
    expect(message.type).toBe("text/xml");
    expect(message.parts.map((p) => p.contentId)).toEqual([
      "ebXMLHeader@spine.nhs.uk",
      "7B1C4F0E-2D6A-4E8B-A3C5-91F0D2E4B6A8@spine.nhs.uk",
    ]);
    expect(message.root.index).toBe(0);
    expect(message.rootText.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP:Envelope')).toBe(true);
    expect(message.rootText.endsWith("</SOAP:Envelope>")).toBe(true);
    const payload = message.parts[1];
    expect(payload?.mediaType).toBe("application/xml");
    expect(payload?.charset).toBe("UTF-8");
    expect(payload?.transferEncoding).toBe("8bit");
    expect(payload?.text?.startsWith('<REPC_IN150016UK05 xmlns="urn:hl7-org:v3">')).toBe(true);
    expect(payload?.text?.endsWith("</REPC_IN150016UK05>")).toBe(true);
  });

  it("reads unquoted parameters, a start without brackets, lower-case and folded headers, CRLF", () => {
    const { contentType, body } = loadMessage("reliable-request-unquoted.msg");
    const message = parseMultipartRelated(body, contentType);
    expect(message.start).toBe("ebXMLHeader@spine.nhs.uk");
    expect(message.root.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(message.root.charset).toBe("utf-8");
    const payload = message.parts[1];
    // Content-Id without angle brackets, no Content-Transfer-Encoding (defaults to 7bit).
    expect(payload?.contentId).toBe("6d1e8a42-0f3b-4c7d-9e25-b8a4c6d2e0f1@spine.nhs.uk");
    expect(payload?.transferEncoding).toBe("7bit");
    expect(payload?.text?.endsWith("</hl7:PRPA_IN000203UK03>")).toBe(true);
  });

  it("decodes a base64 attachment to its exact bytes and keeps multibyte UTF-8 intact", () => {
    const { contentType, body } = loadMessage("attachment-base64-multibyte.msg");
    const message = parseMultipartRelated(body, contentType);
    expect(message.boundary).toBe("Boundary_3f1c9e2a-5b7d-4e8f-a1c3-9d2b4f6e8a0c");
    expect(message.root.contentId).toBe("ContentRoot");
    expect(message.root.transferEncoding).toBe("7bit");
    expect(message.parts[1]?.text).toContain("Note for Zoë Ångström – 東京 🚑 &amp; friends");
    const attachment = message.parts[2];
    expect(attachment?.contentId).toBe("Attachment1@e-mis.com/EMISWeb/GP2GP2.2A");
    expect(attachment?.mediaType).toBe("application/octet-stream");
    expect(attachment?.transferEncoding).toBe("base64");
    expect(attachment?.body).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    expect(
      attachment?.encodedBody
        .toString("latin1")
        .startsWith("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n"),
    ).toBe(true);
    expect(attachment?.text).toBeUndefined();
  });

  it("ignores a preamble (even one starting like a delimiter) and an epilogue", () => {
    const { contentType, body } = loadMessage("preamble-epilogue.msg");
    const message = parseMultipartRelated(body, contentType);
    expect(message.parts).toHaveLength(2);
    expect(message.rootText.startsWith("<SOAP:Envelope")).toBe(true);
    expect(message.parts[1]?.text?.endsWith("</QUPC_IN160101UK05>")).toBe(true);
  });
});

describe("parseMultipartRelated edge cases", () => {
  it("takes the first part as root when start is absent and matches start case-insensitively", () => {
    const body = minimal();
    expect(parseMultipartRelated(body, 'multipart/related; boundary="--=_MIME-Boundary"').root.index).toBe(0);
    expect(
      parseMultipartRelated(
        body,
        "multipart/related; boundary=--=_MIME-Boundary; start=<EBXMLHEADER@SPINE.NHS.UK>",
      ).root.index,
    ).toBe(0);
  });

  it("accepts an already parsed ContentType", () => {
    const type = parseContentType(NHS_TYPE);
    if (type === undefined) throw new Error("unreachable");
    expect(parseMultipartRelated(minimal(), type).parts).toHaveLength(1);
  });

  it("keeps a part body's own trailing line break but not the one before the delimiter", () => {
    const body = minimal(["----=_MIME-Boundary", "Content-Id: <a>", "", "line one", "", "line three"]);
    expect(parseMultipartRelated(body, NHS_TYPE).parts[1]?.body.toString()).toBe(
      "line one\r\n\r\nline three",
    );
  });

  it("splits only on delimiters at the start of a line", () => {
    const body = minimal(["----=_MIME-Boundary", "Content-Id: <a>", "", "text ----=_MIME-Boundary", "more"]);
    const parts = parseMultipartRelated(body, NHS_TYPE).parts;
    expect(parts).toHaveLength(2);
    expect(parts[1]?.body.toString()).toBe("text ----=_MIME-Boundary\r\nmore");
  });

  it("reads an empty part and a part with no blank line after its headers", () => {
    const body = minimal([
      "----=_MIME-Boundary",
      "Content-Id: <empty>",
      "",
      "----=_MIME-Boundary",
      "Content-Id: <headers-only>",
    ]);
    const parts = parseMultipartRelated(body, NHS_TYPE).parts;
    expect(parts.map((p) => [p.contentId, p.body.length])).toEqual([
      ["ebXMLHeader@spine.nhs.uk", ROOT_XML.length],
      ["empty", 0],
      ["headers-only", 0],
    ]);
  });

  it("tolerates whitespace after a delimiter and a close delimiter at the very end without a line break", () => {
    const body = Buffer.from(
      `----=_MIME-Boundary  \nContent-Type: text/xml\n\n${ROOT_XML}\n----=_MIME-Boundary--`,
    );
    expect(
      parseMultipartRelated(body, NHS_TYPE.replace(' start="<ebXMLHeader@spine.nhs.uk>"', "")).rootText,
    ).toBe(ROOT_XML);
  });

  it("ignores stray non-alphabet characters inside base64, as RFC 2045 requires", () => {
    const data = gzipSync(Buffer.from("compressed attachment"));
    const encoded = data.toString("base64");
    const noisy = `${encoded.slice(0, 10)}"\r\n${encoded.slice(10, 20)}"!${encoded.slice(20)}`;
    const body = minimal([
      "----=_MIME-Boundary",
      "Content-Id: <gz>",
      "Content-Type: application/xml",
      "Content-Transfer-Encoding: BASE64",
      "",
      noisy,
    ]);
    const part = parseMultipartRelated(body, NHS_TYPE).parts[1];
    expect(part?.body).toEqual(data);
    // Opaque bytes under an XML label are not text, and not an error until read as text.
    expect(part?.text).toBeUndefined();
    expect(ruleOf(() => (part === undefined ? "" : decodePartText(part, "HL7 payload")))).toBe("MIME-006");
  });
});

describe("parseMultipartRelated refuses broken bodies with the rule they break", () => {
  it.each([
    ["a Content-Type that is not multipart/related", "text/xml", minimal(), "HTTP-007"],
    ["multipart/mixed", 'multipart/mixed; boundary="--=_MIME-Boundary"', minimal(), "HTTP-007"],
    ["a missing boundary parameter", 'multipart/related; type="text/xml"', minimal(), "HTTP-007"],
    ["an empty boundary parameter", 'multipart/related; boundary=""', minimal(), "HTTP-007"],
    ["a boundary that never occurs", 'multipart/related; boundary="Other"', minimal(), "MIME-001"],
    ["a body without the closing delimiter", NHS_TYPE, minimal([], ""), "MIME-001"],
    ["a body truncated mid-part", NHS_TYPE, minimal().subarray(0, 80), "MIME-001"],
    ["a body that closes before any part", NHS_TYPE, crlf("preamble", "----=_MIME-Boundary--"), "MIME-001"],
    [
      "a part header line without a colon",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Id: <a>", "mock-payload"]),
      "MIME-001",
    ],
    [
      "an unreadable part Content-Type",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Type: xml", "", "x"]),
      "MIME-001",
    ],
    [
      "a start naming no part (missing root part)",
      NHS_TYPE.replace("ebXMLHeader@", "Missing@"),
      minimal(),
      "MIME-002",
    ],
    [
      "a root part that is not XML",
      NHS_TYPE,
      crlf(
        "----=_MIME-Boundary",
        "Content-Id: <ebXMLHeader@spine.nhs.uk>",
        "Content-Type: image/png",
        "",
        "x",
        "----=_MIME-Boundary--",
      ),
      "MIME-002",
    ],
    [
      "a root part without Content-Type (text/plain by default)",
      NHS_TYPE,
      crlf(
        "----=_MIME-Boundary",
        "Content-Id: <ebXMLHeader@spine.nhs.uk>",
        "",
        ROOT_XML,
        "----=_MIME-Boundary--",
      ),
      "MIME-002",
    ],
    [
      "quoted-printable",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Transfer-Encoding: quoted-printable", "", "a=3Db"]),
      "MIME-003",
    ],
    [
      "base64 of the wrong length",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Transfer-Encoding: base64", "", "SGVsbG8gd29ybGQ"]),
      "MIME-003",
    ],
    [
      "base64 with data after padding",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Transfer-Encoding: base64", "", "SGVs=bG8="]),
      "MIME-003",
    ],
    [
      "base64 with three '='",
      NHS_TYPE,
      minimal(["----=_MIME-Boundary", "Content-Transfer-Encoding: base64", "", "SG==="]),
      "MIME-003",
    ],
    [
      "a root part declaring ISO-8859-1",
      NHS_TYPE,
      crlf(
        "----=_MIME-Boundary",
        "Content-Id: <ebXMLHeader@spine.nhs.uk>",
        "Content-Type: text/xml; charset=ISO-8859-1",
        "",
        ROOT_XML,
        "----=_MIME-Boundary--",
      ),
      "MIME-006",
    ],
  ] as const)("%s", (_name, contentType, body, rule) => {
    expect(ruleOf(() => parseMultipartRelated(body, contentType))).toBe(rule);
  });

  it("names the first byte of a root part that is not UTF-8", () => {
    const body = Buffer.concat([
      crlf(
        "----=_MIME-Boundary",
        "Content-Id: <ebXMLHeader@spine.nhs.uk>",
        "Content-Type: text/xml",
        "",
        "<a>caf",
      ),
      Buffer.from([0xe9]),
      crlf("</a>", "----=_MIME-Boundary--"),
    ]);
    expect(ruleOf(() => parseMultipartRelated(body, NHS_TYPE))).toBe("MIME-006");
    expect(messageOf(() => parseMultipartRelated(body, NHS_TYPE))).toContain("byte 0xe9 at offset 6");
  });

  it("explains what is wrong in the message", () => {
    expect(messageOf(() => parseMultipartRelated(minimal([], ""), NHS_TYPE))).toContain(
      'the body ends without the closing delimiter "----=_MIME-Boundary--"',
    );
    expect(
      messageOf(() => parseMultipartRelated(minimal(), NHS_TYPE.replace("ebXMLHeader@", "Missing@"))),
    ).toContain(
      "no part has the Content-Id <Missing@spine.nhs.uk> named by start; parts: <ebXMLHeader@spine.nhs.uk>",
    );
  });
});

describe("decodePartText", () => {
  it("refuses a payload part that declares another charset", () => {
    const body = minimal([
      "----=_MIME-Boundary",
      "Content-Id: <p>",
      "Content-Type: text/xml; charset=windows-1252",
      "",
      "<a/>",
    ]);
    const part = parseMultipartRelated(body, NHS_TYPE).parts[1];
    expect(part?.text).toBeUndefined();
    expect(messageOf(() => (part === undefined ? "" : decodePartText(part, "HL7 payload")))).toContain(
      'HL7 payload (part 2, Content-Id <p>) declares charset "windows-1252"',
    );
  });

  it("returns the text of a UTF-8 part", () => {
    const body = minimal(["----=_MIME-Boundary", "Content-Type: text/plain", "", "héllo"]);
    const part = parseMultipartRelated(body, NHS_TYPE).parts[1];
    expect(part === undefined ? "" : decodePartText(part)).toBe("héllo");
  });
});

describe("buildMultipartRelated", () => {
  const parts = [
    { contentId: EBXML_HEADER_CONTENT_ID, contentType: "text/xml", body: ROOT_XML },
    { contentId: "P1@spine.nhs.uk", contentType: "application/xml", body: "<x>é</x>" },
    {
      contentId: "A1@spine.nhs.uk",
      contentType: "image/png",
      transferEncoding: "base64" as const,
      body: Buffer.alloc(100, 0xff),
    },
  ];

  it("writes the NHS shape with CRLF, bracketed Content-Ids and Spine's Content-Type value", () => {
    const built = buildMultipartRelated(parts.slice(0, 2));
    expect(built.contentType).toBe(
      'multipart/related; boundary="--=_MIME-Boundary"; charset="UTF-8"; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"',
    );
    expect(built.body.toString("utf8")).toBe(
      [
        "----=_MIME-Boundary",
        "Content-Id: <ebXMLHeader@spine.nhs.uk>",
        "Content-Type: text/xml",
        "Content-Transfer-Encoding: 8bit",
        "",
        ROOT_XML,
        "----=_MIME-Boundary",
        "Content-Id: <P1@spine.nhs.uk>",
        "Content-Type: application/xml",
        "Content-Transfer-Encoding: 8bit",
        "",
        "<x>é</x>",
        "----=_MIME-Boundary--",
        "",
      ].join("\r\n"),
    );
  });

  it("round-trips through the parser, base64 wrapped at 76 characters", () => {
    const built = buildMultipartRelated(parts);
    const message = parseMultipartRelated(built.body, built.contentType);
    expect(message.parts.map((p) => p.contentId)).toEqual(parts.map((p) => p.contentId));
    expect(message.parts[1]?.text).toBe("<x>é</x>");
    expect(message.parts[2]?.body).toEqual(Buffer.alloc(100, 0xff));
    const lines = message.parts[2]?.encodedBody.toString("latin1").split("\r\n") ?? [];
    expect(lines.map((l) => l.length)).toEqual([76, 60]);
  });

  it("honours a custom boundary, start and no charset", () => {
    const built = buildMultipartRelated(parts.slice(0, 1), { boundary: "B1", start: "other", charset: null });
    expect(built.contentType).toBe('multipart/related; boundary="B1"; type="text/xml"; start="<other>"');
    expect(built.body.toString().startsWith("--B1\r\n")).toBe(true);
    expect(NHS_MIME_BOUNDARY).toBe("--=_MIME-Boundary");
  });

  it("refuses a body containing a delimiter line, and an empty part list", () => {
    expect(() =>
      buildMultipartRelated([
        { contentId: "x", contentType: "text/plain", body: "a\n----=_MIME-Boundary\nb" },
      ]),
    ).toThrow(/contains the delimiter line/);
    expect(() => buildMultipartRelated([])).toThrow(/at least one part/);
  });
});
