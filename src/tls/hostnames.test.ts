import { describe, expect, it } from "vitest";
import { parseSubjectName, partitionNames } from "./hostnames.js";

describe("parseSubjectName", () => {
  it.each([
    ["msg.int.spine2.ncrs.nhs.uk", { kind: "dns", name: "msg.int.spine2.ncrs.nhs.uk" }],
    ["  MHS.Example.NHS.uk. ", { kind: "dns", name: "mhs.example.nhs.uk" }],
    ["localhost", { kind: "dns", name: "localhost" }],
    ["127.0.0.1", { kind: "ip", address: "127.0.0.1" }],
    ["::1", { kind: "ip", address: "::1" }],
  ])("accepts %j", (input, expected) => {
    expect(parseSubjectName(input)).toEqual(expected);
  });

  it.each([
    "",
    "a/b",
    "../x",
    "-a.example",
    "a-.example",
    "a..b",
    "x".repeat(64) + ".example",
    "*.example",
    "*",
  ])("rejects %j", (input) => {
    expect(parseSubjectName(input)).toBeUndefined();
  });

  it("accepts a leading wildcard label only when asked to", () => {
    expect(parseSubjectName("*.spine.test", { allowWildcard: true })).toEqual({
      kind: "dns",
      name: "*.spine.test",
    });
    expect(parseSubjectName("a.*.spine.test", { allowWildcard: true })).toBeUndefined();
    expect(parseSubjectName("*", { allowWildcard: true })).toBeUndefined();
  });
});

describe("partitionNames", () => {
  it("splits DNS names from IP addresses and drops duplicates", () => {
    const names = ["a.example", "127.0.0.1", "a.example", "::1"].map((value) => parseSubjectName(value));
    expect(partitionNames(names.filter((name) => name !== undefined))).toEqual({
      dnsNames: ["a.example"],
      ipAddresses: ["127.0.0.1", "::1"],
    });
  });
});
