/**
 * The ebXML patterns on /reliablemessaging/reliablerequest and /queryrequest (mhs-wire.md §4–§5,
 * §7; DESIGN.md "A reliable request, end to end"), as one list. Order matters (V2): a MessageError
 * needs a readable header, an MCCI needs a readable HL7 wrapper.
 *
 *   1. SOAPAction and route     HTTP-003, HTTP-004          → SOAP Fault 101
 *   2. MIME                     HTTP-007, MIME-001..003/006 → SOAP Fault 201
 *   3. SOAP + ebXML header      SOAP-001..004, HDR-001..010 → SOAP Fault 201
 *   4. contract, reliability, manifest (ebxml-rules.ts)     → MessageError, HTTP 200
 *   5. duplicate eb:MessageId (DUP-001)                     → the stored answer, byte for byte
 *   6. HL7 payload              SOAP-001 / MIME-006         → SOAP Fault 201
 *   7. synchronous answer: 202 + eb:Acknowledgment (reliable) or an empty 202 (unreliable), remembered
 *   8. business reply into the outbox: MCCI AR 202 for a duplicate HL7 id (DUP-002), else the
 *      responder, else the pattern's default (V12: reliable MCCI AA, unreliable MCCI AE 914)
 */
import { buildAcknowledgment } from "../messaging/ebxml-build.js";
import { parseEbxmlEnvelope, type EbxmlHeader } from "../messaging/ebxml.js";
import { readHl7Wrapper } from "../messaging/hl7.js";
import { MCCI_INTERACTION } from "../messaging/mcci.js";
import { decodePartText, parseMultipartRelated } from "../messaging/mime.js";
import { lookupServiceInteraction } from "../interactions/catalogue.js";
import { acceptedDuplicateWindowMs, hl7DuplicateOf, storedAnswer } from "./dedupe.js";
import { checkEbxml, type EbxmlPattern } from "./ebxml-rules.js";
import type { ExchangeLog } from "./exchange-log.js";
import { faultOf, MhsRefusal, routeSoapAction } from "./mhs-faults.js";
import type { MhsAnswer, MhsDeps, MhsReply } from "./mhs-types.js";
import { queueReply } from "./replies.js";
import { ackDetails, applicationAcknowledgement } from "./responders/application-ack.js";
import type { ResponderReply, ResponderRequest } from "./responders/responder.js";

