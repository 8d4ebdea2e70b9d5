/**
 * The one XML reader of the messaging layer: fast-xml-parser underneath, made safe and
 * namespace-aware. Senders pick prefixes freely (`SOAP:`, `soap:`, `SOAP-ENV:`; `eb:`, `ns1:`),
 * so every lookup goes by namespace URI and local name; prefixes are kept only for reporting.
 *
 * Safety (rule SOAP-001, decision V15): a DOCTYPE or ENTITY declaration is refused outright, so
 * neither external entities (XXE) nor entity expansion (billion laughs) can happen; only the five
 * predefined entities and character references are decoded. Input size and nesting are bounded.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { WireError, type WireProblem } from "./wire-problem.js";
import { checkDeclaredEncoding, refuseDtdsAndUnknownEntities } from "./xml-guard.js";

export { lineAndColumn } from "./xml-guard.js";

/** Namespace URIs of the Spine wire formats (mhs-wire.md §3). */
export const NS = {
  soap: "http://schemas.xmlsoap.org/soap/envelope/",
  eb: "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd",
  /** The IA templates' spelling; {@link NS.hl7ebxmlLowerCase} is the other one seen in the wild. */
  hl7ebxml: "urn:hl7-org:transport/ebXML/DSTUv1.0",
  hl7ebxmlLowerCase: "urn:hl7-org:transport/ebxml/DSTUv1.0",
  xlink: "http://www.w3.org/1999/xlink",
  wsa: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  hl7: "urn:hl7-org:v3",
  nasp: "http://national.carerecords.nhs.uk/schema/",
  crs: "http://national.carerecords.nhs.uk/schema/crs/",
  xml: "http://www.w3.org/XML/1998/namespace",
} as const;

export interface XmlAttribute {
  /** The name as written, e.g. `eb:version`. */
  readonly name: string;
  readonly localName: string;
  /** Resolved namespace URI; `""` for unprefixed attributes. */
  readonly namespace: string;
  readonly value: string;
}

export interface XmlElement {
  /** The qualified name as written, e.g. `SOAP-ENV:Envelope`. */
  readonly name: string;
  readonly prefix: string;
  readonly localName: string;
  /** Resolved namespace URI; `""` when the element is in no namespace. */
  readonly namespace: string;
  /** Attributes other than namespace declarations, in document order. */
  readonly attributes: readonly XmlAttribute[];
  /** Child elements in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, entities decoded), untrimmed. */
  readonly text: string;
}

export interface ParseXmlOptions {
  /** Names the document in problem locations, e.g. `MIME root part` or `HL7 payload`. */
  readonly location?: string;
  /** Largest accepted text length in characters (default 10,000,000). */
  readonly maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 10_000_000;
/** Deep enough for any GP2GP EHR extract seen; shallow enough to stop nesting bombs. */
const MAX_DEPTH = 256;
const CDATA = "#cdata";
const TEXT = "#text";
const ATTRS = ":@";

// Built once: the parser is stateless between calls.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

// The guard has already checked every reference, so decoding can be a plain replace.
const ENTITY_OR_REF = /&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Parses an XML document and returns its root element. Throws a {@link WireError} with rule
 * SOAP-001 (not well-formed, DTD or undeclared entity, with line and column where known),
 * MIME-006 (an XML declaration naming an encoding other than UTF-8) or HTTP-009 (too large).
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  const location = options.location ?? "XML";
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw fail(
      "HTTP-009",
      "HTTP Body",
      `${location} is ${text.length} characters; the limit is ${maxLength}`,
    );
  }
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  checkDeclaredEncoding(source, location);
  refuseDtdsAndUnknownEntities(source, location);

  // Deprecated in fast-xml-parser 5 in favour of the separate fast-xml-validator package, but
  // shipped and supported throughout 5.x; one dependency fewer until the 6.x upgrade.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const verdict = XMLValidator.validate(source);
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    throw new WireError([
      {
        ruleId: "SOAP-001",
        location,
        message: `${location} is not well-formed XML at line ${line}, column ${col}: ${msg}`,
        line,
        column: col,
      },
    ]);
  }

  let nodes: FxpNode[];
  try {
    nodes = parser.parse(source) as FxpNode[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw fail("SOAP-001", location, `${location} cannot be parsed: ${reason} (nesting limit ${MAX_DEPTH})`);
  }
  const problems: WireProblem[] = [];
  const roots = buildElements(nodes, ROOT_SCOPE, location, "", problems, true);
  // fast-xml-parser drops character data after the root element; XML forbids it.
  if (!/>\s*$/.test(source)) {
    problems.push({ ruleId: "SOAP-001", location, message: `${location} has text after the root element` });
  }
  const first = problems[0];
  if (first !== undefined) throw new WireError([first, ...problems.slice(1)]);
  const root = roots[0];
  if (root === undefined) throw fail("SOAP-001", location, `${location} has no root element`);
  if (roots.length > 1) {
    throw fail("SOAP-001", location, `${location} has ${roots.length} root elements; XML allows exactly one`);
  }
  return root;
}

/** The first child element with this namespace and local name. */
export function childElement(
  parent: XmlElement,
  namespace: string,
  localName: string,
): XmlElement | undefined {
  return parent.children.find((c) => c.localName === localName && c.namespace === namespace);
}

