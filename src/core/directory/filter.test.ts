import { describe, expect, it } from "vitest";
import { FilterSyntaxError, formatFilter, maxFilterDepth, parseFilter } from "./filter.js";
import { parseDn } from "./dn.js";
import { sdsSchema } from "./sds-schema.js";

describe("parseFilter", () => {
  it("reads the route look-up filter as the MHS adaptor writes it, spaces included", () => {
    expect(
      parseFilter("(&(nhsIDCode=A20047) (objectClass=nhsAs) (nhsAsSvcIA=urn:nhs:names:services:psis:X))"),
    ).toEqual({
      type: "and",
      filters: [
        { type: "equality", attribute: "nhsIDCode", value: "A20047" },
        { type: "equality", attribute: "objectClass", value: "nhsAs" },
        { type: "equality", attribute: "nhsAsSvcIA", value: "urn:nhs:names:services:psis:X" },
      ],
    });
  });

  it("reads presence, substrings, NOT, OR, ordering, approximate and extensible items", () => {
    expect(parseFilter("(o=*SECURITY*)")).toEqual({ type: "substrings", attribute: "o", any: ["SECURITY"] });
    expect(parseFilter("(cn=ab*c*d)")).toEqual({
      type: "substrings",
      attribute: "cn",
      initial: "ab",
      any: ["c"],
      final: "d",
    });
    expect(parseFilter("(!(uid=*))")).toEqual({ type: "not", filter: { type: "present", attribute: "uid" } });
    expect(parseFilter("(|(a>=1)(b<=2)(c~=3))")).toMatchObject({
      type: "or",
      filters: [{ type: "greaterOrEqual" }, { type: "lessOrEqual" }, { type: "approx" }],
    });
    expect(parseFilter("(cn:caseExactMatch:=Fred)")).toEqual({
      type: "extensible",
      attribute: "cn",
      rule: "caseExactMatch",
      value: "Fred",
      dnAttributes: false,
    });
  });

  it("unescapes RFC 4515 hex escapes and prints them back", () => {
    const filter = parseFilter("(cn=a\\2ab\\28\\29\\5c)");
    expect(filter).toEqual({ type: "equality", attribute: "cn", value: "a*b()\\" });
    expect(formatFilter(filter)).toBe("(cn=a\\2ab\\28\\29\\5c)");
  });

  it("accepts a filter without its outer parentheses, as ldapsearch does", () => {
    expect(parseFilter("uid=1")).toEqual({ type: "equality", attribute: "uid", value: "1" });
  });

  it("rejects malformed filters with the position of the problem", () => {
    for (const bad of ["", "(", "(uid=1", "(uid=1))", "(&(uid=1)", "(=x)", "(cn=\\zz)", "(a(b=1)"]) {
      expect(() => parseFilter(bad), bad).toThrow(FilterSyntaxError);
    }
    const deep = `${"(!".repeat(maxFilterDepth + 2)}(a=1)${")".repeat(maxFilterDepth + 2)}`;
    expect(() => parseFilter(deep)).toThrow(/nested deeper/);
  });
});

describe("DNs", () => {
  it("normalise case, spaces and attribute-type spelling to one key", () => {
    const keys = [
      "ou=services, o=nhs",
      "OU=SERVICES,O=NHS",
      " ou = Services ,o=nhs",
      "2.5.4.11=services,o=nhs",
    ].map((dn) => sdsSchema.normalizeDn(dn));
    expect(new Set(keys)).toEqual(new Set(["ou=services,o=nhs"]));
  });

  it("parse escapes, hex pairs and multi-valued RDNs, and reject junk", () => {
    expect(parseDn("cn=a\\,b+uid=1,o=x")).toEqual([
      [
        { type: "cn", value: "a,b" },
        { type: "uid", value: "1" },
      ],
      [{ type: "o", value: "x" }],
    ]);
    expect(parseDn("cn=caf\\c3\\a9")).toEqual([[{ type: "cn", value: "café" }]]);
    expect(parseDn("")).toEqual([]);
    for (const bad of ["foo", "cn=a,", "=a", "cn=a=b", "cn=a\\"]) expect(parseDn(bad), bad).toBeUndefined();
  });
});
