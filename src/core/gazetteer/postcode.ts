/**
 * Postcode parsing and structure validation (gazetteer.md G9, G10). The `postcode` package
 * (ideal-postcodes) splits and formats postcodes and makes its own O/0 and I/1 corrections; the
 * simulator adds the stricter inward-letter rule and the positional 5/S and L/1 corrections of G9.
 */
import { fix, parse, validOutcode } from "postcode";

export type PostcodeInput =
  /** No postcode given. */
  | { readonly kind: "absent" }
  /** A structurally valid postcode, possibly after character corrections. */
  | {
      readonly kind: "valid";
      /** Formatted with one space: `LS17 8DB`. */
      readonly postcode: string;
      /** Capitals without a space, as stored and returned: `LS178DB`. */
      readonly compact: string;
      readonly outcode: string;
      readonly incode: string;
      readonly corrected: boolean;
    }
  /** Only an outward code (`LS17`): a partial address, searched by district. */
  | { readonly kind: "outward"; readonly outcode: string }
  /** `?` wildcards, one character each: an SQL GLOB over the compact postcode plus whichever half is literal. */
  | {
      readonly kind: "pattern";
      readonly glob: string;
      readonly outcode: string | undefined;
      readonly incode: string | undefined;
    }
  /** `*` in a postcode never matches (G10). */
  | { readonly kind: "never" }
  /** Could not be read as a postcode: treated as absent (ALTERNATIVE mode). */
  | { readonly kind: "unparseable"; readonly text: string };

/** Outward `[A-Z]{1,2}[0-9][A-Z0-9]?`, inward `[0-9][ABD-HJLNP-UW-Z]{2}` (no C, I, K, M, O or V). */
const strict = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2}$/;
const patternShape = /^[A-Z0-9?]{5,7}$/;

/** Characters commonly misread, by what the position expects (G9). */
const asLetter: Readonly<Record<string, string>> = { "0": "O", "1": "I", "5": "S" };
const asDigit: Readonly<Record<string, string>> = { O: "0", I: "1", L: "1", S: "5" };
/** Every outward-code shape by length: L = letter, N = digit, ? = either. */
const outwardShapes: Readonly<Record<number, readonly string[]>> = {
  2: ["LN"],
  3: ["LN?", "LLN"],
  4: ["LLN?"],
};

export function parsePostcode(input: string): PostcodeInput {
  const text = input.toUpperCase().replace(/[^A-Z0-9?*]/g, "");
  if (text === "") return { kind: "absent" };
  if (text.includes("*")) return { kind: "never" };
  if (text.includes("?")) {
    if (!patternShape.test(text)) return { kind: "unparseable", text: input };
    const outward = text.slice(0, -3);
    const inward = text.slice(-3);
    return {
      kind: "pattern",
      glob: text,
      outcode: outward.includes("?") ? undefined : outward,
      incode: inward.includes("?") ? undefined : inward,
    };
  }
  const candidate = [text, compact(fix(text)), ...corrections(text)].find((c) => strict.test(c));
  if (candidate !== undefined) {
    const parsed = parse(candidate);
    if (parsed.valid) {
      return {
        kind: "valid",
        postcode: parsed.postcode,
        compact: candidate,
        outcode: parsed.outcode,
        incode: parsed.incode,
        corrected: candidate !== text,
      };
    }
  }
  if (text.length <= 4 && validOutcode(text)) return { kind: "outward", outcode: text };
  return { kind: "unparseable", text: input };
}

/** `LS17 8DB` → `LS178DB`; also upper-cases. */
export function compact(postcode: string): string {
  return postcode.toUpperCase().replace(/\s+/g, "");
}

/** Positional corrections for each possible shape, fewest changes first. */
function corrections(text: string): string[] {
  const shapes = outwardShapes[text.length - 3] ?? [];
  const results: { text: string; changes: number }[] = [];
  for (const shape of shapes) {
    const kinds = `${shape}NLL`;
    let changes = 0;
    let corrected = "";
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds.charAt(i);
      const c = text.charAt(i);
      const replacement =
        kind === "L" && /\d/.test(c) ? asLetter[c] : kind === "N" && /[A-Z]/.test(c) ? asDigit[c] : undefined;
      if (replacement !== undefined) changes++;
      corrected += replacement ?? c;
    }
    if (changes > 0) results.push({ text: corrected, changes });
  }
  return results.sort((a, b) => a.changes - b.changes).map((r) => r.text);
}
