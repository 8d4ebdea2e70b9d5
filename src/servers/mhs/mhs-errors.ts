/**
 * The MHS answers as bytes (errors.md §1, mhs-wire.md §5, §8): SOAP Faults with HTTP 500, ebXML
 * MessageErrors with HTTP 200, both with `Content-Type` exactly `text/xml` (the MHS adaptor refuses
 * any parameter, §9 C3–C4); replies as the pipeline built them. The rule ids behind an answer go in
 * `X-Spine-Sim-Rules` (validation-rules.md V16), which clients ignore.
 */
import { buildMessageError } from "../../core/messaging/ebxml-build.js";
import type { MhsAnswer } from "../../core/mhs/mhs-types.js";
import { buildSoapFault } from "../http/soap-fault.js";

export interface WireAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export const TEXT_XML = "text/xml";

export function toWire(answer: MhsAnswer, spinePartyKey: string): WireAnswer {
  const rules =
    answer.ruleIds === undefined || answer.ruleIds.length === 0
      ? {}
      : { "x-spine-sim-rules": answer.ruleIds.join(",") };
  switch (answer.kind) {
    case "reply":
      return {
        status: answer.status,
        headers: {
          ...(answer.contentType === undefined ? {} : { "content-type": answer.contentType }),
          ...rules,
        },
        body: answer.body,
      };
    case "fault":
      return {
        status: 500,
        headers: { "content-type": TEXT_XML, ...rules },
        body: Buffer.from(buildSoapFault(answer.errors), "utf8"),
      };
    case "messageError":
      return {
        status: 200,
        headers: { "content-type": TEXT_XML, ...rules },
        body: Buffer.from(
          buildMessageError(answer.request, answer.errors, {
            now: answer.now,
            messageId: answer.messageId,
            spinePartyKey,
          }),
          "utf8",
        ),
      };
  }
}
