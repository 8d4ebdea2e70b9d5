/**
 * The responders, as data: request interaction id → responder. Built once by the composition
 * root. Interactions without an entry get their pattern's default (decision V12): a SOAP Fault
 * TMS 9002 on the web service, MCCI AA on the reliable pattern, MCCI AE 914 on the unreliable one.
 */
import { SimError } from "../../errors.js";
import { acceptReliableUpdate } from "./application-ack.js";
import { pdsRetrieval, pdsSimpleTrace, pdsUpdate } from "./pds.js";
import { psisEventListQuery } from "./psis-query.js";
import type { Responder } from "./responder.js";
import { templateResponder, type ReplyTemplate } from "./template.js";

const builtIn: readonly (readonly [interaction: string, responder: Responder])[] = [
  // PDS retrieval (web service)
  ["QUPA_IN040000UK32", pdsRetrieval("QUPA_IN050000UK32")],
  ["QUPA_IN000008UK02", pdsRetrieval("QUPA_IN000009UK03")],
  ["QUPA_IN000008UK05", pdsRetrieval("QUPA_IN000009UK03")],
  // PDS simple trace (web service)
  ["QUPA_IN000005UK01", pdsSimpleTrace("QUPA_IN000007UK01")],
  ["QUPA_IN000005UK03", pdsSimpleTrace("QUPA_IN000007UK03")],
  // PDS update (reliable)
  ["PRPA_IN000203UK03", pdsUpdate],
  // Reliable updates answered with an application acknowledgement
  ["REPC_IN150016UK05", acceptReliableUpdate],
  ["PORX_IN020101UK31", acceptReliableUpdate],
  // PSIS event list query (unreliable)
  ["QUPC_IN160101UK05", psisEventListQuery],
];

/** The built-in responders plus one per reply template (a template replaces a built-in). */
export function createResponders(
  templates: ReadonlyMap<string, ReplyTemplate> = new Map(),
): ReadonlyMap<string, Responder> {
  const responders = new Map<string, Responder>(builtIn);
  for (const [interaction, template] of templates) {
    try {
      responders.set(interaction, templateResponder(template));
    } catch (error) {
      throw new SimError(
        "SCENARIO_INVALID",
        `The reply template for ${interaction} cannot be used: ${(error as Error).message}`,
        {
          hint: "Fix the placeholder in the scenario's respond rule; see docs/mhs.md for the list.",
          details: { interaction },
        },
      );
    }
  }
  return responders;
}

export type { Responder, ResponderReply, ResponderRequest } from "./responder.js";
export type { ReplyTemplate } from "./template.js";
