import { describe, expect, it } from "vitest";
import { loadMessage } from "../../../test/messaging/fixtures.js";
import { contentIdOfHref, parseEbxmlEnvelope, type EbxmlHeader } from "./ebxml.js";
import { parseMultipartRelated } from "./mime.js";
import { isWireError, type WireRuleId } from "./wire-problem.js";
import { NS } from "./xml.js";

const SOAP = NS.soap;
const EB = NS.eb;
const PARTY_TYPE = "urn:nhs:names:partyType:ocs+serviceInstance";

function rootOf(fixture: string): string {
  const { contentType, body } = loadMessage(fixture);
  return parseMultipartRelated(body, contentType).rootText;
}

/** A header with every required element; `replace` swaps one element's XML for another. */
function envelope(replace: Record<string, string> = {}): string {
  const element = (name: string, xml: string): string => replace[name] ?? xml;
  return `<SOAP:Envelope xmlns:SOAP="${SOAP}" xmlns:eb="${EB}">
  <SOAP:Header>
    ${element(
      "MessageHeader",
      `<eb:MessageHeader eb:version="2.0">
      ${element("From", `<eb:From><eb:PartyId eb:type="${PARTY_TYPE}">A91424-9199121</eb:PartyId></eb:From>`)}
      ${element("To", `<eb:To><eb:PartyId eb:type="${PARTY_TYPE}">YES-0000806</eb:PartyId></eb:To>`)}
      ${element("CPAId", `<eb:CPAId>S20001A000182</eb:CPAId>`)}
      ${element("ConversationId", `<eb:ConversationId>C1</eb:ConversationId>`)}
      ${element("Service", `<eb:Service>urn:nhs:names:services:psis</eb:Service>`)}
      ${element("Action", `<eb:Action>REPC_IN150016UK05</eb:Action>`)}
      ${element(
        "MessageData",
        `<eb:MessageData>
        ${element("MessageId", `<eb:MessageId>M1</eb:MessageId>`)}
        ${element("Timestamp", `<eb:Timestamp>2024-03-14T09:26:53Z</eb:Timestamp>`)}
      </eb:MessageData>`,
      )}
    </eb:MessageHeader>`,
    )}
  </SOAP:Header>
  ${element("Body", `<SOAP:Body/>`)}
</SOAP:Envelope>`;
}

function thrownRules(xml: string): WireRuleId[] {
  try {
    parseEbxmlEnvelope(xml);
  } catch (error) {
    if (isWireError(error)) return [...error.ruleIds];
    throw error;
  }
  return [];
}

