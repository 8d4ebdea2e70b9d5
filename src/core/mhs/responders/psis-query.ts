/**
 * The PSIS event list query (`QUPC_IN160101UK05`, unreliable) answered with `QUPC_IN160102UK05`.
 * The simulator holds no PSIS records, so the reply is an accepted query with no events: AA and
 * queryResponseCode NF (SIM-OWN: HL7's "no data found"; the real reply's event list is not public).
 */
import { buildHl7Message, queryAck } from "./hl7-message.js";
import type { Responder } from "./responder.js";

export const psisEventListQuery: Responder = (request) => ({
  interaction: "QUPC_IN160102UK05",
  outcome:
    request.hl7.nhsNumber === undefined
      ? "PSIS event list: no events (the simulator holds no PSIS records)"
      : `PSIS event list for ${request.hl7.nhsNumber}: no events (the simulator holds no PSIS records)`,
  xml: buildHl7Message(request, {
    interaction: "QUPC_IN160102UK05",
    acknowledgement: "AA",
    controlAct: [queryAck("NF")],
  }),
});
