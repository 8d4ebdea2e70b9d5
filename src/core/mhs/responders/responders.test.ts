import { describe, expect, it } from "vitest";
import { readHl7Wrapper } from "../../messaging/hl7.js";
import type { PatientRecord } from "../../store/store.js";
import { createResponders } from "./index.js";
import type { ResponderRequest } from "./responder.js";
import { templateResponder } from "./template.js";

const patient: PatientRecord = {
  nhsNumber: "9990000018",
  title: "Ms",
  givenName: "Ada <&>",
  familyName: "Lovelace",
  gender: "female",
  birthDate: "1990-12-10",
  addressLines: ["1 Example Street", "Leeds"],
  postcode: "LS1 1AA",
  gpOdsCode: "A20047",
  provenance: "synthetic",
};

function request(interaction: string, nhsNumber: string | undefined): ResponderRequest {
  const query =
    nhsNumber === undefined
      ? "<query><person.name><value><family>X</family></value></person.name></query>"
      : `<query><person.id><value root="2.16.840.1.113883.2.1.4.1" extension="${nhsNumber}"/></person.id></query>`;
  let n = 0;
  return {
    pattern: "sync",
    service: "urn:nhs:names:services:pdsquery",
    interaction,
    hl7: readHl7Wrapper(
      `<${interaction} xmlns="urn:hl7-org:v3"><id root="REQ-HL7"/><interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="${interaction}"/><ControlActEvent>${query}</ControlActEvent></${interaction}>`,
    ),
    senderAsid: "999900000001",
    spineAsid: "928942012545",
    now: new Date("2024-03-14T13:05:12Z"),
    newId: () => `ID-${++n}`,
    patient: (nhs) => (nhs === patient.nhsNumber ? patient : undefined),
  };
}

const responders = createResponders();
const respond = (interaction: string, nhsNumber: string | undefined) =>
  responders.get(interaction)?.(request(interaction, nhsNumber));

describe("responders", () => {
  it("answers a PDS simple trace by NHS number with a PdsTraceMatch in traceQueryResponse", () => {
    const reply = respond("QUPA_IN000005UK03", patient.nhsNumber);
    expect(reply?.interaction).toBe("QUPA_IN000007UK03");
    expect(reply?.wrapper).toBe("traceQueryResponse");
    const hl7 = readHl7Wrapper(reply?.xml ?? "");
    expect(hl7.acknowledgement).toMatchObject({ typeCode: "AA", messageRef: "REQ-HL7" });
    expect(hl7.nhsNumber).toBe(patient.nhsNumber);
    expect(reply?.xml).toContain("<given>Ada &lt;&amp;&gt;</given>");
    expect(reply?.xml).toContain('<administrativeGenderCode code="2"/>');
    expect(reply?.xml).toContain("<PdsTraceMatch");
  });

  it("answers an unknown NHS number with QUQI_IN010000UK14 AE, and leaves a demographic-only trace unanswered", () => {
    const reply = respond("QUPA_IN040000UK32", "9990000026");
    expect(reply?.interaction).toBe("QUQI_IN010000UK14");
    expect(readHl7Wrapper(reply?.xml ?? "").acknowledgement?.typeCode).toBe("AE");
    expect(respond("QUPA_IN000005UK01", undefined)).toBeUndefined();
  });

  it("answers a PDS update with PRPA_IN000202UK01 AA referring to the request's HL7 id", () => {
    const reply = respond("PRPA_IN000203UK03", undefined);
    expect(reply?.interaction).toBe("PRPA_IN000202UK01");
    expect(readHl7Wrapper(reply?.xml ?? "").acknowledgement).toMatchObject({
      typeCode: "AA",
      messageRef: "REQ-HL7",
    });
  });

  it("renders a template with escaped substitutions", () => {
    const responder = templateResponder({
      reply: "XXXX_IN000001UK01",
      template:
        '<XXXX_IN000001UK01 xmlns="urn:hl7-org:v3"><id root="{{messageId}}"/><ref root="{{ refToMessageId }}"/><name>{{patient.givenName}}</name></XXXX_IN000001UK01>',
    });
    const reply = responder(request("QUPA_IN040000UK32", patient.nhsNumber));
    expect(reply?.xml).toBe(
      '<XXXX_IN000001UK01 xmlns="urn:hl7-org:v3"><id root="ID-1"/><ref root="REQ-HL7"/><name>Ada &lt;&amp;&gt;</name></XXXX_IN000001UK01>',
    );
  });

  it("refuses a template with an unknown placeholder when it is compiled, naming the known ones", () => {
    expect(() => templateResponder({ reply: "X", template: "{{mesageId}}" })).toThrow(
      /\{\{mesageId\}\}.*messageId/,
    );
  });
});
