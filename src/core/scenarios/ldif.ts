/**
 * A small LDIF (RFC 2849) content reader for seed entries: `dn:`, `attr: value`, `attr:: base64`,
 * folded lines (a leading space continues the previous line), comments, and blank-line separators.
 * Change records are not supported: seed files describe content, not changes.
 */
export interface LdifRecord {
  readonly line: number;
  readonly dn: string;
  readonly attributes: Map<string, string[]>;
}

export class LdifError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseLdif(text: string): LdifRecord[] {
  const records: LdifRecord[] = [];
  let current: { line: number; dn?: string; attributes: Map<string, string[]> } | undefined;
  const flush = (): void => {
    if (current?.dn !== undefined)
      records.push({ line: current.line, dn: current.dn, attributes: current.attributes });
    current = undefined;
  };

  for (const { text: logical, line } of unfold(text)) {
    if (logical.trim() === "") {
      flush();
      continue;
    }
    if (logical.startsWith("#")) continue;
    const match = /^([A-Za-z0-9.;-]+)(::?|:<)\s?(.*)$/.exec(logical);
    if (match === null)
      throw new LdifError(`expected "attribute: value", got ${JSON.stringify(logical)}`, line);
    const [, name = "", separator, rawValue = ""] = match;
    if (separator === ":<")
      throw new LdifError(`URL values (${name}:<) are not supported in seed LDIF`, line);
    const value = separator === "::" ? Buffer.from(rawValue, "base64").toString("utf8") : rawValue;
    if (name.toLowerCase() === "version" && current === undefined) continue;
    if (current === undefined) {
      if (name.toLowerCase() !== "dn")
        throw new LdifError(`a record must start with "dn:", got "${name}:"`, line);
      current = { line, dn: value, attributes: new Map() };
      continue;
    }
    if (name.toLowerCase() === "changetype")
      throw new LdifError("change records are not supported in seed LDIF", line);
    const values = current.attributes.get(name) ?? [];
    values.push(value);
    current.attributes.set(name, values);
  }
  flush();
  return records;
}

function* unfold(text: string): Generator<{ text: string; line: number }> {
  const lines = text.split(/\r?\n/);
  let buffer: { text: string; line: number } | undefined;
  for (const [index, raw] of lines.entries()) {
    if (raw.startsWith(" ") && buffer !== undefined) {
      buffer.text += raw.slice(1);
      continue;
    }
    if (buffer !== undefined) yield buffer;
    buffer = { text: raw, line: index + 1 };
  }
  if (buffer !== undefined) yield buffer;
}
