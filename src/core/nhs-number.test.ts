import { describe, expect, it } from "vitest";
import { formatNhsNumber, isValidNhsNumber, nhsNumberCheckDigit } from "./nhs-number.js";

// Vectors from test-data.md §1.1.
const firstValidTestRangeNumbers = [
  "9990000018",
  "9990000026",
  "9990000034",
  "9990000042",
  "9990000050",
  "9990000069",
  "9990000077",
  "9990000085",
  "9990000093",
  "9990000107",
];

describe("nhsNumberCheckDigit", () => {
  it("computes the worked example's check digit (943 476 591 → 9)", () => {
    expect(nhsNumberCheckDigit("943476591")).toBe(9);
  });

  it("gives 0 when eleven minus the remainder is 11 (999 000 005: sum 253 = 23 × 11)", () => {
    expect(nhsNumberCheckDigit("999000005")).toBe(0);
  });

  it("returns undefined when the remainder rule gives 10 (no valid number starts 999123456)", () => {
    expect(nhsNumberCheckDigit("999123456")).toBeUndefined();
  });

  it("reproduces the first ten valid numbers of the test range", () => {
    const found: string[] = [];
    for (let n = 999000000; found.length < 10; n++) {
      const prefix = String(n);
      const check = nhsNumberCheckDigit(prefix);
      if (check !== undefined) found.push(prefix + String(check));
    }
    expect(found).toEqual(firstValidTestRangeNumbers);
  });

  it("rejects input that is not nine digits", () => {
    expect(() => nhsNumberCheckDigit("94347659")).toThrow(RangeError);
    expect(() => nhsNumberCheckDigit("94347659X")).toThrow(RangeError);
    expect(() => nhsNumberCheckDigit("9434765919")).toThrow(RangeError);
  });
});

describe("isValidNhsNumber", () => {
  it("accepts the worked example 9434765919", () => {
    expect(isValidNhsNumber("9434765919")).toBe(true);
  });

  it.each(firstValidTestRangeNumbers)("accepts the test-range number %s", (n) => {
    expect(isValidNhsNumber(n)).toBe(true);
  });

  it("rejects 9876544321, whose check digit should be 2", () => {
    expect(isValidNhsNumber("9876544321")).toBe(false);
    expect(isValidNhsNumber("9876544322")).toBe(true);
  });

  it("rejects 9991234560, which no check digit can make valid", () => {
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`999123456${d}`)).toBe(false);
  });

  it("rejects a valid number with one digit changed", () => {
    expect(isValidNhsNumber("9434765918")).toBe(false);
    expect(isValidNhsNumber("9434765929")).toBe(false);
    expect(isValidNhsNumber("8434765919")).toBe(false);
  });

  it("rejects wrong lengths, separators and non-digits", () => {
    for (const s of [
      "",
      "943476591",
      "94347659190",
      "943 476 5919",
      "943-476-5919",
      "94347659l9",
      " 9434765919",
    ]) {
      expect(isValidNhsNumber(s)).toBe(false);
    }
  });
});

describe("formatNhsNumber", () => {
  it("writes ten digits as 3 3 4", () => {
    expect(formatNhsNumber("9434765919")).toBe("943 476 5919");
  });

  it("normalises existing whitespace", () => {
    expect(formatNhsNumber(" 943 4765 919 ")).toBe("943 476 5919");
  });

  it("returns anything that is not ten digits unchanged", () => {
    expect(formatNhsNumber("94347659")).toBe("94347659");
    expect(formatNhsNumber("not a number")).toBe("not a number");
  });
});
