/**
 * Golden round trips of the wire models: a fixture request is parsed, Spine's answer is built
 * with fixed ids and times, and the bytes are compared with a golden file. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/messaging` and review the diff like any other change.
 */
import { describe, expect, it } from "vitest";
import { parseEbxmlEnvelope, type EbxmlHeader } from "../../src/core/messaging/ebxml.js";
import {
  ACTOR_TO_PARTY_MSH,
  asyncReplyHeader,
  buildAcknowledgment,
  buildEbxmlMessage,
  buildMessageError,
} from "../../src/core/messaging/ebxml-build.js";
import { readHl7Wrapper } from "../../src/core/messaging/hl7.js";
import { buildApplicationAcknowledgement } from "../../src/core/messaging/mcci.js";
import { decodePartText, parseMultipartRelated } from "../../src/core/messaging/mime.js";
import { parseSoapAction } from "../../src/core/messaging/soap-action.js";
import { buildSyncServiceResponse, parseSyncServiceRequest } from "../../src/core/messaging/soap-wsa.js";
import { golden, loadMessage, loadText, splitMessage } from "./fixtures.js";

const SPINE = "YES-0000806";
const now = new Date("2024-03-14T09:26:54Z");

function readRequest(fixture: string): { header: EbxmlHeader; payload: string } {
  const { contentType, body } = loadMessage(fixture);
  const mime = parseMultipartRelated(body, contentType);
  const envelope = parseEbxmlEnvelope(mime.rootText);
  expect(envelope.problems).toEqual([]);
  const payloadId = envelope.header.manifest[0]?.contentId?.toLowerCase();
  const payloadPart = mime.parts.find((p) => p.contentId?.toLowerCase() === payloadId);
  if (payloadPart === undefined) throw new Error(`${fixture}: the manifest's first reference names no part`);
  return { header: envelope.header, payload: decodePartText(payloadPart, "HL7 payload") };
}

