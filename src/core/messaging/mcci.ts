/**
 * The HL7 application acknowledgement MCCI_IN010000UK13 (mhs-wire.md §12): AA accepted, AE
 * application error, AR rejected, with detail codes from 2.16.840.1.113883.2.1.3.2.4.17.32 and
 * optional domain issues. Written as a string in the element order of Spine's generator.
 */
import { ASID_ROOT, INTERACTION_ID_ROOT } from "./hl7.js";
import { escapeXmlAttribute as attr, escapeXmlText as text } from "./xml.js";

/** Code system of Spine's HL7 acknowledgement detail codes (errors.md §4). */
export const HL7_ACK_CODE_SYSTEM = "2.16.840.1.113883.2.1.3.2.4.17.32";
export const MCCI_INTERACTION = "MCCI_IN010000UK13";

export type AckTypeCode = "AA" | "AE" | "AR";
export type DetailTypeCode = "ER" | "WG" | "IF";

export interface AckDetailInput {
  /** e.g. `202`. */
  readonly code: string;
  /** e.g. `Duplicate HL7 ID Error`. */
  readonly displayName: string;
  /** Default `ER`. */
  readonly typeCode?: DetailTypeCode;
  /** Default {@link HL7_ACK_CODE_SYSTEM}. */
  readonly codeSystem?: string;
}

/** A domain business error in `ControlActEvent/reason/justifyingDetectedIssueEvent`. */
export interface DetectedIssueInput {
  readonly code: string;
  /** The domain's code system, e.g. `2.16.840.1.113883.2.1.3.2.4.17.42` for PDS. */
  readonly codeSystem: string;
  readonly displayName: string;
  /** Default `ER`; written `<qualifier code="ER"/>` as in the PDS capture. */
  readonly qualifier?: DetailTypeCode;
}

export interface ApplicationAcknowledgementInput {
  /** New HL7 id (upper-case UUID). */
  readonly messageId: string;
  readonly creationTime: Date;
  readonly typeCode: AckTypeCode;
  /** HL7 `id/@root` of the message being acknowledged (`messageRef`). */
  readonly acknowledgedMessageId: string;
  /** The original sender's ASID (communicationFunctionRcv). */
  readonly receiverAsid: string;
  /** Spine's ASID for the service (communicationFunctionSnd and the ControlActEvent author). */
  readonly spineAsid: string;
  /** acknowledgementDetail entries; AA replies carry none by default (SIM-OWN). */
  readonly details?: readonly AckDetailInput[];
  readonly issues?: readonly DetectedIssueInput[];
  /** Text for `ControlActEvent/requestSuccessDetail/detail`, as the PSIS AA capture carries. */
  readonly successDetail?: string;
  /** Default `V3NPfIT3.0`. */
  readonly versionCode?: string;
}

// Built once: formatting through Intl is the costly part of a timestamp.
const londonTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** HL7 `creationTime`: `YYYYMMDDhhmmss` in UK local time without zone (decision V7). */
export function formatHl7Timestamp(date: Date): string {
  const parts: Record<string, string> = {};
  for (const part of londonTime.formatToParts(date)) parts[part.type] = part.value;
  const { year = "", month = "", day = "", hour = "", minute = "", second = "" } = parts;
  return `${year}${month}${day}${hour}${minute}${second}`;
}

/** Builds an MCCI_IN010000UK13 payload (no XML declaration: it travels inside other messages). */
export function buildApplicationAcknowledgement(input: ApplicationAcknowledgementInput): string {
  const device = (asid: string): string =>
    `<hl7:device classCode="DEV" determinerCode="INSTANCE"><hl7:id root="${ASID_ROOT}" extension="${attr(asid)}"/></hl7:device>`;
  const lines = [
    `<hl7:MCCI_IN010000UK13 xmlns:hl7="urn:hl7-org:v3">`,
    `  <hl7:id root="${attr(input.messageId)}"/>`,
    `  <hl7:creationTime value="${formatHl7Timestamp(input.creationTime)}"/>`,
    `  <hl7:versionCode code="${attr(input.versionCode ?? "V3NPfIT3.0")}"/>`,
    `  <hl7:interactionId root="${INTERACTION_ID_ROOT}" extension="${MCCI_INTERACTION}"/>`,
    `  <hl7:processingCode code="P"/>`,
    `  <hl7:processingModeCode code="T"/>`,
    `  <hl7:acceptAckCode code="NE"/>`,
    `  <hl7:acknowledgement typeCode="${input.typeCode}">`,
  ];
  for (const detail of input.details ?? []) {
    lines.push(
      `    <hl7:acknowledgementDetail typeCode="${detail.typeCode ?? "ER"}">`,
      `      <hl7:code code="${attr(detail.code)}" codeSystem="${attr(detail.codeSystem ?? HL7_ACK_CODE_SYSTEM)}" displayName="${attr(detail.displayName)}"/>`,
      `    </hl7:acknowledgementDetail>`,
    );
  }
  lines.push(
    `    <hl7:messageRef><hl7:id root="${attr(input.acknowledgedMessageId)}"/></hl7:messageRef>`,
    `  </hl7:acknowledgement>`,
    `  <hl7:communicationFunctionRcv typeCode="RCV">${device(input.receiverAsid)}</hl7:communicationFunctionRcv>`,
    `  <hl7:communicationFunctionSnd typeCode="SND">${device(input.spineAsid)}</hl7:communicationFunctionSnd>`,
    `  <hl7:ControlActEvent classCode="CACT" moodCode="EVN">`,
    `    <hl7:author1 typeCode="AUT"><hl7:AgentSystemSDS classCode="AGNT"><hl7:agentSystemSDS classCode="DEV" determinerCode="INSTANCE"><hl7:id root="${ASID_ROOT}" extension="${attr(input.spineAsid)}"/></hl7:agentSystemSDS></hl7:AgentSystemSDS></hl7:author1>`,
  );
  for (const issue of input.issues ?? []) {
    lines.push(
      `    <hl7:reason typeCode="RSON">`,
      `      <hl7:justifyingDetectedIssueEvent classCode="ALRT" moodCode="EVN">`,
      `        <hl7:code code="${attr(issue.code)}" codeSystem="${attr(issue.codeSystem)}" displayName="${attr(issue.displayName)}"><hl7:qualifier code="${issue.qualifier ?? "ER"}"/></hl7:code>`,
      `      </hl7:justifyingDetectedIssueEvent>`,
      `    </hl7:reason>`,
    );
  }
  if (input.successDetail !== undefined) {
    lines.push(
      `    <hl7:requestSuccessDetail><hl7:detail>${text(input.successDetail)}</hl7:detail></hl7:requestSuccessDetail>`,
    );
  }
  lines.push(`  </hl7:ControlActEvent>`, `</hl7:MCCI_IN010000UK13>`);
  return lines.join("\n");
}
