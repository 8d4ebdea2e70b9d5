/**
 * The safety checks run on XML text before fast-xml-parser sees it (rule SOAP-001, decision V15):
 * DOCTYPE and ENTITY declarations are refused outright, and every `&` must start one of the five
 * predefined entities or a character reference of a legal XML character. Comments, CDATA
 * sections and processing instructions are skipped, so the words may appear inside them.
 */
import { isUtf8Charset } from "./utf8.js";
import { WireError } from "./wire-problem.js";

// Markup the scan must look at: things to skip (comments, CDATA, PIs), DTDs, references.
const MARKUP = /<!--|<!\[CDATA\[|<!DOCTYPE|<!ENTITY|<\?|&/gi;
const REFERENCE = /&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/y;
const ENCODING_DECL = /^<\?xml\s[^?]*?encoding\s*=\s*["']([^"']*)["']/;

/** 1-based line and column of a character offset; only used when reporting. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** An XML declaration may only name UTF-8 (or its ASCII subset): rule MIME-006. */
export function checkDeclaredEncoding(source: string, location: string): void {
  const declared = ENCODING_DECL.exec(source)?.[1];
  if (declared === undefined || isUtf8Charset(declared)) return;
  throw new WireError([
    {
      ruleId: "MIME-006",
      location: "charset",
      message: `${location} declares encoding "${declared}"; Spine accepts UTF-8 only`,
    },
  ]);
}

/** Refuses DTDs and checks every entity reference before fast-xml-parser sees the text. */
export function refuseDtdsAndUnknownEntities(source: string, location: string): void {
  MARKUP.lastIndex = 0;
  for (let match = MARKUP.exec(source); match !== null; match = MARKUP.exec(source)) {
    const at = match.index;
    const token = match[0];
    if (token === "&") {
      REFERENCE.lastIndex = at;
      const ref = REFERENCE.exec(source);
      if (ref === null || !isXmlChar(ref[0])) {
        const shown = /^&[^\s<&;]{0,20};?/.exec(source.slice(at))?.[0] ?? "&";
        throw positioned(
          source,
          at,
          location,
          `undefined entity or bare ampersand "${shown}"; only &lt; &gt; &amp; &quot; &apos; and character references are allowed`,
        );
      }
      continue;
    }
    const close =
      token === "<!--" ? "-->" : token === "<?" ? "?>" : token.startsWith("<![") ? "]]>" : undefined;
    if (close === undefined) {
      throw positioned(
        source,
        at,
        location,
        `${token.slice(2).toUpperCase()} declarations are refused (no DTDs or entity definitions in Spine messages)`,
      );
    }
    const end = source.indexOf(close, at + token.length);
    if (end === -1) return; // unterminated: the validator reports it with its position
    MARKUP.lastIndex = end + close.length;
  }
}

function isXmlChar(reference: string): boolean {
  if (!reference.startsWith("&#")) return true;
  const cp =
    reference[2] === "x" ? parseInt(reference.slice(3, -1), 16) : parseInt(reference.slice(2, -1), 10);
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function positioned(source: string, offset: number, location: string, what: string): WireError {
  const { line, column } = lineAndColumn(source, offset);
  return new WireError([
    {
      ruleId: "SOAP-001",
      location,
      message: `${location} line ${line}, column ${column}: ${what}`,
      line,
      column,
    },
  ]);
}
