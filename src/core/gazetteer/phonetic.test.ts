import { describe, expect, it } from "vitest";
import { editDistance, editLimit, isUsefulPhoneticKey, phoneticKey } from "./phonetic.js";

describe("fuzzy word matching", () => {
  it("measures Damerau-Levenshtein distance, a swap of neighbours counting once", () => {
    expect(editDistance("STREET", "STREET")).toBe(0);
    expect(editDistance("SREET", "STREET")).toBe(1);
    expect(editDistance("STERET", "STREET")).toBe(1);
    expect(editDistance("ROGLYN", "ROSSLYN")).toBe(2);
    expect(editDistance("", "OAK")).toBe(3);
    expect(editDistance("KITTEN", "SITTING")).toBe(3);
  });

  it("gives up past the limit and says so with limit + 1", () => {
    expect(editDistance("ABCDEFGH", "ZYXWVUTS", 2)).toBe(3);
    expect(editDistance("OAK", "OAKWOODFIELD", 2)).toBe(3);
    expect(editDistance("ROGLYN", "ROSSLYN", 2)).toBe(2);
  });

  it("allows no edits below 4 characters, one for 4 to 6 and two from 7, by the longer word", () => {
    expect(editLimit("OAK", "OAT")).toBe(0);
    expect(editLimit("ROAD", "READ")).toBe(1);
    expect(editLimit("SREET", "STREET")).toBe(1);
    expect(editLimit("ROGLYN", "ROSSLYN")).toBe(2);
  });

  it("keys words by their Double Metaphone primary code", () => {
    expect(phoneticKey("SANDRINGAM")).toBe(phoneticKey("SANDRINGHAM"));
    expect(phoneticKey("KRESENT")).toBe(phoneticKey("CRESCENT"));
    expect(phoneticKey("ROGLYN")).not.toBe(phoneticKey("ROSSLYN"));
    expect(isUsefulPhoneticKey(phoneticKey("ROW"))).toBe(false);
    expect(isUsefulPhoneticKey(phoneticKey("THORNLEY"))).toBe(true);
  });
});
