import { describe, expect, it } from "vitest";
import { buildSoapAction, normaliseSoapAction, parseSoapAction } from "./soap-action.js";
import { isWireError, tmsErrorFor, WireError, wireErrorOf } from "./wire-problem.js";

const PDS = "urn:nhs:names:services:pdsquery/QUPA_IN040000UK32";

describe("normaliseSoapAction", () => {
  it.each([
    [PDS, PDS],
    [`"${PDS}"`, PDS],
    [`  "${PDS}"  `, PDS],
    [`'${PDS}'`, PDS],
    [`"urn:urn:nhs:names:services:pdsquery/QUPA_IN040000UK32"`, PDS],
    [
      "urn:urn:oasis:names:tc:ebxml-msg:service/Acknowledgment",
      "urn:oasis:names:tc:ebxml-msg:service/Acknowledgment",
    ],
    ['"', '"'],
    ['""', ""],
  ])("%s → %s", (raw, expected) => {
    expect(normaliseSoapAction(raw)).toBe(expected);
  });

  it("reduces only one doubled prefix", () => {
    expect(normaliseSoapAction("urn:urn:urn:x/y")).toBe("urn:urn:x/y");
  });
});

describe("parseSoapAction", () => {
  it("splits the service URN from the interaction at the last slash", () => {
    expect(parseSoapAction(`"${PDS}"`)).toEqual({
      raw: `"${PDS}"`,
      value: PDS,
      service: "urn:nhs:names:services:pdsquery",
      interaction: "QUPA_IN040000UK32",
    });
    expect(parseSoapAction(["urn:a/b/C", "urn:other/D"]).interaction).toBe("C");
    expect(parseSoapAction("no-slash")).toMatchObject({ service: "no-slash", interaction: "" });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["empty quotes", '""'],
    ["an empty list", []],
  ])("refuses a %s SOAPAction with HTTP-003 at HTTP Header - SOAPAction", (_name, header) => {
    try {
      parseSoapAction(header);
      expect.unreachable();
    } catch (error) {
      expect(isWireError(error)).toBe(true);
      if (isWireError(error)) {
        expect(error.problems).toEqual([
          expect.objectContaining({ ruleId: "HTTP-003", location: "HTTP Header - SOAPAction" }),
        ]);
        expect(tmsErrorFor(error.problems[0])).toEqual({
          code: "101",
          location: "HTTP Header - SOAPAction",
          description: "The service/interaction is not supported for the requested URI",
        });
      }
    }
  });
});

describe("buildSoapAction", () => {
  it("writes service/action, with the urn:urn: quirk only when asked", () => {
    expect(buildSoapAction("urn:nhs:names:services:psis", "MCCI_IN010000UK13")).toBe(
      "urn:nhs:names:services:psis/MCCI_IN010000UK13",
    );
    expect(
      buildSoapAction("urn:oasis:names:tc:ebxml-msg:service", "Acknowledgment", { doubleUrnPrefix: true }),
    ).toBe("urn:urn:oasis:names:tc:ebxml-msg:service/Acknowledgment");
  });
});

describe("wire problems", () => {
  it("maps rules to Spine's TMS codes", () => {
    expect(tmsErrorFor({ ruleId: "HTTP-009", location: "HTTP Body", message: "big" })).toEqual({
      code: "9001",
      location: "HTTP Body",
      description: "Message size exceeds the permitted maximum",
    });
    expect(
      tmsErrorFor({ ruleId: "MIME-003", location: "MIME Content-Transfer-Encoding", message: "x" }),
    ).toEqual({
      code: "201",
      location: "MIME Content-Transfer-Encoding",
      description: "The message is not well formed",
    });
  });

  it("joins problems into the error message and lists their rule ids", () => {
    const error = wireErrorOf([
      { ruleId: "SOAP-003", location: "soapHeaderCount", message: "no header" },
      { ruleId: "SOAP-004", location: "soapBodyCount", message: "no body" },
    ]);
    expect(error).toBeInstanceOf(WireError);
    expect(error.ruleIds).toEqual(["SOAP-003", "SOAP-004"]);
    expect(error.message).toBe("SOAP-003 (soapHeaderCount): no header; SOAP-004 (soapBodyCount): no body");
    expect(() => wireErrorOf([])).toThrow(/at least one problem/);
  });
});
