import { describe, expect, it } from "vitest";
import { loadMessage, loadText } from "../../../test/messaging/fixtures.js";
import { readHl7Wrapper, unwrap } from "./hl7.js";
import { buildApplicationAcknowledgement, formatHl7Timestamp, HL7_ACK_CODE_SYSTEM } from "./mcci.js";
import { decodePartText, parseMultipartRelated } from "./mime.js";
import { parseSyncServiceRequest } from "./soap-wsa.js";
import { isWireError } from "./wire-problem.js";
import { parseXml } from "./xml.js";

function payloadOf(fixture: string): string {
  const { contentType, body } = loadMessage(fixture);
  const part = parseMultipartRelated(body, contentType).parts[1];
  if (part === undefined) throw new Error(`${fixture} has no payload part`);
  return decodePartText(part, "HL7 payload");
}

describe("readHl7Wrapper", () => {
  it("reads the transmission wrapper, ControlActEvent authors and the NHS number of a PSIS update", () => {
    const wrapper = readHl7Wrapper(payloadOf("reliable-request-lf.msg"));
    expect(wrapper).toMatchObject({
      elementName: "REPC_IN150016UK05",
      interactionId: "REPC_IN150016UK05",
      interactionIdRoot: "2.16.840.1.113883.2.1.3.2.4.12",
      messageId: "C0F1E2D3-A4B5-4C6D-8E7F-0A1B2C3D4E5F",
      creationTime: "20240314092653",
      versionCode: "V3NPfIT3.0",
      processingCode: "P",
      processingModeCode: "T",
      acceptAckCode: "NE",
      receiverAsid: "227319907548",
      senderAsid: "918999199111",
      authorAsid: "918999199111",
      authorUserId: "200000000100",
      authorRoleProfileId: "100000000103",
      nhsNumber: "9446245796",
    });
    expect(wrapper.messageIdExtension).toBeUndefined();
    expect(wrapper.controlActEvent?.localName).toBe("ControlActEvent");
    expect(wrapper.acknowledgement).toBeUndefined();
  });

  it("reads hl7:-prefixed payloads and the NHS number of a PDS update subject", () => {
    const wrapper = readHl7Wrapper(payloadOf("reliable-request-unquoted.msg"));
    expect(wrapper).toMatchObject({
      interactionId: "PRPA_IN000203UK03",
      receiverAsid: "928942012545",
      senderAsid: "200000000359",
      nhsNumber: "9690937278",
    });
    expect(wrapper.authorUserId).toBeUndefined();
  });

  it("reads the NHS number of a query from the SOAP Body of a sync request", () => {
    const { request } = parseSyncServiceRequest(loadText("sync-service-request.xml"));
    if (request.payload === undefined) throw new Error("no payload");
    expect(readHl7Wrapper(request.payload)).toMatchObject({
      interactionId: "QUPA_IN040000UK32",
      messageId: "7C9E1A3B-5D2F-4A6C-8E0B-1D3F5A7C9E2B",
      receiverAsid: "928942012545",
      senderAsid: "918999199111",
      nhsNumber: "9446245796",
    });
  });

  it("is tolerant: an element with nothing in it yields only its name", () => {
    const wrapper = readHl7Wrapper(
      `<QUPA_IN040000UK32 xmlns="urn:hl7-org:v3"><communicationFunctionRcv/></QUPA_IN040000UK32>`,
    );
    expect(Object.keys(wrapper).sort()).toEqual(["element", "elementName"]);
  });

  it("ignores device ids under other roots and NHS numbers outside ControlActEvent", () => {
    const wrapper = readHl7Wrapper(
      `<X xmlns="urn:hl7-org:v3"><id root="2.16.840.1.113883.2.1.4.1" extension="9446245796"/>` +
        `<communicationFunctionSnd><device><id root="2.16.840.1.113883.2.1.3.2.4.10" extension="1"/></device></communicationFunctionSnd>` +
        `<ControlActEvent><subject><patient><id root="2.16.840.1.113883.2.1.4.1" extension=" "/></patient></subject></ControlActEvent></X>`,
    );
    expect(wrapper.senderAsid).toBeUndefined();
    expect(wrapper.nhsNumber).toBeUndefined();
  });

  it("reports a malformed payload as SOAP-001 at the location given", () => {
    try {
      readHl7Wrapper("<REPC_IN150016UK05><id></REPC_IN150016UK05>");
      expect.unreachable();
    } catch (error) {
      expect(isWireError(error) && error.problems[0]).toMatchObject({
        ruleId: "SOAP-001",
        location: "HL7 payload",
      });
    }
  });

  it("unwraps one service wrapper but not an element without an interaction id", () => {
    const wrapped = parseXml(
      `<retrievalQueryResponse xmlns="urn:hl7-org:v3"><QUPA_IN050000UK32><interactionId extension="QUPA_IN050000UK32"/></QUPA_IN050000UK32></retrievalQueryResponse>`,
    );
    expect(unwrap(wrapped).localName).toBe("QUPA_IN050000UK32");
    const bare = parseXml(`<a xmlns="urn:hl7-org:v3"><b/></a>`);
    expect(unwrap(bare).localName).toBe("a");
  });
});

