import { describe, expect, it } from "vitest";
import { buildAcknowledgment, buildMessageError } from "../messaging/ebxml-build.js";
import { parseEbxmlEnvelope } from "../messaging/ebxml.js";
import type { OutboundMessage } from "../store/message-store.js";
import { classifySupplierAnswer } from "./classify-answer.js";

const sentId = "11111111-2222-4333-8444-555555555555";
const sent = { messageId: sentId, ackRequested: true } as OutboundMessage;
const unreliable = { messageId: sentId, ackRequested: false } as OutboundMessage;

// The message Spine sent, as the supplier reads it, so its answers refer to it.
const delivered = parseEbxmlEnvelope(
  buildAcknowledgment(
    {
      fromPartyId: "YES-0000806",
      toPartyId: "Z99001-0000001",
      cpaId: "S1",
      conversationId: "C",
      service: "urn:nhs:names:services:psis",
      action: "MCCI_IN010000UK13",
      messageId: sentId,
      timestamp: "2024-03-14T13:00:00Z",
      duplicateElimination: true,
      syncReply: true,
      manifest: [],
    },
    { now: new Date(), messageId: "A", spinePartyKey: "Z99001-0000001" },
  ),
).header;
const options = { now: new Date(), messageId: "A", spinePartyKey: "Z99001-0000001" };
const ack = buildAcknowledgment({ ...delivered, messageId: sentId }, options);
const xml = (status: number, body: string) => ({ status, contentType: "text/xml", body: Buffer.from(body) });

describe("classifySupplierAnswer", () => {
  it.each([
    ["200 + eb:Acknowledgment for the message", sent, xml(200, ack), "delivered"],
    ["202 + eb:Acknowledgment (SpineTools)", sent, xml(202, ack), "delivered"],
    [
      "200 + an acknowledgement of another message (ACK-005)",
      sent,
      xml(200, ack.replaceAll(sentId, "OTHER")),
      "retry",
    ],
    ["500 + eb:Acknowledgment", sent, xml(500, ack), "retry"],
    ["200 with an empty body for a reliable message", sent, xml(200, ""), "retry"],
    ["202 with an empty body, no acknowledgement requested", unreliable, xml(202, ""), "delivered"],
    ["503 with an empty body", sent, xml(503, ""), "retry"],
    [
      "200 + an eb:ErrorList (ACK-003)",
      sent,
      xml(
        200,
        buildMessageError(
          delivered,
          [{ errorCode: "ValueNotRecognized", code: "501314", text: "Invalid To Party Type attribute" }],
          options,
        ),
      ),
      "rejected",
    ],
    [
      "500 + an eb:ErrorList",
      sent,
      xml(500, buildMessageError(delivered, [{ errorCode: "Unknown", code: "", text: "x" }], options)),
      "rejected",
    ],
    [
      "500 + a SOAP Fault",
      sent,
      xml(
        500,
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring></s:Fault></s:Body></s:Envelope>',
      ),
      "retry",
    ],
    ["200 + text that is not XML", sent, xml(200, "OK"), "retry"],
    ["200 + text that is not XML, no acknowledgement requested", unreliable, xml(200, "OK"), "delivered"],
  ] as const)("%s → %s", (_name, message, response, verdict) => {
    expect(classifySupplierAnswer(message, response).kind).toBe(verdict);
  });

  it("says which check an invalid acknowledgement failed", () => {
    const verdict = classifySupplierAnswer(sent, xml(200, ack.replaceAll(sentId, "OTHER")));
    expect(verdict.detail).toMatch(/ACK-005/);
  });
});
