/**
 * PDS on the web service, answered from the scenario's patients by NHS number: retrieval
 * (`QUPA_IN040000UK32` → `QUPA_IN050000UK32` in `retrievalQueryResponse`, mhs-wire.md §6.2, and the
 * `QUPA_IN000008` family → `QUPA_IN000009UK03` as in the captured PTL reply) and simple trace
 * (`QUPA_IN000005UK01|03` → `QUPA_IN000007UK01|03` in `traceQueryResponse`, the shapes the NHS test
 * harness and its clients use). An unknown NHS number is answered with the PDS query
 * acknowledgement `QUQI_IN010000UK14` AE and queryResponseCode NF (SIM-OWN: the capture shows the
 * interaction and AE; the NF code is HL7's "no data found").
 */
import { NHS_NUMBER_ROOT } from "../../messaging/hl7.js";
import { escapeXmlText as text, escapeXmlAttribute as attr } from "../../messaging/xml.js";
import type { PatientRecord } from "../../store/store.js";
import { buildHl7Message, queryAck } from "./hl7-message.js";
import type { Responder, ResponderReply, ResponderRequest } from "./responder.js";

/** PDS administrative gender codes (0 not known, 1 male, 2 female, 9 not specified). */
const genderCode: Readonly<Record<string, string>> = { male: "1", female: "2", other: "9", unknown: "0" };

const ODS_ROOT = "2.16.840.1.113883.2.1.4.3";

function name(patient: PatientRecord): string {
  const prefix = patient.title === undefined ? "" : `<prefix>${text(patient.title)}</prefix>`;
  return `<name use="L">${prefix}<given>${text(patient.givenName)}</given><family>${text(patient.familyName)}</family></name>`;
}

function address(patient: PatientRecord): string {
  const lines = patient.addressLines
    .map((line) => `<streetAddressLine>${text(line)}</streetAddressLine>`)
    .join("");
  return `<addr use="H">${lines}<postalCode>${text(patient.postcode)}</postalCode></addr>`;
}

const birthTime = (patient: PatientRecord): string => patient.birthDate.replaceAll("-", "");

/** The registered GP as the retrieval capture carries it (care provision code 1). */
function registeredGp(patient: PatientRecord, event: string, organisation: string): string {
  return (
    `<playedOtherProviderPatient classCode="PAT"><subjectOf typeCode="SBJ">` +
    `<${event} classCode="PCPR" moodCode="EVN"><code codeSystem="2.16.840.1.113883.2.1.3.2.4.17.37" code="1"/>` +
    `<performer typeCode="PRF"><${organisation} classCode="ASSIGNED"><id root="${ODS_ROOT}" extension="${attr(patient.gpOdsCode)}"/></${organisation}></performer>` +
    `</${event}></subjectOf></playedOtherProviderPatient>`
  );
}

function patientRole(patient: PatientRecord, event: string, organisation: string): string[] {
  return [
    `<patientRole classCode="PAT">`,
    `  ${address(patient)}`,
    `  <id root="${NHS_NUMBER_ROOT}" extension="${attr(patient.nhsNumber)}"/>`,
    `  <patientPerson classCode="PSN" determinerCode="INSTANCE">`,
    `    ${name(patient)}`,
    `    <administrativeGenderCode code="${genderCode[patient.gender] ?? "0"}"/>`,
    `    <birthTime value="${birthTime(patient)}"/>`,
    `    ${registeredGp(patient, event, organisation)}`,
    `  </patientPerson>`,
    `</patientRole>`,
  ];
}

function notFound(request: ResponderRequest, wrapper: string, nhsNumber: string | undefined): ResponderReply {
  return {
    interaction: "QUQI_IN010000UK14",
    wrapper,
    outcome:
      nhsNumber === undefined
        ? "no NHS number in the query: answered QUQI_IN010000UK14 AE (no data found)"
        : `no patient ${nhsNumber} in the scenario: answered QUQI_IN010000UK14 AE (no data found)`,
    xml: buildHl7Message(request, {
      interaction: "QUQI_IN010000UK14",
      acknowledgement: "AE",
      controlAct: [queryAck("NF")],
    }),
  };
}

/** PDS retrieval: the patient's demographics, or not found. */
export function pdsRetrieval(reply: string): Responder {
  return (request) => {
    const nhsNumber = request.hl7.nhsNumber;
    const patient = nhsNumber === undefined ? undefined : request.patient(nhsNumber);
    if (patient === undefined) return notFound(request, "retrievalQueryResponse", nhsNumber);
    const subject = patientRole(patient, "patientCareProvisionEvent", "assignedEntity").map(
      (l) => `      ${l}`,
    );
    return {
      interaction: reply,
      wrapper: "retrievalQueryResponse",
      outcome: `patient ${patient.nhsNumber} found`,
      xml: buildHl7Message(request, {
        interaction: reply,
        acknowledgement: "AA",
        controlAct: [
          `<subject typeCode="SUBJ">`,
          `  <PDSResponse classCode="OBS" moodCode="EVN">`,
          `    <pertinentInformation typeCode="PERT"><pertinentSerialChangeNumber classCode="OBS" moodCode="EVN"><code code="2" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.35"/><value value="1"/></pertinentSerialChangeNumber></pertinentInformation>`,
          `    <subject typeCode="SBJ">`,
          ...subject,
          `    </subject>`,
          `  </PDSResponse>`,
          `</subject>`,
          queryAck("OK"),
        ],
      }),
    };
  };
}

/** PDS simple trace by NHS number: one PdsTraceMatch, or not found. */
export function pdsSimpleTrace(reply: string): Responder {
  return (request) => {
    const nhsNumber = request.hl7.nhsNumber;
    // A trace on demographics alone needs a search the scenario store does not offer yet.
    if (nhsNumber === undefined) return undefined;
    const patient = request.patient(nhsNumber);
    if (patient === undefined) return notFound(request, "traceQueryResponse", nhsNumber);
    const subject = patientRole(patient, "patientCareProvision", "assignedOrganization").map(
      (l) => `      ${l}`,
    );
    return {
      interaction: reply,
      wrapper: "traceQueryResponse",
      outcome: `patient ${patient.nhsNumber} matched`,
      xml: buildHl7Message(request, {
        interaction: reply,
        acknowledgement: "AA",
        controlAct: [
          `<subject typeCode="SUBJ">`,
          `  <PdsTraceMatch classCode="OBS" moodCode="EVN">`,
          `    <subject typeCode="SBJ">`,
          ...subject,
          `    </subject>`,
          `  </PdsTraceMatch>`,
          `</subject>`,
          queryAck("OK"),
        ],
      }),
    };
  };
}

/** PDS general update: `PRPA_IN000202UK01` AA with a serial change number, as the PTL capture. */
export const pdsUpdate: Responder = (request) => ({
  interaction: "PRPA_IN000202UK01",
  outcome: "update accepted (PRPA_IN000202UK01 AA)",
  xml: buildHl7Message(request, {
    interaction: "PRPA_IN000202UK01",
    acknowledgement: "AA",
    controlAct: [
      `<subject typeCode="SUBJ" contextConductionInd="false">`,
      `  <PdsSuccessfulUpdateResponse classCode="REG" moodCode="EVN"><pertinentInformation typeCode="PERT"><pertinentSerialChangeNumber classCode="OBS" moodCode="EVN"><code code="2" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.35"/><value value="2"/></pertinentSerialChangeNumber></pertinentInformation></PdsSuccessfulUpdateResponse>`,
      `</subject>`,
    ],
  }),
});
