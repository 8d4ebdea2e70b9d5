/**
 * The web service on /sync-service (mhs-wire.md §6), as one list:
 * content type → SOAPAction and route → UTF-8 → SOAP + WS-Addressing → HL7 wrapper → duplicate HL7
 * id → responder → response. Failures before a readable HL7 wrapper are SOAP Faults (V4); a
 * duplicate HL7 id is an MCCI AR inside a normal 200 response (DUP-002, MCCI-S); an interaction
 * without a responder is TMS 9002 (V12). No ebXML reliability applies (EIS: no retry, no dedupe).
 */
import { parseContentType } from "../messaging/content-type.js";
import { readHl7Wrapper } from "../messaging/hl7.js";
import { buildSyncServiceResponse, parseSyncServiceRequest } from "../messaging/soap-wsa.js";
import { decodeUtf8, isUtf8Charset } from "../messaging/utf8.js";
import { wireError } from "../messaging/wire-problem.js";
import { acceptedDuplicateWindowMs, hl7DuplicateOf } from "./dedupe.js";
import type { ExchangeLog } from "./exchange-log.js";
import { faultOf, MhsRefusal, NO_RESPONDER, routeSoapAction, tmsFault } from "./mhs-faults.js";
import type { MhsAnswer, MhsDeps } from "./mhs-types.js";
import { ackDetails, applicationAcknowledgement } from "./responders/application-ack.js";
import type { ResponderReply, ResponderRequest } from "./responders/responder.js";

const TEXT_XML = "text/xml";

export function handleSyncService(deps: MhsDeps, log: ExchangeLog): MhsAnswer {
  const { request } = log;
  const routes = deps.routes();
  // 1. HTTP-008: SOAP 1.1 as text/xml (lenient: application/xml); charset, when given, UTF-8
  const type = parseContentType(request.contentType ?? "");
  if (type?.mediaType !== "text/xml" && type?.mediaType !== "application/xml") {
    throw wireError(
      "HTTP-008",
      "HTTP Header - Content-Type",
      `Content-Type is ${request.contentType === undefined ? "missing" : `"${request.contentType}"`}; send text/xml (SOAP 1.1)`,
    );
  }
  const charset = type.params.get("charset");
  if (charset !== undefined && !isUtf8Charset(charset)) {
    throw wireError(
      "MIME-006",
      "charset",
      `Content-Type declares charset "${charset}"; Spine accepts UTF-8 only`,
    );
  }
  // 2. HTTP-003, HTTP-004: the SOAPAction names an interaction Spine serves at /sync-service
  const { action, svcIA } = routeSoapAction(routes, request.soapAction, request.path);
  // 3. MIME-006, SOAP-001..004, WS-ADDR-001..005
  const decoded = decodeUtf8(request.body);
  if (!("text" in decoded)) {
    throw wireError("MIME-006", "charset", `the body is not valid UTF-8 (byte offset ${decoded.invalidAt})`);
  }
  const { request: ws, problems } = parseSyncServiceRequest(decoded.text);
  log.messageId = ws.messageId || undefined;
  // One event per web-service exchange (request and response together): this is the hot path.
  const wsa = {
    messageId: ws.messageId,
    action: ws.action,
    to: ws.to,
    senderAsid: ws.senderAsid,
    receiverAsid: ws.receiverAsid,
  };
  if (problems.length > 0) {
    throw new MhsRefusal(faultOf(problems), problems.map((p) => `${p.ruleId}: ${p.message}`).join("; "));
  }
  if (ws.payload === undefined) {
    throw wireError("SOAP-004", "SOAP:Body", "SOAP:Body is empty; it must hold the HL7 interaction");
  }
  // 4. the HL7 wrapper (full Part C checks arrive with the validation engine)
  const hl7 = readHl7Wrapper(ws.payload);
  const now = deps.clock.now();
  const spineAsid = routes.spineAsid(svcIA);
  const responderRequest: ResponderRequest = {
    pattern: "sync",
    service: action.service,
    interaction: action.interaction,
    hl7,
    senderAsid: ws.senderAsid,
    spineAsid,
    now,
    newId: deps.newId,
    patient: deps.patient,
  };
  const respond = (reply: ResponderReply, status: "answered" | "rejected"): MhsAnswer => {
    const body = buildSyncServiceResponse(ws, {
      messageId: deps.newId(),
      action: `${action.service}/${reply.interaction}`,
      fromAddress: action.service,
      spineAsid,
      body: reply.wrapper === undefined ? reply.xml : `<${reply.wrapper}>\n${reply.xml}\n</${reply.wrapper}>`,
    });
    const summary = `web service ${action.interaction}: ${reply.outcome}`;
    const detail = {
      ...log.requestDetail(),
      wsa,
      response: { status: 200, reply: reply.interaction, raw: { bytes: body.length, text: body } },
    };
    if (status === "rejected") log.fail("mhs.rejected", summary, { ...detail, ruleIds: ["DUP-002"] });
    else log.record("mhs.answered", summary, detail);
    log.requestRecorded = true;
    return { kind: "reply", status: 200, contentType: TEXT_XML, body: Buffer.from(body, "utf8") };
  };
  // 5. DUP-002: an HL7 id already seen within the window is answered MCCI AR 202
  const duplicate = hl7DuplicateOf(deps, hl7.messageId, now);
  if (duplicate !== undefined) {
    return respond(
      applicationAcknowledgement(responderRequest, "AR", [ackDetails.duplicateHl7Id], duplicate),
      "rejected",
    );
  }
  // 6. the responder, else TMS 9002 (V12)
  const reply = deps.responders.get(action.interaction)?.(responderRequest);
  if (reply === undefined) {
    throw new MhsRefusal(
      tmsFault("V12", "9002", "SOAP:Body", NO_RESPONDER),
      deps.responders.has(action.interaction)
        ? `the ${action.interaction} responder cannot answer this request (a trace without an NHS number?)`
        : `no responder is configured for ${action.interaction}; the built-in ones answer PDS retrieval and simple trace`,
    );
  }
  const answer = respond(reply, "answered");
  if (hl7.messageId !== undefined && hl7.messageId !== "" && answer.kind === "reply") {
    deps.messages.rememberReceived({
      fromPartyKey: `ASID:${ws.senderAsid}`,
      messageId: ws.messageId.toUpperCase(),
      hl7Id: hl7.messageId.toUpperCase(),
      status: answer.status,
      contentType: TEXT_XML,
      // The web service has no ebXML duplicate elimination (no replay), only the HL7 id rule.
      body: Buffer.alloc(0),
      receivedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + acceptedDuplicateWindowMs(routes.spineEntry(svcIA))).toISOString(),
    });
  }
  return answer;
}
