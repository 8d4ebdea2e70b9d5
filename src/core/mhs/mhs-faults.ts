/**
 * SOAP Fault answers as data (errors.md §2): wire problems map through tmsErrorFor; the MHS adds
 * TMS 101 for a service-interaction this path does not serve (HTTP-004) and TMS 9002 when no
 * responder is configured (decision V12). The HTTP adapter turns these into bytes.
 */
import { tmsErrorFor, type WireProblem } from "../messaging/wire-problem.js";
import { parseSoapAction, type SoapAction } from "../messaging/soap-action.js";
import type { MhsFault } from "./mhs-types.js";
import type { MhsEntry, MhsRoutes } from "./sds-routes.js";

export function faultOf(problems: readonly WireProblem[]): MhsFault {
  const [first, ...rest] = problems.map(tmsErrorFor);
  if (first === undefined) throw new Error("faultOf needs at least one problem");
  return { kind: "fault", errors: [first, ...rest], ruleIds: problems.map((p) => p.ruleId) };
}

export function tmsFault(ruleId: string, code: string, location: string, description: string): MhsFault {
  return { kind: "fault", errors: [{ code, location, description }], ruleIds: [ruleId] };
}

export const NOT_SUPPORTED = "The service/interaction is not supported for the requested URI";
export const NO_RESPONDER = "No simulated response is configured for this interaction";

/** An MHS exception carrying the problem that stops an exchange, with the text that explains it. */
export class MhsRefusal extends Error {
  override readonly name = "MhsRefusal";
  constructor(
    readonly fault: MhsFault,
    message: string,
  ) {
    super(message);
  }
}

/**
 * HTTP-003 and HTTP-004: the SOAPAction names a service-interaction that Spine's SDS entry routes
 * to this path. Returns the Spine entry; throws a WireError (HTTP-003) or an MhsRefusal (TMS 101).
 */
export function routeSoapAction(
  routes: MhsRoutes,
  header: MhsRequestLike["soapAction"],
  path: string,
): { action: SoapAction; spineEntry: MhsEntry; svcIA: string } {
  const action = parseSoapAction(header);
  const svcIA = `${action.service}:${action.interaction}`;
  const spineEntry = action.interaction === "" ? undefined : routes.spineEntry(svcIA);
  if (spineEntry === undefined || spineEntry.path !== path) {
    const why =
      action.interaction === ""
        ? `SOAPAction "${action.raw}" has no /<interaction>; send <service>/<interaction>`
        : spineEntry === undefined
          ? `Spine has no SDS entry for ${svcIA}: it is not an interaction Spine receives in this scenario`
          : `${svcIA} is served at ${spineEntry.path}, not ${path}`;
    throw new MhsRefusal(tmsFault("HTTP-004", "101", "HTTP Header - SOAPAction", NOT_SUPPORTED), why);
  }
  return { action, spineEntry, svcIA };
}

interface MhsRequestLike {
  readonly soapAction: string | readonly string[] | undefined;
}