/** Every child element with this namespace and local name, in document order. */
export function childElements(parent: XmlElement, namespace: string, localName: string): XmlElement[] {
  return parent.children.filter((c) => c.localName === localName && c.namespace === namespace);
}

/** An attribute value by namespace (`""` for unprefixed attributes) and local name. */
export function attributeValue(
  element: XmlElement,
  namespace: string,
  localName: string,
): string | undefined {
  return element.attributes.find((a) => a.localName === localName && a.namespace === namespace)?.value;
}

/**
 * The trimmed text of an element: its own text for a leaf, else its own text followed by its
 * descendants' in document order. Mixed content (text between child elements) is not a Spine
 * wire shape, so where such text sat among the children is not kept.
 */
export function textContent(element: XmlElement): string {
  if (element.children.length === 0) return element.text.trim();
  let text = element.text;
  for (const child of element.children) text += textContent(child);
  return text.trim();
}

/** Escapes character data for use between tags. */
export function escapeXmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** Escapes a value for a double-quoted attribute, keeping tabs and line breaks as references. */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

// ---------------------------------------------------------------------------------------------

type FxpNode = Record<string, unknown>;
type Scope = ReadonlyMap<string, string>;

const ROOT_SCOPE: Scope = new Map([["xml", NS.xml]]);

function fail(ruleId: "SOAP-001" | "HTTP-009", location: string, message: string): WireError {
  return new WireError([{ ruleId, location, message }]);
}

function decodeReferences(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(ENTITY_OR_REF, (_whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return PREDEFINED[ref] ?? "";
  });
}

/** Attribute-value normalisation (XML 1.0 §3.3.3) happens before references are decoded. */
function decodeAttribute(raw: string): string {
  const normalised = /[\t\n\r]/.test(raw) ? raw.replace(/[\t\n\r]/g, " ") : raw;
  return decodeReferences(normalised);
}

function buildElements(
  nodes: readonly FxpNode[],
  scope: Scope,
  location: string,
  path: string,
  problems: WireProblem[],
  topLevel: boolean,
): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (key === ATTRS) continue;
      if (key === TEXT || key === CDATA) {
        if (topLevel && textOf(node, key).trim() !== "") {
          problems.push({
            ruleId: "SOAP-001",
            location,
            message: `${location} has text outside the root element`,
          });
        }
        continue;
      }
      elements.push(buildElement(key, node, scope, location, path, problems));
    }
  }
  return elements;
}

function textOf(node: FxpNode, key: string): string {
  const value = node[key];
  if (key === CDATA && Array.isArray(value)) {
    return value.map((part: FxpNode) => (typeof part[TEXT] === "string" ? part[TEXT] : "")).join("");
  }
  return typeof value === "string" ? value : "";
}

function buildElement(
  name: string,
  node: FxpNode,
  parentScope: Scope,
  location: string,
  parentPath: string,
  problems: WireProblem[],
): XmlElement {
  const path = `${parentPath}/${name}`;
  const rawAttributes = (node[ATTRS] ?? {}) as Record<string, string>;
  const names = Object.keys(rawAttributes);
  // Most elements declare nothing and share their parent's scope; copy only on a declaration.
  let declared: Map<string, string> | undefined;
  for (const attribute of names) {
    if (attribute === "xmlns" || attribute.startsWith("xmlns:")) {
      declared ??= new Map(parentScope);
      declared.set(attribute === "xmlns" ? "" : attribute.slice(6), rawAttributes[attribute] ?? "");
    }
  }
  const scope: Scope = declared ?? parentScope;
  const [prefix, localName] = splitName(name);
  const namespace = resolve(prefix, scope, true, location, path, problems);
  const attributes: XmlAttribute[] = [];
  for (const attribute of names) {
    if (attribute === "xmlns" || attribute.startsWith("xmlns:")) continue;
    const [attrPrefix, attrLocal] = splitName(attribute);
    attributes.push({
      name: attribute,
      localName: attrLocal,
      namespace: attrPrefix === "" ? "" : resolve(attrPrefix, scope, false, location, path, problems),
      value: decodeAttribute(rawAttributes[attribute] ?? ""),
    });
  }
  const content = (node[name] ?? []) as FxpNode[];
  let text = "";
  for (const child of content) {
    if (TEXT in child) text += decodeReferences(textOf(child, TEXT));
    else if (CDATA in child) text += textOf(child, CDATA);
  }
  const children = buildElements(content, scope, location, path, problems, false);
  return { name, prefix, localName, namespace, attributes, children, text };
}

function splitName(name: string): [prefix: string, localName: string] {
  const colon = name.indexOf(":");
  return colon === -1 ? ["", name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function resolve(
  prefix: string,
  scope: Scope,
  isElement: boolean,
  location: string,
  path: string,
  problems: WireProblem[],
): string {
  const uri = scope.get(prefix);
  if (uri !== undefined) return uri;
  if (prefix === "") return "";
  problems.push({
    ruleId: "SOAP-001",
    location,
    message: `${location}: namespace prefix "${prefix}" on ${isElement ? "element" : "an attribute of"} ${path} is not declared`,
  });
  return "";
}
