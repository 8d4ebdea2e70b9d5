import { describe, expect, it } from "vitest";
import { parsePostcode } from "./postcode.js";

describe("postcode parsing", () => {
  it.each(["ls1 4ap", "LS14AP", " LS1  4AP ", "Ls1 4aP", "LS1\t4AP"])("reads %j as LS1 4AP", (input) => {
    expect(parsePostcode(input)).toEqual({
      kind: "valid",
      postcode: "LS1 4AP",
      compact: "LS14AP",
      outcode: "LS1",
      incode: "4AP",
      corrected: false,
    });
  });

  it.each([
    ["M1 1AE", "M1", "1AE"],
    ["B33 8TH", "B33", "8TH"],
    ["W1T 1AA", "W1T", "1AA"],
    ["CR2 6XH", "CR2", "6XH"],
    ["DN55 1PT", "DN55", "1PT"],
    ["EC1A 1BB", "EC1A", "1BB"],
  ])("accepts the %s shape", (input, outcode, incode) => {
    expect(parsePostcode(input)).toMatchObject({ kind: "valid", outcode, incode });
  });

  it("refuses inward codes with letters PAF never uses there (C, I, K, M, O, V)", () => {
    for (const input of ["LS1 4AC", "LS1 4IA", "LS1 4KA", "LS1 4MA", "LS1 4VA"]) {
      expect(parsePostcode(input).kind, input).toBe("unparseable");
    }
  });

  it.each([
    ["SW1A OAA", "SW1A 0AA"],
    ["LSI7 8DB", "LS17 8DB"],
    ["LSl7 8DB", "LS17 8DB"],
    ["5W1A 1AA", "SW1A 1AA"],
    ["L512 7DN", "LS12 7DN"],
    ["LS17 8D8", undefined],
  ])("corrects misread characters by position: %s", (input, expected) => {
    const parsed = parsePostcode(input);
    if (expected === undefined) expect(parsed.kind).toBe("unparseable");
    else expect(parsed).toMatchObject({ kind: "valid", postcode: expected, corrected: true });
  });

  it("reads an outward code alone as a partial postcode", () => {
    expect(parsePostcode("ls17")).toEqual({ kind: "outward", outcode: "LS17" });
  });

  it("reads ? as exactly one character and keeps whichever half is literal for the index", () => {
    expect(parsePostcode("L?2 7DN")).toEqual({
      kind: "pattern",
      glob: "L?27DN",
      outcode: undefined,
      incode: "7DN",
    });
    expect(parsePostcode("ls17 8?b")).toEqual({
      kind: "pattern",
      glob: "LS178?B",
      outcode: "LS17",
      incode: undefined,
    });
    expect(parsePostcode("L?2").kind).toBe("unparseable");
  });

  it("never matches a * in a postcode, and treats blanks and rubbish as absent or unparseable", () => {
    expect(parsePostcode("LS17 8D*")).toEqual({ kind: "never" });
    expect(parsePostcode("   ")).toEqual({ kind: "absent" });
    expect(parsePostcode("not a postcode").kind).toBe("unparseable");
  });
});
