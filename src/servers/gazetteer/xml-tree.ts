/**
 * A safe, namespace-aware reading of a small XML document with fast-xml-parser: DOCTYPE
 * declarations are refused outright (no DTDs, so no external entities and no entity expansion
 * bombs), entity processing is off and only the five predefined entities and character references
 * are decoded by hand, well-formedness is checked by the validator, and there must be exactly one
 * root element.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlElement {
  /** Qualified name as written, e.g. `nasp:maxno`. */
  readonly name: string;
  readonly localName: string;
  /** Resolved namespace URI; undefined when the element is in no namespace. */
  readonly namespace: string | undefined;
  readonly children: readonly XmlElement[];
  /** The element's own text and CDATA, decoded, untrimmed. */
  readonly text: string;
}

export type XmlReadResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly problem: "doctype" | "malformed"; readonly reason: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: "#cdata",
  maxNestedTags: 64,
});

type OrderedNode = Record<string, unknown>;

class XmlProblem extends Error {}

export function readXml(text: string): XmlReadResult {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    return {
      ok: false,
      problem: "doctype",
      reason: "the document has a DOCTYPE or ENTITY declaration; DTDs are refused",
    };
  }
  // fast-xml-parser 5 still ships its validator (its successor is a separate package); the parser
  // alone accepts mismatched tags, so well-formedness is checked here first.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return {
      ok: false,
      problem: "malformed",
      reason: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    };
  }
  try {
    const nodes = parser.parse(text) as OrderedNode[];
    const roots = nodes.filter((node) => elementName(node) !== undefined);
    const strayText = nodes.some((node) => typeof node["#text"] === "string" && node["#text"].trim() !== "");
    const root = roots[0];
    if (roots.length !== 1 || root === undefined || strayText) {
      return {
        ok: false,
        problem: "malformed",
        reason: `a document needs exactly one root element; found ${roots.length}`,
      };
    }
    return { ok: true, root: toElement(root, new Map([["xml", "http://www.w3.org/XML/1998/namespace"]])) };
  } catch (error) {
    if (error instanceof XmlProblem) return { ok: false, problem: "malformed", reason: error.message };
    return {
      ok: false,
      problem: "malformed",
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The children of `element` with this namespace and local name. */
export function childrenNamed(element: XmlElement, namespace: string, localName: string): XmlElement[] {
  return element.children.filter((child) => child.localName === localName && child.namespace === namespace);
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ":@" && !key.startsWith("#") && !key.startsWith("?"));
}

function toElement(node: OrderedNode, scope: ReadonlyMap<string, string>): XmlElement {
  const name = elementName(node) ?? "";
  const attributes = (node[":@"] ?? {}) as Record<string, string>;
  let inScope = scope;
  for (const [attribute, value] of Object.entries(attributes)) {
    if (attribute === "@_xmlns" || attribute.startsWith("@_xmlns:")) {
      if (inScope === scope) inScope = new Map(scope);
      (inScope as Map<string, string>).set(
        attribute === "@_xmlns" ? "" : attribute.slice("@_xmlns:".length),
        decodeEntities(value),
      );
    } else {
      decodeEntities(value); // only to refuse undeclared entities in attributes as well
    }
  }
  const colon = name.indexOf(":");
  const prefix = colon === -1 ? "" : name.slice(0, colon);
  const localName = colon === -1 ? name : name.slice(colon + 1);
  const namespace = inScope.get(prefix);
  if (prefix !== "" && namespace === undefined)
    throw new XmlProblem(`the prefix "${prefix}" of <${name}> is not declared`);
  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if (typeof child["#text"] === "string") text += decodeEntities(child["#text"]);
    else if (Array.isArray(child["#cdata"])) {
      for (const part of child["#cdata"] as OrderedNode[])
        if (typeof part["#text"] === "string") text += part["#text"];
    } else if (elementName(child) !== undefined) children.push(toElement(child, inScope));
  }
  return { name, localName, namespace: namespace === "" ? undefined : namespace, children, text };
}

const predefined: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";"))
      throw new XmlProblem(`"&" must start an entity or character reference: ${whole}`);
    const known = predefined[name];
    if (known !== undefined) return known;
    const code = /^#x[0-9a-f]+$/i.test(name)
      ? parseInt(name.slice(2), 16)
      : /^#\d+$/.test(name)
        ? Number(name.slice(1))
        : undefined;
    if (code === undefined) throw new XmlProblem(`the entity &${name}; is not declared (DTDs are refused)`);
    if (code > 0x10ffff || code === 0) throw new XmlProblem(`&${name}; is not a valid character`);
    return String.fromCodePoint(code);
  });
}
