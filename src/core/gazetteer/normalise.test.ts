import { describe, expect, it } from "vitest";
import { normaliseText, numbersOf, tokenise, wordsOf } from "./normalise.js";

describe("address text normalisation", () => {
  it("upper-cases, drops accents and apostrophes, and turns other punctuation into single spaces", () => {
    expect(normaliseText("  St. Mary's   Road,  Ystrad-Mynach ")).toBe("ST MARYS ROAD YSTRAD MYNACH");
    expect(normaliseText("Llanfair Caereinion (Powys)")).toBe("LLANFAIR CAEREINION POWYS");
    expect(normaliseText("Café Rosé")).toBe("CAFE ROSE");
  });

  it("keeps the * wildcard in queries and drops it from stored text", () => {
    expect(normaliseText("Sandr*m Cres*")).toBe("SANDR*M CRES*");
    expect(normaliseText("Sandr*m", false)).toBe("SANDR M");
  });

  it("expands the street-type abbreviations of G8 as whole words only", () => {
    expect(tokenise("12 Oak Rd").map((t) => t.text)).toEqual(["12", "OAK", "ROAD"]);
    const expanded = tokenise("St Ave Cres Cl Dr Ln Pl Sq Ct Gdns Ter Terr").map((t) => t.text);
    expect(expanded).toEqual([
      "STREET",
      "AVENUE",
      "CRESCENT",
      "CLOSE",
      "DRIVE",
      "LANE",
      "PLACE",
      "SQUARE",
      "COURT",
      "GARDENS",
      "TERRACE",
      "TERRACE",
    ]);
    expect(tokenise("Stanley Rdx").map((t) => t.text)).toEqual(["STANLEY", "RDX"]);
  });

  it("tells premises numbers from words, including numbers with a letter and number patterns", () => {
    const tokens = tokenise("Flat 3, 12A High St, 1*");
    expect(tokens.map((t) => [t.text, t.number])).toEqual([
      ["FLAT", false],
      ["3", true],
      ["12A", true],
      ["HIGH", false],
      ["STREET", false],
      ["1*", true],
    ]);
    expect(tokens[5]?.wildcard?.test("115")).toBe(true);
    expect(tokens[5]?.wildcard?.test("215")).toBe(false);
  });

  it("turns * into an anchored pattern and drops a lone * that would match anything", () => {
    const [token] = tokenise("san*ham");
    expect(token?.wildcard?.test("SANDRINGHAM")).toBe(true);
    expect(token?.wildcard?.test("SANDRINGHAMS")).toBe(false);
    expect(tokenise("* *")).toEqual([]);
  });

  it("collects stored words and numbers without duplicates", () => {
    expect(wordsOf("Flat 2", "Oak Court", "Oak Road", undefined, "LEEDS")).toEqual([
      "FLAT",
      "OAK",
      "COURT",
      "ROAD",
      "LEEDS",
    ]);
    expect(numbersOf("Flat 2", "12A", "14")).toEqual(["2", "12A", "14"]);
  });
});
