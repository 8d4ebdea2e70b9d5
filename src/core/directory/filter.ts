/**
 * Search filters (RFC 4511 §4.5.1.7) as plain data, a parser for their string form (RFC 4515) and
 * a printer. The LDAP listener converts ldapjs's parsed filter into this shape; in-process callers
 * and tests can write the string form directly.
 */

export type Filter =
  | { readonly type: "and"; readonly filters: readonly Filter[] }
  | { readonly type: "or"; readonly filters: readonly Filter[] }
  | { readonly type: "not"; readonly filter: Filter }
  | {
      readonly type: "equality" | "greaterOrEqual" | "lessOrEqual" | "approx";
      readonly attribute: string;
      readonly value: string;
    }
  | {
      readonly type: "substrings";
      readonly attribute: string;
      readonly initial?: string | undefined;
      readonly any: readonly string[];
      readonly final?: string | undefined;
    }
  | { readonly type: "present"; readonly attribute: string }
  | {
      readonly type: "extensible";
      readonly attribute?: string | undefined;
      readonly rule?: string | undefined;
      readonly value: string;
      readonly dnAttributes: boolean;
    };

export class FilterSyntaxError extends Error {
  override readonly name = "FilterSyntaxError";
}

/** Deeper nesting than this is refused, whatever the source: no client needs it, and it bounds recursion. */
export const maxFilterDepth = 256;

/**
 * Parses an RFC 4515 filter. Spaces between components, as real clients write them
 * (`(&(a=1) (b=2))`), and a missing outer pair of parentheses are tolerated.
 */
export function parseFilter(text: string): Filter {
  let i = 0;
  const fail = (why: string): never => {
    throw new FilterSyntaxError(`Bad search filter at position ${i}: ${why} in ${JSON.stringify(text)}`);
  };
  const skipSpaces = (): void => {
    while (text[i] === " ") i++;
  };

  const parseComponent = (depth: number): Filter => {
    if (depth > maxFilterDepth) fail(`nested deeper than ${maxFilterDepth} levels`);
    skipSpaces();
    if (text[i] !== "(") fail("expected (");
    i++;
    skipSpaces();
    let filter: Filter;
    const c = text[i];
    if (c === "&" || c === "|") {
      i++;
      const filters: Filter[] = [];
      skipSpaces();
      while (text[i] === "(") {
        filters.push(parseComponent(depth + 1));
        skipSpaces();
      }
      filter = c === "&" ? { type: "and", filters } : { type: "or", filters };
    } else if (c === "!") {
      i++;
      filter = { type: "not", filter: parseComponent(depth + 1) };
    } else {
      filter = parseItem();
    }
    skipSpaces();
    if (text[i] !== ")") fail("expected )");
    i++;
    return filter;
  };

  const parseItem = (): Filter => {
    const start = i;
    while (i < text.length && !"=~<>()".includes(text[i] ?? "")) i++;
    const left = text.slice(start, i).trim();
    const op = text[i] === "=" ? "=" : text.slice(i, i + 2);
    if (!["=", "~=", ">=", "<="].includes(op)) fail("expected =, ~=, >= or <=");
    i += op.length;
    const valueStart = i;
    while (i < text.length && text[i] !== ")") {
      if (text[i] === "(") fail("unescaped ( in a value");
      i++;
    }
    const raw = text.slice(valueStart, i);
    if (left.includes(":")) {
      if (op !== "=") fail("an extensible match uses :=");
      return parseExtensible(left, raw);
    }
    if (!/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*$/.test(left))
      fail(`bad attribute description ${JSON.stringify(left)}`);
    if (op === "~=") return { type: "approx", attribute: left, value: unescape(raw) };
    if (op === ">=") return { type: "greaterOrEqual", attribute: left, value: unescape(raw) };
    if (op === "<=") return { type: "lessOrEqual", attribute: left, value: unescape(raw) };
    if (raw === "*") return { type: "present", attribute: left };
    if (!raw.includes("*")) return { type: "equality", attribute: left, value: unescape(raw) };
    const parts = raw.split("*");
    const initial = parts[0] ?? "";
    const final = parts[parts.length - 1] ?? "";
    return {
      type: "substrings",
      attribute: left,
      ...(initial === "" ? {} : { initial: unescape(initial) }),
      any: parts
        .slice(1, -1)
        .filter((p) => p !== "")
        .map(unescape),
      ...(final === "" ? {} : { final: unescape(final) }),
    };
  };

  const parseExtensible = (left: string, raw: string): Filter => {
    // attr[:dn][:rule]:=value  or  [:dn]:rule:=value ; `left` ends with ":" because the = was the operator
    if (!left.endsWith(":")) fail("an extensible match uses :=");
    const parts = left.slice(0, -1).split(":");
    const attribute = parts[0] === "" ? undefined : parts[0];
    let dnAttributes = false;
    let rule: string | undefined;
    for (const part of parts.slice(1)) {
      if (part.toLowerCase() === "dn") dnAttributes = true;
      else rule = part;
    }
    if (attribute === undefined && rule === undefined)
      fail("an extensible match needs an attribute or a rule");
    return { type: "extensible", attribute, rule, value: unescape(raw), dnAttributes };
  };

  const unescape = (value: string): string => {
    if (!value.includes("\\")) return value;
    const bytes: number[] = [];
    for (let k = 0; k < value.length; k++) {
      const ch = value[k] ?? "";
      if (ch === "\\") {
        const pair = value.slice(k + 1, k + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) fail(`bad escape \\${pair}`);
        bytes.push(parseInt(pair, 16));
        k += 2;
      } else {
        bytes.push(...Buffer.from(ch));
      }
    }
    return Buffer.from(bytes).toString("utf8");
  };

  const trimmed = text.trim();
  if (trimmed === "") fail("empty filter");
  if (!trimmed.startsWith("(")) {
    text = `(${trimmed})`;
  }
  const filter = parseComponent(0);
  skipSpaces();
  if (i !== text.length) fail("text after the filter");
  return filter;
}

/** RFC 4515 §3 escaping for a value written into a filter string. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** The string form of a filter; equal filters print equally (used for paging fingerprints and logs). */
export function formatFilter(filter: Filter): string {
  switch (filter.type) {
    case "and":
      return `(&${filter.filters.map(formatFilter).join("")})`;
    case "or":
      return `(|${filter.filters.map(formatFilter).join("")})`;
    case "not":
      return `(!${formatFilter(filter.filter)})`;
    case "equality":
      return `(${filter.attribute}=${escapeFilterValue(filter.value)})`;
    case "approx":
      return `(${filter.attribute}~=${escapeFilterValue(filter.value)})`;
    case "greaterOrEqual":
      return `(${filter.attribute}>=${escapeFilterValue(filter.value)})`;
    case "lessOrEqual":
      return `(${filter.attribute}<=${escapeFilterValue(filter.value)})`;
    case "present":
      return `(${filter.attribute}=*)`;
    case "substrings":
      return `(${filter.attribute}=${filter.initial === undefined ? "" : escapeFilterValue(filter.initial)}*${filter.any
        .map((a) => `${escapeFilterValue(a)}*`)
        .join("")}${filter.final === undefined ? "" : escapeFilterValue(filter.final)})`;
    case "extensible":
      return `(${filter.attribute ?? ""}${filter.dnAttributes ? ":dn" : ""}${filter.rule === undefined ? "" : `:${filter.rule}`}:=${escapeFilterValue(filter.value)})`;
  }
}
