import { describe, expect, it } from "vitest";
import { loadMessage } from "../../../test/messaging/fixtures.js";
import { parseEbxmlEnvelope, type EbxmlHeader } from "./ebxml.js";
import {
  ACTOR_NEXT_MSH,
  ACTOR_TO_PARTY_MSH,
  asyncReplyHeader,
  buildAcknowledgment,
  buildEbxmlMessage,
  buildMessageError,
  formatEbxmlTimestamp,
} from "./ebxml-build.js";
import { parseMultipartRelated } from "./mime.js";

const now = new Date("2024-03-14T09:26:54.321Z");
const signal = { now, messageId: "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9", spinePartyKey: "YES-0000806" };

function requestHeader(fixture = "reliable-request-lf.msg"): EbxmlHeader {
  const { contentType, body } = loadMessage(fixture);
  return parseEbxmlEnvelope(parseMultipartRelated(body, contentType).rootText).header;
}

describe("formatEbxmlTimestamp", () => {
  it("writes UTC seconds with Z", () => {
    expect(formatEbxmlTimestamp(now)).toBe("2024-03-14T09:26:54Z");
  });
});

describe("buildAcknowledgment", () => {
  it("answers the request with parties swapped, ids copied and RefToMessageId set", () => {
    const request = requestHeader();
    const parsed = parseEbxmlEnvelope(buildAcknowledgment(request, signal));
    expect(parsed.problems).toEqual([]);
    expect(parsed.header).toMatchObject({
      fromPartyId: "YES-0000806",
      toPartyId: "A91424-9199121",
      cpaId: "S20001A000182",
      conversationId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      service: "urn:oasis:names:tc:ebxml-msg:service",
      action: "Acknowledgment",
      messageId: "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9",
      timestamp: "2024-03-14T09:26:54Z",
      refToMessageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      duplicateElimination: false,
      syncReply: false,
      manifest: [],
      acknowledgment: {
        version: "2.0",
        actor: ACTOR_TO_PARTY_MSH,
        timestamp: "2024-03-14T09:26:54Z",
        refToMessageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
        fromPartyId: "YES-0000806",
      },
    });
    expect(parsed.header.ackRequested).toBeUndefined();
    expect(parsed.soap.body.children).toEqual([]);
  });

  it("acknowledges an intermediary hop with the nextMSH actor it asked for", () => {
    const request = requestHeader("attachment-base64-multibyte.msg");
    expect(parseEbxmlEnvelope(buildAcknowledgment(request, signal)).header.acknowledgment?.actor).toBe(
      ACTOR_NEXT_MSH,
    );
  });

  it("escapes values taken from the request", () => {
    const request = { ...requestHeader(), cpaId: "A&B<C>" };
    const xml = buildAcknowledgment(request, signal);
    expect(xml).toContain("<eb:CPAId>A&amp;B&lt;C&gt;</eb:CPAId>");
    expect(parseEbxmlEnvelope(xml).header.cpaId).toBe("A&B<C>");
  });
});

describe("buildMessageError", () => {
  it("lists every error with its code context, errorCode, severity and NNNNNN:text description", () => {
    const xml = buildMessageError(
      requestHeader(),
      [
        { errorCode: "ValueNotRecognized", code: "501319", text: "Unknown eb:CPAId" },
        {
          errorCode: "Inconsistent",
          code: "509903",
          text: "eb:DuplicateElimination inconsistent with contract",
          severity: "Warning",
        },
      ],
      signal,
    );
    const { header } = parseEbxmlEnvelope(xml);
    expect(header.action).toBe("MessageError");
    expect(header.refToMessageId).toBe("3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F");
    expect(header.acknowledgment).toBeUndefined();
    expect(header.errorList).toEqual({
      highestSeverity: "Error",
      errors: [
        {
          errorCode: "ValueNotRecognized",
          severity: "Error",
          codeContext: "urn:oasis:names:tc:ebxml-msg:service:errors",
          description: "501319:Unknown eb:CPAId",
          descriptionCode: "501319",
        },
        {
          errorCode: "Inconsistent",
          severity: "Warning",
          codeContext: "urn:oasis:names:tc:ebxml-msg:service:errors",
          description: "509903:eb:DuplicateElimination inconsistent with contract",
          descriptionCode: "509903",
        },
      ],
    });
    expect(xml).toContain('<eb:Description xml:lang="en-GB">501319:Unknown eb:CPAId</eb:Description>');
  });

  it("reports Warning as the highest severity when nothing is an Error, and allows a bare text", () => {
    const xml = buildMessageError(
      requestHeader(),
      [{ errorCode: "200", code: "", text: "a < b", severity: "Warning", codeContext: "urn:x" }],
      signal,
    );
    expect(parseEbxmlEnvelope(xml).header.errorList).toEqual({
      highestSeverity: "Warning",
      errors: [{ errorCode: "200", severity: "Warning", codeContext: "urn:x", description: "a < b" }],
    });
  });

  it("refuses an empty error list", () => {
    expect(() => buildMessageError(requestHeader(), [], signal)).toThrow(/at least one error/);
  });
});

