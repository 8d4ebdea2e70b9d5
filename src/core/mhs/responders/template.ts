/**
 * Template responders: a reply written as XML with `{{placeholders}}`, for interactions that have
 * no built-in responder. Templates are compiled once (split into text and placeholders) and
 * rendered per request with XML-escaped values. An unknown placeholder is refused when the
 * template is compiled, so a typo never reaches a supplier.
 */
import { formatEbxmlTimestamp } from "../../messaging/ebxml-build.js";
import { formatHl7Timestamp } from "../../messaging/mcci.js";
import { escapeXmlText } from "../../messaging/xml.js";
import type { PatientRecord } from "../../store/store.js";
import type { Responder, ResponderRequest } from "./responder.js";

export interface ReplyTemplate {
  /** The reply interaction id (wsa:Action / eb:Action). */
  readonly reply: string;
  /** The HL7 payload with placeholders, e.g. `<id root="{{messageId}}"/>`. */
  readonly template: string;
  /** The /sync-service response wrapper element, when answering on the web service. */
  readonly wrapper?: string;
}

type Values = (request: ResponderRequest, patient: PatientRecord | undefined) => string;

/** Every placeholder a template may use, and where its value comes from. */
const placeholders: Readonly<Record<string, Values>> = {
  messageId: (r) => r.newId(),
  creationTime: (r) => formatHl7Timestamp(r.now),
  timestamp: (r) => formatEbxmlTimestamp(r.now),
  refToMessageId: (r) => r.hl7.messageId ?? "",
  conversationId: (r) => r.ebxml?.conversationId ?? "",
  refToEbxmlMessageId: (r) => r.ebxml?.messageId ?? "",
  senderAsid: (r) => r.senderAsid,
  spineAsid: (r) => r.spineAsid,
  senderPartyKey: (r) => r.ebxml?.fromPartyKey ?? "",
  nhsNumber: (r) => r.hl7.nhsNumber ?? "",
  "patient.givenName": (_r, p) => p?.givenName ?? "",
  "patient.familyName": (_r, p) => p?.familyName ?? "",
  "patient.title": (_r, p) => p?.title ?? "",
  "patient.gender": (_r, p) => p?.gender ?? "",
  "patient.birthDate": (_r, p) => p?.birthDate.replaceAll("-", "") ?? "",
  "patient.postcode": (_r, p) => p?.postcode ?? "",
  "patient.gpOdsCode": (_r, p) => p?.gpOdsCode ?? "",
};

export const templatePlaceholders: readonly string[] = Object.keys(placeholders);

/** Compiles a template; throws an Error naming an unknown placeholder and the known ones. */
export function templateResponder(template: ReplyTemplate): Responder {
  const pieces: (string | Values)[] = [];
  const pattern = /\{\{\s*([\w.]+)\s*\}\}/g;
  let last = 0;
  for (const match of template.template.matchAll(pattern)) {
    const name = match[1] ?? "";
    const value = placeholders[name];
    if (value === undefined) {
      throw new Error(
        `reply template for ${template.reply} uses {{${name}}}; known placeholders: ${templatePlaceholders.join(", ")}`,
      );
    }
    pieces.push(template.template.slice(last, match.index), value);
    last = match.index + match[0].length;
  }
  pieces.push(template.template.slice(last));
  return (request) => {
    const patient = request.hl7.nhsNumber === undefined ? undefined : request.patient(request.hl7.nhsNumber);
    const xml = pieces
      .map((piece) => (typeof piece === "string" ? piece : escapeXmlText(piece(request, patient))))
      .join("");
    return {
      interaction: template.reply,
      xml,
      ...(template.wrapper === undefined ? {} : { wrapper: template.wrapper }),
      outcome: `answered from the ${template.reply} template`,
    };
  };
}
