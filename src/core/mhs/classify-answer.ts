/**
 * What a supplier's answer to a delivery means (mhs-wire.md §7.4, validation-rules.md §12):
 *
 * | answer                                                         | verdict   |
 * |----------------------------------------------------------------|-----------|
 * | any status carrying an eb:ErrorList (ACK-003)                  | rejected: an ebXML error is final |
 * | 2xx + eb:Acknowledgment for the message sent (ACK-001..005)    | delivered |
 * | 2xx, for a message that asked for no acknowledgement           | delivered |
 * | 2xx without a valid acknowledgement, any 3xx/4xx/5xx, a Fault  | retry     |
 *
 * Connection failures and timeouts never reach here: the worker retries them.
 */
import { parseContentType } from "../messaging/content-type.js";
import { parseEbxmlEnvelope, type EbxmlEnvelope } from "../messaging/ebxml.js";
import { parseMultipartRelated } from "../messaging/mime.js";
import { readSoapFault } from "../messaging/soap-envelope.js";
import { decodeUtf8 } from "../messaging/utf8.js";
import { isWireError } from "../messaging/wire-problem.js";
import { NS, childElement, parseXml } from "../messaging/xml.js";
import type { OutboundMessage } from "../store/message-store.js";
import type { AnswerVerdict, TransportResponse } from "./delivery-worker.js";

const retry = (detail: string): AnswerVerdict => ({ kind: "retry", detail });

export function classifySupplierAnswer(message: OutboundMessage, response: TransportResponse): AnswerVerdict {
  const ok = response.status >= 200 && response.status < 300;
  const http = `HTTP ${response.status}`;
  const text = answerText(response);
  if (text === "") {
    if (ok && !message.ackRequested)
      return { kind: "delivered", detail: `${http}, no acknowledgement requested` };
    return retry(`${http} with an empty body${ok ? "; expected an eb:Acknowledgment (ACK-002)" : ""}`);
  }
  let envelope;
  try {
    envelope = parseXml(text, { location: "supplier answer" });
  } catch (error) {
    if (ok && !message.ackRequested)
      return { kind: "delivered", detail: `${http}, no acknowledgement requested` };
    return retry(
      `${http} with a body that is not XML (${isWireError(error) ? error.message : String(error)})`,
    );
  }
  const body = envelope.namespace === NS.soap ? childElement(envelope, NS.soap, "Body") : undefined;
  if (body !== undefined && childElement(body, NS.soap, "Fault") !== undefined) {
    const fault = readSoapFault(envelope);
    const codes = fault?.errors.map((e) => e.errorCode ?? "?").join(", ") ?? "";
    return retry(
      `${http} SOAP Fault${codes === "" ? "" : ` (error codes ${codes})`}: ${fault?.faultstring ?? ""}`,
    );
  }
  let parsed;
  try {
    parsed = parseEbxmlEnvelope(envelope);
  } catch (error) {
    if (ok && !message.ackRequested)
      return { kind: "delivered", detail: `${http}, no acknowledgement requested` };
    return retry(
      `${http}: the answer is not an ebXML message (${isWireError(error) ? error.message : String(error)})`,
    );
  }
  const { header } = parsed;
  if (header.errorList !== undefined) {
    const errors = header.errorList.errors.map(
      (e) => `${e.errorCode}${e.description === undefined ? "" : ` ${e.description}`}`,
    );
    return { kind: "rejected", detail: `${http} eb:ErrorList (ACK-003): ${errors.join("; ")}` };
  }
  if (!message.ackRequested) {
    return ok ? { kind: "delivered", detail: `${http}, no acknowledgement requested` } : retry(http);
  }
  const problem = acknowledgementProblem(message, parsed);
  if (problem !== undefined) return retry(`${http}: ${problem}`);
  return ok
    ? { kind: "delivered", detail: `${http} eb:Acknowledgment for ${message.messageId}` }
    : retry(`${http} with an acknowledgement`);
}

function acknowledgementProblem(message: OutboundMessage, parsed: EbxmlEnvelope): string | undefined {
  const { header } = parsed;
  if (parsed.problems.some((p) => p.ruleId === "EBXML-HDR-001")) return "no eb:MessageHeader (ACK-001)";
  const ack = header.acknowledgment;
  if (ack === undefined) return "no eb:Acknowledgment (ACK-002)";
  if (header.messageHeaderVersion !== undefined && header.messageHeaderVersion !== "2.0") {
    return `eb:MessageHeader version ${header.messageHeaderVersion} (ACK-004)`;
  }
  if (header.syncReply) return "the acknowledgement carries eb:SyncReply (ACK-004)";
  const ref = ack.refToMessageId ?? header.refToMessageId;
  if (ref?.trim().toUpperCase() !== message.messageId.toUpperCase()) {
    return `eb:Acknowledgment/eb:RefToMessageId is ${ref === undefined ? "missing" : `"${ref}"`}, not ${message.messageId} (ACK-005)`;
  }
  return undefined;
}

/** The answer's XML text: the body, or the root part of a multipart answer; "" when unreadable. */
function answerText(response: TransportResponse): string {
  if (response.body.length === 0) return "";
  const type = parseContentType(response.contentType ?? "");
  if (type?.mediaType === "multipart/related") {
    try {
      return parseMultipartRelated(response.body, type).rootText;
    } catch {
      return "";
    }
  }
  const decoded = decodeUtf8(response.body);
  return "text" in decoded ? decoded.text.trim() : "";
}
