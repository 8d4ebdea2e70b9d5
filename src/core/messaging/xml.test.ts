import { describe, expect, it } from "vitest";
import { isWireError, type WireProblem } from "./wire-problem.js";
import {
  NS,
  attributeValue,
  childElement,
  childElements,
  escapeXmlAttribute,
  escapeXmlText,
  lineAndColumn,
  parseXml,
  textContent,
} from "./xml.js";

function problemOf(xml: string, maxLength?: number): WireProblem | undefined {
  try {
    parseXml(xml, { location: "test document", ...(maxLength === undefined ? {} : { maxLength }) });
  } catch (error) {
    if (isWireError(error)) return error.problems[0];
    throw error;
  }
  return undefined;
}

describe("parseXml namespaces", () => {
  it.each(["SOAP", "soap", "SOAP-ENV", "s"])(
    "resolves the SOAP envelope by URI whatever the prefix (%s:)",
    (prefix) => {
      const root = parseXml(
        `<${prefix}:Envelope xmlns:${prefix}="${NS.soap}"><${prefix}:Body/></${prefix}:Envelope>`,
      );
      expect(root.namespace).toBe(NS.soap);
      expect(root.localName).toBe("Envelope");
      expect(root.prefix).toBe(prefix);
      expect(root.name).toBe(`${prefix}:Envelope`);
      expect(childElement(root, NS.soap, "Body")?.name).toBe(`${prefix}:Body`);
    },
  );

  it("applies default namespaces, redeclarations in scope, and un-declarations", () => {
    const root = parseXml(
      `<a xmlns="urn:one" xmlns:p="urn:p"><b/><p:c xmlns:p="urn:p2"><d xmlns=""/></p:c><p:e/></a>`,
    );
    expect(root.namespace).toBe("urn:one");
    expect(root.children.map((c) => [c.localName, c.namespace])).toEqual([
      ["b", "urn:one"],
      ["c", "urn:p2"],
      ["e", "urn:p"],
    ]);
    expect(root.children[1]?.children[0]?.namespace).toBe("");
  });

  it("gives unprefixed attributes no namespace and resolves prefixed ones, including xml:", () => {
    const root = parseXml(`<eb:R xmlns:eb="${NS.eb}" eb:version="2.0" version="x" xml:lang="en"/>`);
    expect(attributeValue(root, NS.eb, "version")).toBe("2.0");
    expect(attributeValue(root, "", "version")).toBe("x");
    expect(attributeValue(root, NS.xml, "lang")).toBe("en");
    expect(root.attributes.map((a) => a.name)).toEqual(["eb:version", "version", "xml:lang"]);
  });

  it("reports an undeclared prefix with the element path", () => {
    expect(problemOf(`<a><x:b/></a>`)).toMatchObject({
      ruleId: "SOAP-001",
      message: 'test document: namespace prefix "x" on element /a/x:b is not declared',
    });
    expect(problemOf(`<a y:z="1"/>`)?.ruleId).toBe("SOAP-001");
  });
});

describe("parseXml text", () => {
  it("decodes the five predefined entities and character references, not CDATA", () => {
    const root = parseXml(
      `<a t="&lt;&amp;&quot;&#65;">x &lt; y &amp;&gt; &apos;&quot; &#233;&#x1F691;<![CDATA[&amp; <raw>]]></a>`,
    );
    expect(root.text).toBe(`x < y &> '" é🚑&amp; <raw>`);
    expect(attributeValue(root, "", "t")).toBe('<&"A');
  });

  it("normalises whitespace in attribute values but keeps character references", () => {
    const root = parseXml(`<a t="one\ttwo\nthree&#10;four"/>`);
    expect(attributeValue(root, "", "t")).toBe("one two three\nfour");
  });

  it("keeps multibyte characters and strips a byte-order mark", () => {
    const root = parseXml(`\uFEFF<?xml version="1.0" encoding="UTF-8"?><a>Zoë 東京 🚑</a>`);
    expect(root.text).toBe("Zoë 東京 🚑");
  });

  it("offers child lookups and trimmed text content", () => {
    const root = parseXml(`<a xmlns="urn:x"><b> one </b><b>two</b><c> <d>deep</d> </c></a>`);
    expect(childElements(root, "urn:x", "b").map(textContent)).toEqual(["one", "two"]);
    expect(textContent(root)).toBe("onetwodeep");
    expect(childElement(root, "urn:other", "b")).toBeUndefined();
  });
});

