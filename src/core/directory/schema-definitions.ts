/**
 * Parses RFC 4512 §4.1 schema definitions — `( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )` —
 * into plain records. Only what the directory needs is interpreted; the original text is kept so
 * that cn=Subschema publishes the definitions exactly as the real SDS does.
 */

export type AttributeUsage =
  "userApplications" | "directoryOperation" | "distributedOperation" | "dSAOperation";
export type ObjectClassKind = "ABSTRACT" | "STRUCTURAL" | "AUXILIARY";

export interface AttributeTypeDefinition {
  readonly oid: string;
  readonly names: readonly string[];
  readonly sup?: string;
  readonly equality?: string;
  readonly ordering?: string;
  readonly substr?: string;
  readonly syntax?: string;
  readonly singleValue: boolean;
  readonly noUserModification: boolean;
  readonly usage: AttributeUsage;
  readonly text: string;
}

export interface ObjectClassDefinition {
  readonly oid: string;
  readonly names: readonly string[];
  readonly sup: readonly string[];
  readonly kind: ObjectClassKind;
  readonly must: readonly string[];
  readonly may: readonly string[];
  readonly text: string;
}

type Token = { readonly quoted: string } | string;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/'((?:[^'\\]|\\.)*)'|([()$])|([^\s()$']+)/g)) {
    out.push(m[1] !== undefined ? { quoted: m[1] } : (m[2] ?? m[3] ?? ""));
  }
  return out;
}

/** Keyword → the values after it (names, OIDs, quoted strings), parentheses and `$` dropped. */
function fields(text: string): { oid: string; fields: Map<string, string[]> } {
  const tokens = tokenize(text);
  if (tokens[0] !== "(" || tokens[tokens.length - 1] !== ")" || typeof tokens[1] !== "string") {
    throw new Error(`not an RFC 4512 definition: ${text.slice(0, 80)}`);
  }
  const map = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const token of tokens.slice(2, -1)) {
    if (typeof token === "string" && /^[A-Z][A-Z-]*$/.test(token)) {
      current = [];
      map.set(token, current);
    } else if (token !== "(" && token !== ")" && token !== "$") {
      current?.push(typeof token === "string" ? token : token.quoted);
    }
  }
  return { oid: tokens[1], fields: map };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export function parseAttributeType(text: string): AttributeTypeDefinition {
  const { oid, fields: f } = fields(text);
  const first = (key: string): string | undefined => f.get(key)?.[0];
  // SYNTAX may carry a length bound: 1.3.6.1.4.1.1466.115.121.1.15{256}
  const syntax = first("SYNTAX")?.replace(/\{\d+\}$/, "");
  return {
    oid,
    names: f.get("NAME") ?? [],
    ...optional("sup", first("SUP")),
    ...optional("equality", first("EQUALITY")),
    ...optional("ordering", first("ORDERING")),
    ...optional("substr", first("SUBSTR")),
    ...optional("syntax", syntax),
    singleValue: f.has("SINGLE-VALUE"),
    noUserModification: f.has("NO-USER-MODIFICATION"),
    usage: (first("USAGE") as AttributeUsage | undefined) ?? "userApplications",
    text,
  };
}

export function parseObjectClass(text: string): ObjectClassDefinition {
  const { oid, fields: f } = fields(text);
  const kind: ObjectClassKind = f.has("ABSTRACT")
    ? "ABSTRACT"
    : f.has("AUXILIARY")
      ? "AUXILIARY"
      : "STRUCTURAL";
  return {
    oid,
    names: f.get("NAME") ?? [],
    sup: f.get("SUP") ?? [],
    kind,
    must: f.get("MUST") ?? [],
    may: f.get("MAY") ?? [],
    text,
  };
}
