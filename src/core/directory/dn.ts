/**
 * Distinguished names (RFC 4514): parsing, and the normal form used to compare them. Clients write
 * `ou=services, o=nhs`, `ou=Services,o=nhs` and `OU=SERVICES,O=NHS` for the same entry (reference
 * sds-ldap.md §2, §8), so every DN lookup goes through `dnNormalizer`.
 */

export interface Ava {
  readonly type: string;
  readonly value: string;
}

/** RDNs from the entry's own (leftmost) to the root's; each RDN holds one or more AVAs. */
export type ParsedDn = readonly (readonly Ava[])[];

const hexPair = /^[0-9a-fA-F]{2}$/;

/** Parses an RFC 4514 string (also accepting RFC 2253's spaces around separators); undefined if invalid. */
export function parseDn(text: string): ParsedDn | undefined {
  const rdns: Ava[][] = [];
  let i = 0;
  const n = text.length;
  const skipSpaces = (): void => {
    while (i < n && text[i] === " ") i++;
  };
  skipSpaces();
  if (i === n) return [];
  for (;;) {
    const rdn: Ava[] = [];
    for (;;) {
      skipSpaces();
      const typeStart = i;
      while (i < n && /[A-Za-z0-9.-]/.test(text[i] ?? "")) i++;
      const type = text.slice(typeStart, i);
      if (!/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/.test(type)) return undefined;
      skipSpaces();
      if (text[i] !== "=") return undefined;
      i++;
      skipSpaces();
      const value = readValue();
      if (value === undefined) return undefined;
      rdn.push({ type, value });
      skipSpaces();
      if (text[i] === "+") {
        i++;
        continue;
      }
      break;
    }
    rdns.push(rdn);
    if (i === n) return rdns;
    if (text[i] !== "," && text[i] !== ";") return undefined;
    i++;
  }

  function readValue(): string | undefined {
    if (text[i] === "#") {
      const start = i;
      i++;
      while (i < n && /[0-9a-fA-F]/.test(text[i] ?? "")) i++;
      return (i - start) % 2 === 1 && i - start > 1 ? text.slice(start, i) : undefined;
    }
    if (text[i] === '"') {
      i++;
      let quoted = "";
      while (i < n && text[i] !== '"') {
        if (text[i] === "\\") i++;
        quoted += text[i] ?? "";
        i++;
      }
      if (text[i] !== '"') return undefined;
      i++;
      return quoted;
    }
    const bytes: number[] = [];
    let trailingSpaces = 0;
    while (i < n) {
      const c = text[i] ?? "";
      if (c === "," || c === "+" || c === ";") break;
      if (c === "\\") {
        const pair = text.slice(i + 1, i + 3);
        if (hexPair.test(pair)) {
          bytes.push(parseInt(pair, 16));
          i += 3;
        } else if (i + 1 < n) {
          bytes.push(...Buffer.from(text[i + 1] ?? ""));
          i += 2;
        } else {
          return undefined;
        }
        trailingSpaces = 0;
        continue;
      }
      if (c === "=" || c === '"') return undefined;
      bytes.push(...Buffer.from(c));
      trailingSpaces = c === " " ? trailingSpaces + 1 : 0;
      i++;
    }
    return Buffer.from(bytes.slice(0, bytes.length - trailingSpaces)).toString("utf8");
  }
}

/** RFC 4514 §2.4 escaping for an attribute value written into a DN string. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, "\\ ");
}

/** How the normal form treats one AVA: its attribute type's lower-cased canonical name and value normaliser. */
export interface AvaRules {
  typeKey(type: string): string;
  valueKey(type: string, value: string): string;
}

const escapeKey = (s: string): string => s.replace(/[\\,+=]/g, (c) => `\\${c}`);

/**
 * The normal form of a DN: attribute types by canonical name, values by their equality rule, the
 * AVAs of a multi-valued RDN sorted, no spaces around separators. Undefined if `dn` does not parse.
 */
export function dnKeyOf(dn: string | ParsedDn, rules: AvaRules): string | undefined {
  const parsed = typeof dn === "string" ? parseDn(dn) : dn;
  if (parsed === undefined) return undefined;
  return parsed
    .map((rdn) =>
      rdn
        .map(
          (ava) => `${escapeKey(rules.typeKey(ava.type))}=${escapeKey(rules.valueKey(ava.type, ava.value))}`,
        )
        .sort()
        .join("+"),
    )
    .join(",");
}