describe("parseXml refuses what Spine never sends (SOAP-001, V15)", () => {
  it("refuses a DOCTYPE, with its line and column", () => {
    expect(problemOf(`<?xml version="1.0"?>\n<!DOCTYPE a>\n<a/>`)).toMatchObject({
      ruleId: "SOAP-001",
      line: 2,
      column: 1,
    });
  });

  it("refuses the billion-laughs entity bomb before any expansion", () => {
    const bomb = [
      `<?xml version="1.0"?>`,
      `<!DOCTYPE lolz [`,
      `  <!ENTITY lol "lol">`,
      `  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`,
      `  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">`,
      `]>`,
      `<lolz>&lol3;</lolz>`,
    ].join("\n");
    const problem = problemOf(bomb);
    expect(problem?.ruleId).toBe("SOAP-001");
    expect(problem?.message).toContain("DOCTYPE declarations are refused");
  });

  it("refuses an external entity (XXE)", () => {
    const xxe = `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`;
    expect(problemOf(xxe)).toMatchObject({ ruleId: "SOAP-001", line: 1, column: 1 });
  });

  it("refuses a stray ENTITY declaration and a lower-case doctype", () => {
    expect(problemOf(`<a/><!ENTITY x "y">`)?.message).toContain("ENTITY declarations are refused");
    expect(problemOf(`<!doctype a><a/>`)?.ruleId).toBe("SOAP-001");
  });

  it("accepts the word DOCTYPE inside comments and CDATA", () => {
    expect(parseXml(`<a><!-- <!DOCTYPE x> &nbsp; --><![CDATA[<!ENTITY y "z"> &bogus;]]></a>`).text).toBe(
      `<!ENTITY y "z"> &bogus;`,
    );
  });

  it("refuses an undefined entity and a bare ampersand, with line and column", () => {
    expect(problemOf(`<a>\n  caf&eacute;</a>`)).toMatchObject({ ruleId: "SOAP-001", line: 2, column: 6 });
    expect(problemOf(`<a>\n  caf&eacute;</a>`)?.message).toContain('"&eacute;"');
    expect(problemOf(`<a t="fish & chips"/>`)).toMatchObject({ ruleId: "SOAP-001", line: 1, column: 12 });
    expect(problemOf(`<a>&#0;</a>`)?.ruleId).toBe("SOAP-001");
  });
});

describe("parseXml refuses malformed XML (SOAP-001) with line and column", () => {
  it.each([
    ["a mismatched closing tag", `<a>\n<b>\n</c></a>`, 3],
    ["an unclosed element", `<a><b></b>`, 1],
    ["a truncated document", `<a><b attr="x`, 1],
    ["an unquoted attribute", `<a x=1/>`, 1],
    ["a repeated attribute", `<a x="1" x="2"/>`, 1],
    ["text before the root", `junk<a/>`, 1],
  ])("%s", (_name, xml, line) => {
    const problem = problemOf(xml);
    expect(problem?.ruleId).toBe("SOAP-001");
    expect(problem?.line).toBe(line);
    expect(problem?.column).toBeGreaterThan(0);
    expect(problem?.message).toMatch(/^test document is not well-formed XML at line \d+, column \d+: /);
  });

  it.each([
    ["an empty document", ``],
    ["two root elements", `<a/><b/>`],
    ["text after the root", `<a/>junk`],
  ])("%s", (_name, xml) => {
    expect(problemOf(xml)?.ruleId).toBe("SOAP-001");
  });

  it("refuses nesting deeper than 256 levels", () => {
    const deep = "<a>".repeat(300) + "</a>".repeat(300);
    expect(problemOf(deep)?.ruleId).toBe("SOAP-001");
    const fine = "<a>".repeat(200) + "</a>".repeat(200);
    expect(problemOf(fine)).toBeUndefined();
  });

  it("refuses documents over the size bound with HTTP-009", () => {
    expect(problemOf(`<a>${"x".repeat(100)}</a>`, 50)).toMatchObject({
      ruleId: "HTTP-009",
      location: "HTTP Body",
    });
  });

  it("refuses an XML declaration naming another encoding with MIME-006", () => {
    expect(problemOf(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`)).toMatchObject({
      ruleId: "MIME-006",
      location: "charset",
    });
    expect(problemOf(`<?xml version="1.0" encoding='utf-8'?><a/>`)).toBeUndefined();
  });
});

describe("escaping", () => {
  it("escapes text and attributes so that they parse back to the same value", () => {
    const value = `a<b>&"c'\td\ne`;
    const root = parseXml(`<x a="${escapeXmlAttribute(value)}">${escapeXmlText(value)}</x>`);
    expect(attributeValue(root, "", "a")).toBe(value);
    expect(root.text).toBe(value);
  });

  it("computes 1-based lines and columns", () => {
    expect(lineAndColumn("ab\ncd\nef", 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn("ab\ncd\nef", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab\ncd\nef", 6)).toEqual({ line: 3, column: 1 });
  });
});