export function handleEbxml(deps: MhsDeps, log: ExchangeLog, pattern: EbxmlPattern): MhsAnswer {
  const { request } = log;
  const routes = deps.routes();
  // 1. HTTP-003, HTTP-004
  const { spineEntry, svcIA } = routeSoapAction(routes, request.soapAction, request.path);
  // 2. MIME
  const mime = parseMultipartRelated(request.body, request.contentType ?? "");
  // 3. SOAP envelope and ebXML header
  const { header, problems } = parseEbxmlEnvelope(mime.rootText);
  log.messageId = header.messageId || undefined;
  log.conversationId = header.conversationId || undefined;
  log.received(`${pattern} request ${header.service}/${header.action} from ${header.fromPartyId}`, {
    ebxml: headerFields(header),
  });
  if (problems.length > 0) {
    throw new MhsRefusal(faultOf(problems), problems.map((p) => `${p.ruleId}: ${p.message}`).join("; "));
  }
  // 4. contract, reliability, manifest: MessageError
  const now = deps.clock.now();
  const violations = checkEbxml({ pattern, header, svcIA, spineEntry, routes, parts: mime.parts });
  const [firstViolation, ...otherViolations] = violations;
  if (firstViolation !== undefined) {
    const answer: MhsAnswer = {
      kind: "messageError",
      request: header,
      errors: [firstViolation.error, ...otherViolations.map((v) => v.error)],
      ruleIds: violations.map((v) => v.ruleId),
      messageId: deps.newId(),
      now,
    };
    log.fail(
      "mhs.rejected",
      `MessageError: ${violations.map((v) => `${v.ruleId} ${v.message}`).join("; ")}`,
      {
        ruleIds: answer.ruleIds,
        errors: answer.errors,
        messageErrorId: answer.messageId,
      },
    );
    return answer;
  }
  // 5. DUP-001: a repeated eb:MessageId within the window gets the original answer, nothing else
  if (header.duplicateElimination) {
    const original = storedAnswer(deps, header.fromPartyId, header.messageId, now);
    if (original !== undefined) {
      log.record(
        "mhs.duplicate",
        `duplicate eb:MessageId ${header.messageId}: the original answer of ${original.receivedAt} replayed, not processed again`,
        {
          ruleIds: ["DUP-001"],
          status: original.status,
          firstReceivedAt: original.receivedAt,
        },
      );
      return {
        kind: "reply",
        status: original.status,
        ...(original.contentType === undefined ? {} : { contentType: original.contentType }),
        body: original.body,
        ruleIds: ["DUP-001"],
      };
    }
  }
  // 6. the HL7 payload: the part the first manifest reference names
  const reference = header.manifest[0];
  const part = mime.parts.find((p) => p.contentId?.toLowerCase() === reference?.contentId?.toLowerCase());
  if (part === undefined) {
    throw new MhsRefusal(
      faultOf([
        {
          ruleId: "MIME-001",
          location: "MIME",
          message: `the manifest reference ${reference?.href ?? "(none)"} names no MIME part`,
        },
      ]),
      "no HL7 payload part",
    );
  }
  const hl7 = readHl7Wrapper(decodePartText(part, "the HL7 payload"));
  // Looked up before this message is remembered, or it would find itself.
  const duplicate = hl7DuplicateOf(deps, hl7.messageId, now);
  // 7. the synchronous answer, remembered so a retry gets exactly these bytes
  const answer = synchronousAnswer(deps, header, pattern, now);
  deps.messages.rememberReceived({
    fromPartyKey: header.fromPartyId.toUpperCase(),
    messageId: header.messageId.toUpperCase(),
    hl7Id: hl7.messageId?.toUpperCase(),
    status: answer.status,
    ...(answer.contentType === undefined ? {} : { contentType: answer.contentType }),
    body: answer.body,
    receivedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + acceptedDuplicateWindowMs(spineEntry)).toISOString(),
  });
  log.record(
    pattern === "reliable" ? "mhs.acknowledged" : "mhs.accepted",
    pattern === "reliable" ? `acknowledged with 202 + eb:Acknowledgment` : "accepted with an empty 202",
    { status: answer.status, raw: { text: answer.body.toString("utf8") } },
  );
  // 8. the business reply
  const info = lookupServiceInteraction(header.service, header.action);
  const responderRequest: ResponderRequest = {
    pattern,
    service: header.service,
    interaction: header.action,
    hl7,
    senderAsid: hl7.senderAsid ?? "",
    spineAsid: routes.spineAsid(svcIA),
    now,
    ebxml: {
      conversationId: header.conversationId,
      messageId: header.messageId,
      fromPartyKey: header.fromPartyId,
    },
    newId: deps.newId,
    patient: deps.patient,
  };
  let reply: ResponderReply | undefined;
  if (duplicate !== undefined) {
    reply = applicationAcknowledgement(responderRequest, "AR", [ackDetails.duplicateHl7Id], duplicate);
    log.fail("mhs.rejected", duplicate, { ruleIds: ["DUP-002"], hl7Id: hl7.messageId });
  } else {
    reply =
      deps.responders.get(header.action)?.(responderRequest) ??
      (pattern === "reliable"
        ? applicationAcknowledgement(
            responderRequest,
            "AA",
            [],
            `no responder for ${header.action}: MCCI_IN010000UK13 AA (V12)`,
          )
        : applicationAcknowledgement(
            responderRequest,
            "AE",
            [ackDetails.noResponder],
            `no responder for ${header.action}: MCCI_IN010000UK13 AE 914 (V12)`,
          ));
  }
  // Errors travel as MCCI; where the supplier registered only its request's reply, use that entry.
  queueReply(deps, log, header, reply, reply.interaction === MCCI_INTERACTION ? info?.reply : undefined);
  return answer;
}

function synchronousAnswer(deps: MhsDeps, header: EbxmlHeader, pattern: EbxmlPattern, now: Date): MhsReply {
  if (pattern === "unreliable" || !header.syncReply) {
    return { kind: "reply", status: 202, body: Buffer.alloc(0) };
  }
  const ack = buildAcknowledgment(header, {
    now,
    messageId: deps.newId(),
    spinePartyKey: deps.spine.partyKey,
  });
  return { kind: "reply", status: 202, contentType: "text/xml", body: Buffer.from(ack, "utf8") };
}

function headerFields(header: EbxmlHeader): Record<string, unknown> {
  return {
    from: header.fromPartyId,
    to: header.toPartyId,
    cpaId: header.cpaId,
    conversationId: header.conversationId,
    service: header.service,
    action: header.action,
    messageId: header.messageId,
    timestamp: header.timestamp,
    duplicateElimination: header.duplicateElimination,
    ackRequested: header.ackRequested !== undefined,
    syncReply: header.syncReply,
    manifest: header.manifest.map((r) => r.href),
  };
}