describe("parseEbxmlEnvelope reads every header field and flag", () => {
  it("reads a reliable request", () => {
    const { header, problems } = parseEbxmlEnvelope(rootOf("reliable-request-lf.msg"));
    expect(problems).toEqual([]);
    expect(header).toEqual<EbxmlHeader>({
      fromPartyId: "A91424-9199121",
      fromPartyType: PARTY_TYPE,
      toPartyId: "YES-0000806",
      toPartyType: PARTY_TYPE,
      cpaId: "S20001A000182",
      conversationId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      service: "urn:nhs:names:services:psis",
      action: "REPC_IN150016UK05",
      messageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      timestamp: "2024-03-14T09:26:53Z",
      messageHeaderVersion: "2.0",
      duplicateElimination: true,
      ackRequested: {
        version: "2.0",
        signed: "false",
        actor: "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH",
      },
      syncReply: true,
      syncReplyAttributes: { version: "2.0", actor: "http://schemas.xmlsoap.org/soap/actor/next" },
      manifestVersion: "2.0",
      manifest: [
        {
          href: "cid:7B1C4F0E-2D6A-4E8B-A3C5-91F0D2E4B6A8@spine.nhs.uk",
          contentId: "7B1C4F0E-2D6A-4E8B-A3C5-91F0D2E4B6A8@spine.nhs.uk",
          description: "HL7 payload",
          schema: { location: "http://www.nhsia.nhs.uk/schemas/HL7-Message.xsd", version: "1.0" },
          hl7Payload: { style: "HL7", encoding: "XML", version: "3.0" },
        },
      ],
    });
  });

  it("reads soap: and ns1: prefixes, a timestamp without Z and a manifest without Schema", () => {
    const { header, problems } = parseEbxmlEnvelope(rootOf("reliable-request-unquoted.msg"));
    expect(problems).toEqual([]);
    expect(header.fromPartyId).toBe("B82617-807062");
    expect(header.cpaId).toBe("S2001919A2011836");
    expect(header.action).toBe("PRPA_IN000203UK03");
    expect(header.messageId).toBe("9b2d6f40-1c3e-4a5b-8d7f-2e4a6c8b0d1f");
    expect(header.timestamp).toBe("2024-03-14T10:02:11");
    expect(header.ackRequested?.actor).toBe("urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH");
    expect(header.manifest).toEqual([
      {
        href: "cid:6d1e8a42-0f3b-4c7d-9e25-b8a4c6d2e0f1@spine.nhs.uk",
        contentId: "6d1e8a42-0f3b-4c7d-9e25-b8a4c6d2e0f1@spine.nhs.uk",
        description: "HL7 payload",
      },
    ]);
  });

  it("reads EMIS-style traffic: TimeToLive, nextMSH, no SyncReply, lower-case hl7ebxml, mid: references", () => {
    const { header } = parseEbxmlEnvelope(rootOf("attachment-base64-multibyte.msg"));
    expect(header.toPartyId).toBe("B86041-822103");
    expect(header.timestamp).toBe("2024-03-14T11:45:07.1234567Z");
    expect(header.timeToLive).toBe("2024-03-14T12:03:07.1234567Z");
    expect(header.ackRequested).toEqual({
      version: "2.0",
      signed: "false",
      actor: "urn:oasis:names:tc:ebxml-msg:actor:nextMSH",
    });
    expect(header.syncReply).toBe(false);
    expect(header.syncReplyAttributes).toBeUndefined();
    expect(header.manifest.map((r) => [r.contentId, r.hl7Payload?.style])).toEqual([
      ["Content1@e-mis.com/EMISWeb/GP2GP2.2A", "HL7"],
      ["Attachment1@e-mis.com/EMISWeb/GP2GP2.2A", undefined],
      [undefined, undefined],
    ]);
    expect(header.manifest[2]?.href).toBe("mid:0C2E4A6B-8D1F-4B3C-A5E7-9F1B3D5C7E9A");
  });

  it("reads an unreliable request without DuplicateElimination or AckRequested", () => {
    const { header } = parseEbxmlEnvelope(rootOf("preamble-epilogue.msg"));
    expect(header.action).toBe("QUPC_IN160101UK05");
    expect(header.duplicateElimination).toBe(false);
    expect(header.ackRequested).toBeUndefined();
    expect(header.syncReply).toBe(true);
    expect(header.refToMessageId).toBeUndefined();
  });

  it("reads an Acknowledgment and an ErrorList", () => {
    const ack = `<soap:Envelope xmlns:soap="${SOAP}" xmlns:eb="${EB}"><soap:Header>
      <eb:MessageHeader eb:version="2.0"><eb:From><eb:PartyId>X-1</eb:PartyId></eb:From><eb:To><eb:PartyId>YES-0000806</eb:PartyId></eb:To>
      <eb:CPAId>C</eb:CPAId><eb:ConversationId>V</eb:ConversationId><eb:Service>urn:oasis:names:tc:ebxml-msg:service</eb:Service>
      <eb:Action>Acknowledgment</eb:Action><eb:MessageData><eb:MessageId>A</eb:MessageId><eb:Timestamp>T</eb:Timestamp>
      <eb:RefToMessageId>R</eb:RefToMessageId></eb:MessageData></eb:MessageHeader>
      <eb:Acknowledgment eb:version="2.0" soap:actor="urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH">
        <eb:Timestamp>2012-03-15T06:51:08</eb:Timestamp><eb:RefToMessageId>R</eb:RefToMessageId>
        <eb:From><eb:PartyId>X-1</eb:PartyId></eb:From></eb:Acknowledgment>
      <eb:ErrorList eb:highestSeverity="Error"><eb:Error eb:errorCode="ValueNotRecognized" eb:severity="Error" eb:location="x">
        <eb:Description xml:lang="en-GB">501314:Invalid To Party Type attribute</eb:Description></eb:Error>
        <eb:Error eb:errorCode="200"/></eb:ErrorList>
      </soap:Header><soap:Body/></soap:Envelope>`;
    const { header, problems } = parseEbxmlEnvelope(ack);
    expect(problems).toEqual([]);
    expect(header.refToMessageId).toBe("R");
    expect(header.fromPartyType).toBeUndefined();
    expect(header.acknowledgment).toEqual({
      version: "2.0",
      actor: "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH",
      timestamp: "2012-03-15T06:51:08",
      refToMessageId: "R",
      fromPartyId: "X-1",
    });
    expect(header.errorList).toEqual({
      highestSeverity: "Error",
      errors: [
        {
          errorCode: "ValueNotRecognized",
          severity: "Error",
          location: "x",
          description: "501314:Invalid To Party Type attribute",
          descriptionCode: "501314",
        },
        { errorCode: "200" },
      ],
    });
  });
});

