import { describe, expect, it } from "vitest";
import { loadText } from "../../../test/messaging/fixtures.js";
import { readHl7Wrapper } from "./hl7.js";
import { buildSyncServiceRequest, buildSyncServiceResponse, parseSyncServiceRequest } from "./soap-wsa.js";
import { NS, attributeValue, childElement, parseXml, textContent } from "./xml.js";

const request = loadText("sync-service-request.xml");

/** The fixture with one header element replaced (or removed, with ""). */
function withHeader(pattern: RegExp, replacement: string): string {
  const changed = request.replace(pattern, replacement);
  if (changed === request) throw new Error(`the fixture has no ${String(pattern)}`);
  return changed;
}

describe("parseSyncServiceRequest", () => {
  it("reads the WS-Addressing header, the ASIDs and the HL7 payload", () => {
    const { request: parsed, problems } = parseSyncServiceRequest(request);
    expect(problems).toEqual([]);
    expect(parsed).toMatchObject({
      messageId: "uuid:2F6A8C0E-4B1D-4E3F-A5C7-9E1B3D5F7A2C",
      action: "urn:nhs:names:services:pdsquery/QUPA_IN040000UK32",
      to: "urn:nhs:names:services:pdsquery",
      fromAddress: "",
      replyToAddress: "",
      receiverAsid: "928942012545",
      senderAsid: "918999199111",
    });
    expect(parsed.payload?.localName).toBe("QUPA_IN040000UK32");
    expect(parsed.payload?.namespace).toBe(NS.hl7);
  });

  it.each([
    [
      "a missing wsa:MessageID",
      /<wsa:MessageID>[^<]*<\/wsa:MessageID>/,
      "",
      "WS-ADDR-001",
      "wsa:MessageID is missing; send uuid: followed by a UUID",
    ],
    [
      "a wsa:MessageID without uuid:",
      /uuid:2F6A8C0E/,
      "2F6A8C0E",
      "WS-ADDR-001",
      'wsa:MessageID "2F6A8C0E-4B1D-4E3F-A5C7-9E1B3D5F7A2C" is 36 characters; Spine requires uuid: + a 36-character UUID (41)',
    ],
    [
      "a second wsa:Action",
      /<wsa:To>/,
      "<wsa:Action>x</wsa:Action><wsa:To>",
      "WS-ADDR-002",
      "wsa:Action appears 2 times; exactly one is required",
    ],
    [
      "an empty wsa:To",
      /<wsa:To>[^<]*<\/wsa:To>/,
      "<wsa:To> </wsa:To>",
      "WS-ADDR-003",
      "wsa:To is empty; send the service URN or URL",
    ],
    [
      "a missing wsa:To",
      /<wsa:To>[^<]*<\/wsa:To>/,
      "",
      "WS-ADDR-003",
      "wsa:To appears 0 times; exactly one is required",
    ],
    [
      "a missing communicationFunctionRcv",
      /<hl7:communicationFunctionRcv>[\s\S]*?<\/hl7:communicationFunctionRcv>/,
      "",
      "WS-ADDR-004",
      "hl7:communicationFunctionRcv/hl7:device/hl7:id with root 1.2.826.0.1285.0.2.0.107 is missing",
    ],
    [
      "a sender id under another root",
      /root="1.2.826.0.1285.0.2.0.107" extension="918999199111"\/>\n\t\t\t<\/hl7:device>\n\t\t<\/hl7:communicationFunctionSnd>/,
      'root="2.16.840.1.113883.2.1.3.2.4.10" extension="918999199111"/>\n\t\t\t</hl7:device>\n\t\t</hl7:communicationFunctionSnd>',
      "WS-ADDR-005",
      "hl7:communicationFunctionSnd/hl7:device/hl7:id with root 1.2.826.0.1285.0.2.0.107 is missing",
    ],
    [
      "an empty sender ASID",
      /extension="918999199111"\/>\n\t\t\t<\/hl7:device>\n\t\t<\/hl7:communicationFunctionSnd>/,
      'extension=""/>\n\t\t\t</hl7:device>\n\t\t</hl7:communicationFunctionSnd>',
      "WS-ADDR-005",
      "hl7:communicationFunctionSnd/hl7:device/hl7:id has an empty extension; it must carry the ASID",
    ],
  ])("reports %s", (_name, pattern, replacement, ruleId, message) => {
    expect(parseSyncServiceRequest(withHeader(pattern, replacement)).problems).toEqual([
      expect.objectContaining({ ruleId, message }),
    ]);
  });

  it("puts the location Spine names in the fault on each problem", () => {
    const xml = withHeader(/<wsa:MessageID>[^<]*<\/wsa:MessageID>/, "");
    expect(parseSyncServiceRequest(xml).problems[0]?.location).toBe("SOAP:Header/wsa:MessageID");
  });

  it("throws when the body is not a SOAP 1.1 envelope", () => {
    expect(() => parseSyncServiceRequest("<QUPA_IN040000UK32/>")).toThrow(/SOAP-002/);
  });
});

