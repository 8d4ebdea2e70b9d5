import { describe, expect, it } from "vitest";
import { readXml, type XmlElement } from "./xml-tree.js";

function root(text: string): XmlElement {
  const result = readXml(text);
  if (!result.ok) throw new Error(result.reason);
  return result.root;
}

describe("safe XML reading", () => {
  it("resolves namespaces whatever the prefix, and the default namespace", () => {
    const doc = root(
      `<s:Envelope xmlns:s="urn:s"><s:Body><getAddressListRequest xmlns="urn:n"><x xmlns=""/></getAddressListRequest></s:Body></s:Envelope>`,
    );
    expect([doc.localName, doc.namespace]).toEqual(["Envelope", "urn:s"]);
    const request = doc.children[0]?.children[0];
    expect([request?.localName, request?.namespace]).toEqual(["getAddressListRequest", "urn:n"]);
    expect(request?.children[0]?.namespace).toBeUndefined();
  });

  it("decodes the predefined entities and character references, and leaves CDATA as written", () => {
    const doc = root(
      `<a><b>Smith &amp; Sons &lt;Ltd&gt; &#65;&#x42; &quot;x&apos;</b><c><![CDATA[&amp; <raw>]]></c></a>`,
    );
    expect(doc.children.map((c) => c.text)).toEqual([`Smith & Sons <Ltd> AB "x'`, "&amp; <raw>"]);
  });

  it("refuses a DOCTYPE outright: no external entities (XXE) and no entity expansion", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`;
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><a>&lol2;</a>`;
    for (const text of [xxe, laughs, `<!doctype a><a/>`]) {
      expect(readXml(text)).toMatchObject({ ok: false, problem: "doctype" });
    }
  });

  it("refuses entities that are not declared, since no DTD can declare them", () => {
    expect(readXml(`<a>&x;</a>`)).toMatchObject({
      ok: false,
      problem: "malformed",
      reason: expect.stringContaining("&x;") as unknown,
    });
    expect(readXml(`<a b="&x;"/>`)).toMatchObject({ ok: false, problem: "malformed" });
  });

  it.each([
    ["not XML at all", "hello"],
    ["an empty body", ""],
    ["mismatched tags", "<a><b></a>"],
    ["two roots", "<a/><b/>"],
    ["a repeated attribute", `<a x="1" x="2"/>`],
    ["an undeclared prefix", "<p:a/>"],
    ["a bare ampersand", "<a>fish & chips</a>"],
  ])("refuses %s as malformed", (_, text) => {
    expect(readXml(text)).toMatchObject({ ok: false, problem: "malformed" });
  });

  it("refuses nesting deeper than a SOAP request needs", () => {
    const deep = `${"<a>".repeat(200)}${"</a>".repeat(200)}`;
    expect(readXml(deep).ok).toBe(false);
  });
});