describe("parseEbxmlEnvelope reports header problems with their rule and location", () => {
  it("accepts the complete test envelope", () => {
    expect(parseEbxmlEnvelope(envelope()).problems).toEqual([]);
  });

  it.each([
    ["From", "", "EBXML-HDR-002", "ebXMLSchema.fromPartyId"],
    ["To", `<eb:To><eb:PartyId> </eb:PartyId></eb:To>`, "EBXML-HDR-003", "ebXMLSchema.toPartyId"],
    ["CPAId", "", "EBXML-HDR-004", "ebXMLSchema.cpaId"],
    ["ConversationId", "<eb:ConversationId/>", "EBXML-HDR-005", "ebXMLSchema.conversationId"],
    ["Service", "", "EBXML-HDR-006", "ebXMLSchema.service"],
    ["Action", "<eb:Action>A</eb:Action><eb:Action>B</eb:Action>", "EBXML-HDR-007", "ebXMLSchema.action"],
    ["MessageId", "", "EBXML-HDR-009", "ebXMLSchema.messageId"],
    ["Timestamp", "<eb:Timestamp></eb:Timestamp>", "EBXML-HDR-010", "ebXMLSchema.timestamp"],
  ])("a missing, empty or repeated %s", (name, xml, ruleId, location) => {
    expect(parseEbxmlEnvelope(envelope({ [name]: xml })).problems).toEqual([
      expect.objectContaining({ ruleId, location }),
    ]);
  });

  it("a sender with two PartyIds", () => {
    const from = `<eb:From><eb:PartyId>A</eb:PartyId><eb:PartyId>B</eb:PartyId></eb:From>`;
    const { problems } = parseEbxmlEnvelope(envelope({ From: from }));
    expect(problems).toEqual([
      {
        ruleId: "EBXML-HDR-002",
        location: "ebXMLSchema.fromPartyId",
        message: "eb:PartyId appears 2 times; exactly one non-empty element is required",
      },
    ]);
  });

  it("a missing MessageData reports it and the ids it should hold", () => {
    const rules = parseEbxmlEnvelope(envelope({ MessageData: "" })).problems.map((p) => p.ruleId);
    expect(rules).toEqual(["EBXML-HDR-008", "EBXML-HDR-009", "EBXML-HDR-010"]);
  });

  it("a missing MessageHeader is reported once, with empty fields", () => {
    const { header, problems } = parseEbxmlEnvelope(envelope({ MessageHeader: "" }));
    expect(problems.map((p) => p.ruleId)).toEqual(["EBXML-HDR-001"]);
    expect(header.messageId).toBe("");
    expect(header.duplicateElimination).toBe(false);
  });

  it("two MessageHeaders", () => {
    const twice = envelope().replace("</eb:MessageHeader>", "</eb:MessageHeader><eb:MessageHeader/>");
    expect(parseEbxmlEnvelope(twice).problems.map((p) => p.ruleId)).toEqual(["EBXML-HDR-001"]);
  });

  it("throws SOAP-level problems: no Header, no Body, not an Envelope, SOAP 1.2, malformed", () => {
    expect(thrownRules(envelope().replace(/<SOAP:Header>[\s\S]*<\/SOAP:Header>/, ""))).toEqual(["SOAP-003"]);
    expect(thrownRules(envelope({ Body: "" }))).toEqual(["SOAP-004"]);
    expect(thrownRules(`<SOAP:Envelope xmlns:SOAP="${SOAP}"/>`)).toEqual(["SOAP-003", "SOAP-004"]);
    expect(
      thrownRules(
        `<SOAP:Envelope xmlns:SOAP="${SOAP}"><SOAP:Header/><SOAP:Header/><SOAP:Body/></SOAP:Envelope>`,
      ),
    ).toEqual(["SOAP-003"]);
    expect(thrownRules(`<Envelope/>`)).toEqual(["SOAP-002"]);
    expect(thrownRules(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>`)).toEqual([
      "SOAP-002",
    ]);
    expect(thrownRules(envelope().replace("</SOAP:Header>", ""))).toEqual(["SOAP-001"]);
  });
});

describe("contentIdOfHref", () => {
  it("URL-decodes cid: references and ignores other schemes", () => {
    expect(contentIdOfHref("cid:a%40b.c")).toBe("a@b.c");
    expect(contentIdOfHref("CID:x@y")).toBe("x@y");
    expect(contentIdOfHref("cid:100%")).toBe("100%");
    expect(contentIdOfHref("mid:x@y")).toBeUndefined();
  });
});