describe("buildSyncServiceResponse", () => {
  const { request: parsed } = parseSyncServiceRequest(request);
  const body = `<?xml version="1.0"?><retrievalQueryResponse><QUPA_IN050000UK32><id root="R1"/><interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="QUPA_IN050000UK32"/></QUPA_IN050000UK32></retrievalQueryResponse>`;
  const xml = buildSyncServiceResponse(parsed, {
    messageId: "9D8C7B6A-5F4E-4D3C-8B2A-1F0E9D8C7B6A",
    action: "urn:nhs:names:services:pdsquery/QUPA_IN050000UK32",
    fromAddress: "urn:nhs:names:services:pdsquery",
    spineAsid: "928942012545",
    body,
  });
  const envelope = parseXml(xml);
  const header = childElement(envelope, NS.soap, "Header");
  const wsa = (name: string): string | undefined => {
    const element = header === undefined ? undefined : childElement(header, NS.wsa, name);
    return element === undefined ? undefined : textContent(element);
  };
  const asid = (name: string): string | undefined => {
    const device =
      header === undefined
        ? undefined
        : childElement(childElement(header, NS.hl7, name) ?? header, NS.hl7, "device");
    const id = device === undefined ? undefined : childElement(device, NS.hl7, "id");
    return id === undefined ? undefined : attributeValue(id, "", "extension");
  };

  it("relates the response to the request and swaps the ASIDs", () => {
    expect(wsa("MessageID")).toBe("uuid:9D8C7B6A-5F4E-4D3C-8B2A-1F0E9D8C7B6A");
    expect(wsa("RelatesTo")).toBe("uuid:2F6A8C0E-4B1D-4E3F-A5C7-9E1B3D5F7A2C");
    expect(wsa("Action")).toBe("urn:nhs:names:services:pdsquery/QUPA_IN050000UK32");
    expect(wsa("To")).toBe("");
    expect(asid("communicationFunctionRcv")).toBe("918999199111");
    expect(asid("communicationFunctionSnd")).toBe("928942012545");
  });

  it("puts the caller's body in the Body, in the HL7 default namespace, without its XML declaration", () => {
    const wrapper = childElement(envelope, NS.soap, "Body")?.children[0];
    expect(wrapper?.localName).toBe("retrievalQueryResponse");
    expect(wrapper?.namespace).toBe(NS.hl7);
    expect(xml).not.toContain('<?xml version="1.0"?>');
    expect(wrapper === undefined ? undefined : readHl7Wrapper(wrapper).element.localName).toBe(
      "QUPA_IN050000UK32",
    );
  });
});

describe("buildSyncServiceRequest", () => {
  it("builds what parseSyncServiceRequest reads back", () => {
    const built = buildSyncServiceRequest({
      messageId: "11111111-2222-4333-8444-555555555555",
      action: "urn:nhs:names:services:pdsquery/QUPA_IN040000UK32",
      to: "https://msg.int.spine2.ncrs.nhs.uk/sync-service",
      receiverAsid: "928942012545",
      senderAsid: "200000000359",
      body: "<QUPA_IN040000UK32 xmlns='urn:hl7-org:v3'/>",
    });
    const { request: parsed, problems } = parseSyncServiceRequest(built);
    expect(problems).toEqual([]);
    expect(parsed).toMatchObject({
      messageId: "uuid:11111111-2222-4333-8444-555555555555",
      to: "https://msg.int.spine2.ncrs.nhs.uk/sync-service",
      receiverAsid: "928942012545",
      senderAsid: "200000000359",
    });
    expect(parsed.payload?.localName).toBe("QUPA_IN040000UK32");
  });
});