describe("golden answers to fixture requests", () => {
  it("acknowledges a reliable request byte for byte", () => {
    const { header } = readRequest("reliable-request-lf.msg");
    const ack = buildAcknowledgment(header, {
      now,
      messageId: "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9",
      spinePartyKey: SPINE,
    });
    expect(ack).toBe(golden("ack-reliable-request.xml", ack).toString("utf8"));
  });

  it("answers an unknown CPA id with a MessageError byte for byte", () => {
    const { header } = readRequest("reliable-request-unquoted.msg");
    const error = buildMessageError(
      header,
      [{ errorCode: "ValueNotRecognized", code: "501319", text: "Unknown eb:CPAId" }],
      {
        now,
        messageId: "1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D",
        spinePartyKey: SPINE,
      },
    );
    expect(error).toBe(golden("message-error-unknown-cpaid.xml", error).toString("utf8"));
  });

  it("sends the reliable business reply (MCCI AA) as a multipart message byte for byte", () => {
    const { header, payload } = readRequest("reliable-request-lf.msg");
    const hl7 = readHl7Wrapper(payload);
    const replyHeader = asyncReplyHeader(header, {
      service: header.service,
      action: "MCCI_IN010000UK13",
      contract: {
        cpaId: "S918999404212",
        duplicateElimination: true,
        ackActor: ACTOR_TO_PARTY_MSH,
        syncReply: true,
      },
      now: new Date("2024-03-14T09:27:00Z"),
      messageId: "4C6E8A0B-2D4F-4618-9A3C-5E7F9B1D3F5A",
      spinePartyKey: SPINE,
    });
    const mcci = buildApplicationAcknowledgement({
      messageId: "6B4D2F0A-8E6C-4A2B-9F7D-5C3A1E9B7D5F",
      creationTime: new Date("2024-03-14T09:27:00Z"),
      typeCode: "AA",
      acknowledgedMessageId: hl7.messageId ?? "",
      receiverAsid: hl7.senderAsid ?? "",
      spineAsid: hl7.receiverAsid ?? "",
    });
    const built = buildEbxmlMessage(replyHeader, {
      xml: mcci,
      description: "Application Acknowledgement",
      schema: { location: "urn:hl7-org:v3_MCCI_IN010000UK13.xsd", version: "13" },
    });
    const wire = Buffer.concat([Buffer.from(`Content-Type: ${built.contentType}\n`), built.body]);
    expect(wire).toEqual(golden("async-reply-mcci-aa.msg", wire));

    // And the golden message is one our own parsers accept as a Spine-shaped reply.
    const reread = splitMessage(wire);
    const mime = parseMultipartRelated(reread.body, reread.contentType);
    const envelope = parseEbxmlEnvelope(mime.rootText);
    expect(envelope.problems).toEqual([]);
    expect(envelope.header).toMatchObject({
      fromPartyId: SPINE,
      toPartyId: "A91424-9199121",
      refToMessageId: "3E5D0A3C-8B1F-4C2E-9D47-6A1B2C3D4E5F",
      action: "MCCI_IN010000UK13",
    });
    const reply = readHl7Wrapper(decodePartText(mime.parts[1] ?? mime.root));
    expect(reply.acknowledgement).toEqual({
      typeCode: "AA",
      messageRef: "C0F1E2D3-A4B5-4C6D-8E7F-0A1B2C3D4E5F",
      details: [],
    });
    expect([reply.receiverAsid, reply.senderAsid]).toEqual(["918999199111", "227319907548"]);
    expect(parseSoapAction(built.soapAction).value).toBe("urn:nhs:names:services:psis/MCCI_IN010000UK13");
  });

  it("answers a sync-service request with an MCCI AR inside the SOAP response byte for byte", () => {
    const { request, problems } = parseSyncServiceRequest(loadText("sync-service-request.xml"));
    expect(problems).toEqual([]);
    const hl7 = readHl7Wrapper(request.payload ?? request.soap.body);
    const mcci = buildApplicationAcknowledgement({
      messageId: "8E0A2C4E-6A8C-4E0A-8C2E-4A6C8E0A2C4E",
      creationTime: now,
      typeCode: "AR",
      details: [{ code: "202", displayName: "Duplicate HL7 ID Error" }],
      acknowledgedMessageId: hl7.messageId ?? "",
      receiverAsid: request.senderAsid,
      spineAsid: request.receiverAsid,
    });
    const response = buildSyncServiceResponse(request, {
      messageId: "8E0A2C4E-6A8C-4E0A-8C2E-4A6C8E0A2C4E",
      action: "urn:nhs:names:services:pdsquery/MCCI_IN010000UK13",
      fromAddress: "urn:nhs:names:services:pdsquery",
      spineAsid: request.receiverAsid,
      body: mcci,
    });
    expect(response).toBe(golden("sync-response-mcci-ar.xml", response).toString("utf8"));
  });
});

describe("every fixture parses", () => {
  it.each([
    ["reliable-request-lf.msg", "REPC_IN150016UK05", 2, "9446245796"],
    ["reliable-request-unquoted.msg", "PRPA_IN000203UK03", 2, "9690937278"],
    ["attachment-base64-multibyte.msg", "COPC_IN000001UK01", 3, undefined],
    ["preamble-epilogue.msg", "QUPC_IN160101UK05", 2, "9446245796"],
  ])("%s: %s with %i parts", (fixture, action, partCount, nhsNumber) => {
    const { contentType, body } = loadMessage(fixture);
    expect(parseMultipartRelated(body, contentType).parts).toHaveLength(partCount);
    const { header, payload } = readRequest(fixture);
    expect(header.action).toBe(action);
    const hl7 = readHl7Wrapper(payload);
    expect(hl7.interactionId).toBe(action);
    expect(hl7.nhsNumber).toBe(nhsNumber);
  });
});
