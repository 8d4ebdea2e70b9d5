import { describe, expect, it } from "vitest";
import { parseDurationMs } from "./duration.js";

describe("parseDurationMs", () => {
  it("reads the durations SDS contracts use", () => {
    expect(parseDurationMs("PT1M")).toBe(60_000);
    expect(parseDurationMs("PT5M")).toBe(300_000);
    expect(parseDurationMs("PT2H")).toBe(7_200_000);
    expect(parseDurationMs("PT4H10M")).toBe(15_000_000);
    expect(parseDurationMs("PT61S")).toBe(61_000);
    expect(parseDurationMs("PT0.5S")).toBe(500);
    expect(parseDurationMs("P1D")).toBe(86_400_000);
    expect(parseDurationMs("P1DT1H")).toBe(90_000_000);
  });

  it("refuses what is not a fixed-length duration", () => {
    for (const bad of ["", "P", "PT", "1M", "PT1", "P1M", "P1Y", "PT-1S", "PTM"])
      expect(parseDurationMs(bad), bad).toBeUndefined();
  });
});
