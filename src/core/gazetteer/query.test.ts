import { describe, expect, it } from "vitest";
import { rejection, validateRequest, type AddressListRequest, type Diagnostic } from "./query.js";

const request = (overrides: Partial<AddressListRequest> = {}): AddressListRequest => ({
  messageId: "6e6bf479f2775defa378beea704051a4",
  address1: "",
  address2: "",
  address3: "",
  town: "",
  county: "",
  postcode: "LS17 8DB",
  country: "",
  maxno: undefined,
  ...overrides,
});

const codes = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.map((d) => `${d.ruleId} ${d.code}`);

describe("GetAddressList request rules", () => {
  it("accepts a postcode alone and defaults maxno to 9", () => {
    const { query, diagnostics } = validateRequest(request());
    expect(diagnostics).toEqual([]);
    expect(query).toEqual({ addressLines: [], town: "", county: "", postcode: "LS17 8DB", maxno: 9 });
  });

  it.each([
    ["1", 1],
    ["9", 9],
    ["99", 99],
    ["100", 99],
    ["5000", 99],
    ["+7", 7],
    ["", 9],
  ])("reads maxno %j as %i (G5: above 99 is capped silently, empty means absent)", (maxno, expected) => {
    const { query, diagnostics } = validateRequest(request({ maxno }));
    expect(diagnostics).toEqual([]);
    expect(query.maxno).toBe(expected);
  });

  it.each(["0", "-1", "-20"])("answers maxno %j with GSB004 (GAZ-006)", (maxno) => {
    expect(codes(validateRequest(request({ maxno })).diagnostics)).toEqual(["GAZ-006 GSB004"]);
  });

  it.each(["2.5", "ten", "1e2", "9 9"])(
    "answers a maxno that is not a whole number (%j) with GSA002",
    (maxno) => {
      const [diagnostic] = validateRequest(request({ maxno })).diagnostics;
      expect(diagnostic).toMatchObject({
        ruleId: "GAZ-006",
        code: "GSA002",
        xpath: "nasp:maxno",
        found: JSON.stringify(maxno),
      });
    },
  );

  it("answers an empty messageId with GSB006 (GAZ-004)", () => {
    expect(codes(validateRequest(request({ messageId: "" })).diagnostics)).toEqual(["GAZ-004 GSB006"]);
  });

  it.each(["", "GBR", "gb", "UK", "United Kingdom", "england", "WALES", "Scotland", "NORTHERN  IRELAND"])(
    "accepts country %j as UK",
    (country) => {
      expect(validateRequest(request({ country })).diagnostics).toEqual([]);
    },
  );

  it.each(["FRA", "IRELAND", "USA", "Deutschland"])("answers country %j with GSB005 (GAZ-009)", (country) => {
    expect(codes(validateRequest(request({ country })).diagnostics)).toEqual(["GAZ-009 GSB005"]);
  });

  it("answers a request with every search element empty with GSA001 only (GAZ-007)", () => {
    expect(codes(validateRequest(request({ postcode: "" })).diagnostics)).toEqual(["GAZ-007 GSA001"]);
  });

  it("wants a postcode, or address1 and town, else GSB003 (GAZ-008)", () => {
    expect(
      codes(validateRequest(request({ postcode: "", address1: "1 Sandringham Crescent" })).diagnostics),
    ).toEqual(["GAZ-008 GSB003"]);
    expect(codes(validateRequest(request({ postcode: "", town: "LEEDS" })).diagnostics)).toEqual([
      "GAZ-008 GSB003",
    ]);
    expect(
      codes(
        validateRequest(request({ postcode: "", address2: "Sandringham Crescent", county: "West Yorkshire" }))
          .diagnostics,
      ),
    ).toEqual(["GAZ-008 GSB003"]);
    expect(
      validateRequest(request({ postcode: "", address1: "1 Sandringham Crescent", town: "LEEDS" }))
        .diagnostics,
    ).toEqual([]);
  });

  it("lets the profile decide: strict and lenient reject on the first finding, report-only never", () => {
    const { diagnostics } = validateRequest(request({ messageId: "", maxno: "0", country: "FRA" }));
    expect(codes(diagnostics)).toEqual(["GAZ-004 GSB006", "GAZ-006 GSB004", "GAZ-009 GSB005"]);
    expect(rejection(diagnostics, "lenient")?.code).toBe("GSB006");
    expect(rejection(diagnostics, "strict")?.code).toBe("GSB006");
    expect(rejection(diagnostics, "report-only")).toBeUndefined();
    const strictOnly: Diagnostic = {
      ruleId: "GAZ-005",
      severity: "error",
      xpath: "x",
      expected: "",
      found: "",
      code: "GSA002",
      profile: "strict",
    };
    expect(rejection([strictOnly], "lenient")).toBeUndefined();
    expect(rejection([strictOnly], "strict")).toBe(strictOnly);
  });

  it("searches with best-effort values when report-only lets a bad maxno through", () => {
    expect(validateRequest(request({ maxno: "0" })).query.maxno).toBe(1);
    expect(validateRequest(request({ maxno: "lots" })).query.maxno).toBe(9);
  });
});