describe("formatHl7Timestamp", () => {
  it("writes UK local time: GMT in winter, BST in summer", () => {
    expect(formatHl7Timestamp(new Date("2024-01-15T12:34:56Z"))).toBe("20240115123456");
    expect(formatHl7Timestamp(new Date("2024-07-01T23:30:00Z"))).toBe("20240702003000");
  });
});

describe("buildApplicationAcknowledgement", () => {
  const base = {
    messageId: "6B4D2F0A-8E6C-4A2B-9F7D-5C3A1E9B7D5F",
    creationTime: new Date("2024-03-14T09:27:00Z"),
    acknowledgedMessageId: "C0F1E2D3-A4B5-4C6D-8E7F-0A1B2C3D4E5F",
    receiverAsid: "918999199111",
    spineAsid: "227319907548",
  };

  it("writes an AA that our reader reads back, without details", () => {
    const xml = buildApplicationAcknowledgement({
      ...base,
      typeCode: "AA",
      successDetail: "GP Summary upload successful",
    });
    const wrapper = readHl7Wrapper(xml);
    expect(wrapper).toMatchObject({
      interactionId: "MCCI_IN010000UK13",
      messageId: base.messageId,
      creationTime: "20240314092700",
      versionCode: "V3NPfIT3.0",
      acceptAckCode: "NE",
      receiverAsid: "918999199111",
      senderAsid: "227319907548",
      authorAsid: "227319907548",
      acknowledgement: { typeCode: "AA", messageRef: base.acknowledgedMessageId, details: [] },
    });
    expect(xml).toContain(
      "<hl7:requestSuccessDetail><hl7:detail>GP Summary upload successful</hl7:detail></hl7:requestSuccessDetail>",
    );
  });

  it("writes an AR with 17.32 detail codes and domain issues", () => {
    const xml = buildApplicationAcknowledgement({
      ...base,
      typeCode: "AR",
      versionCode: "V3NPfIT4.2.00",
      details: [
        { code: "202", displayName: "Duplicate HL7 ID Error" },
        {
          code: "5",
          displayName: "Warning & note",
          typeCode: "WG",
          codeSystem: "2.16.840.1.113883.2.1.3.2.4.17.42",
        },
      ],
      issues: [
        {
          code: "1",
          codeSystem: "2.16.840.1.113883.2.1.3.2.4.17.42",
          displayName: "No match to a Service User record",
        },
      ],
    });
    expect(readHl7Wrapper(xml).acknowledgement).toEqual({
      typeCode: "AR",
      messageRef: base.acknowledgedMessageId,
      details: [
        {
          typeCode: "ER",
          code: "202",
          codeSystem: HL7_ACK_CODE_SYSTEM,
          displayName: "Duplicate HL7 ID Error",
        },
        {
          typeCode: "WG",
          code: "5",
          codeSystem: "2.16.840.1.113883.2.1.3.2.4.17.42",
          displayName: "Warning & note",
        },
      ],
    });
    expect(readHl7Wrapper(xml).versionCode).toBe("V3NPfIT4.2.00");
    expect(xml).toContain(
      '<hl7:code code="1" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.42" displayName="No match to a Service User record"><hl7:qualifier code="ER"/></hl7:code>',
    );
    // The detail comes before messageRef, as in Spine's generator.
    expect(xml.indexOf("acknowledgementDetail")).toBeLessThan(xml.indexOf("messageRef"));
  });
});