describe("asynchronous replies Spine sends (§7)", () => {
  const contract = {
    cpaId: "S918999404212",
    duplicateElimination: true,
    ackActor: ACTOR_TO_PARTY_MSH,
    syncReply: true,
  };

  it("addresses the reply to the requester with RefToMessageId = the request's eb:MessageId", () => {
    const header = asyncReplyHeader(requestHeader(), {
      service: "urn:nhs:names:services:psis",
      action: "MCCI_IN010000UK13",
      contract,
      ...signal,
    });
    expect(header).toEqual({
      fromPartyId: "YES-0000806",
      toPartyId: "A91424-9199121",
      cpaId: "S918999404212",
      conversationId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      service: "urn:nhs:names:services:psis",
      action: "MCCI_IN010000UK13",
      messageId: signal.messageId,
      timestamp: now,
      refToMessageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      duplicateElimination: true,
      ackRequested: { actor: ACTOR_TO_PARTY_MSH },
      syncReply: true,
    });
  });

  it("builds a message that our own parsers read back field for field, with attachments", () => {
    const header = asyncReplyHeader(requestHeader(), {
      service: "urn:nhs:names:services:psisquery",
      action: "QUPC_IN160102UK05",
      contract: { cpaId: "S1", duplicateElimination: false, syncReply: false },
      ...signal,
    });
    const built = buildEbxmlMessage(header, { xml: "<QUPC_IN160102UK05 xmlns='urn:hl7-org:v3'/>" }, [
      {
        contentId: "att-1@spine.nhs.uk",
        contentType: "text/plain",
        body: "notes",
        description: "Some notes",
      },
    ]);
    expect(built.soapAction).toBe("urn:nhs:names:services:psisquery/QUPC_IN160102UK05");
    expect(built.contentType).toBe(
      'multipart/related; boundary="--=_MIME-Boundary"; charset="UTF-8"; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"',
    );
    const mime = parseMultipartRelated(built.body, built.contentType);
    expect(mime.rootText).toBe(built.envelope);
    expect(mime.parts.map((p) => [p.contentId, p.mediaType, p.transferEncoding])).toEqual([
      ["ebXMLHeader@spine.nhs.uk", "text/xml", "8bit"],
      ["0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9@spine.nhs.uk", "application/xml", "8bit"],
      ["att-1@spine.nhs.uk", "text/plain", "8bit"],
    ]);
    const parsed = parseEbxmlEnvelope(mime.rootText);
    expect(parsed.problems).toEqual([]);
    expect(parsed.header).toMatchObject({
      fromPartyId: "YES-0000806",
      toPartyId: "A91424-9199121",
      action: "QUPC_IN160102UK05",
      refToMessageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      duplicateElimination: false,
      syncReply: false,
    });
    expect(parsed.header.ackRequested).toBeUndefined();
    expect(parsed.header.manifest).toEqual([
      {
        href: "cid:0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9@spine.nhs.uk",
        contentId: "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9@spine.nhs.uk",
        description: "HL7 payload",
        schema: { location: "http://www.nhsia.nhs.uk/schemas/HL7-Message.xsd", version: "1.0" },
        hl7Payload: { style: "HL7", encoding: "XML", version: "3.0" },
      },
      { href: "cid:att-1@spine.nhs.uk", contentId: "att-1@spine.nhs.uk", description: "Some notes" },
    ]);
  });

  it("writes TimeToLive after RefToMessageId and the reliability elements in ebMS order", () => {
    const built = buildEbxmlMessage(
      {
        ...asyncReplyHeader(requestHeader(), { service: "s", action: "a", contract, ...signal }),
        timeToLive: new Date("2024-03-14T09:44:54Z"),
      },
      {
        xml: "<x/>",
        contentId: "payload@x",
        schema: { location: "urn:hl7-org:v3_MCCI_IN010000UK13.xsd", version: "13" },
      },
    );
    const order = [
      "<eb:RefToMessageId>",
      "<eb:TimeToLive>2024-03-14T09:44:54Z",
      "<eb:DuplicateElimination/>",
      "<eb:AckRequested",
      "<eb:SyncReply",
    ];
    const positions = order.map((token) => built.envelope.indexOf(token));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(built.envelope).toContain(
      '<eb:Schema eb:location="urn:hl7-org:v3_MCCI_IN010000UK13.xsd" eb:version="13"/>',
    );
    expect(parseEbxmlEnvelope(built.envelope).header.timeToLive).toBe("2024-03-14T09:44:54Z");
  });
});
