/**
 * The MHS as one protocol-neutral service: a request in, an answer out (data, never bytes on a
 * socket), with the journal, the received-message record and the outbox as side effects. Every
 * failure is logged and journalled here, so each adapter (HTTP today) only writes what it is given.
 */
import { isWireError, type WireProblem } from "../messaging/wire-problem.js";
import { ExchangeLog, type ExchangePattern } from "./exchange-log.js";
import { handleEbxml } from "./inbound-ebxml.js";
import { handleSyncService } from "./inbound-sync.js";
import { faultOf, MhsRefusal, NOT_SUPPORTED, tmsFault } from "./mhs-faults.js";
import type { MhsAnswer, MhsDeps, MhsFault, MhsRequest } from "./mhs-types.js";

/** Spine's messaging paths (validation-rules.md HTTP-002) and the pattern each one serves. */
export const mhsPaths: Readonly<Record<string, ExchangePattern>> = {
  "/sync-service": "sync",
  "/reliablemessaging/reliablerequest": "reliable",
  "/reliablemessaging/queryrequest": "unreliable",
  "/reliablemessaging/intermediary": "intermediary",
  // The alias OpenTest and the NHS adaptor test rigs use (HTTP-002).
  "/reliablemessaging/forwardreliable": "intermediary",
};

export interface MhsService {
  handle(request: MhsRequest): MhsAnswer;
  /** A request refused before its body could be read (too large, unreadable): logged and journalled. */
  refuse(request: MhsRequest, problem: WireProblem): MhsFault;
  /** HTTP-001: a method other than POST; logged and journalled (the adapter answers 405). */
  methodNotAllowed(path: string, method: string): void;
}

const SYSTEM_FAILURE = tmsFault(
  "TMS-200",
  "200",
  "Not Supported",
  "System failure to process message - default",
);

export function createMhsService(deps: MhsDeps): MhsService {
  const patternOf = (path: string): ExchangePattern => mhsPaths[path] ?? "sync";

  const multiHop = {
    intermediary: () => {
      throw new MhsRefusal(
        tmsFault(
          "HTTP-004",
          "101",
          "HTTP Header - SOAPAction",
          `${NOT_SUPPORTED} (spine-sim does not simulate multi-hop messaging yet)`,
        ),
        "multi-hop (intermediary) messaging is not simulated yet; see docs/differences-from-spine.md",
      );
    },
  };

  const refused = (
    log: ExchangeLog,
    fault: MhsFault,
    why: string,
    problems?: readonly WireProblem[],
  ): MhsFault => {
    const codes = fault.errors.map((e) => e.code).join(", ");
    log.fail("mhs.refused", `refused with SOAP Fault TMS ${codes}: ${why}`, {
      ruleIds: fault.ruleIds,
      fault: fault.errors,
      ...(problems === undefined ? {} : { problems }),
      ...(log.requestRecorded ? {} : { request: log.requestDetail() }),
    });
    return fault;
  };

  // The outbox is poked once the exchange's transaction has committed, not from inside it.
  let pokes = 0;
  const exchangeDeps: MhsDeps = {
    ...deps,
    poke: () => {
      pokes++;
    },
  };
  const handlers: Readonly<Record<ExchangePattern, (log: ExchangeLog) => MhsAnswer>> = {
    ...multiHop,
    sync: (log) => handleSyncService(exchangeDeps, log),
    reliable: (log) => handleEbxml(exchangeDeps, log, "reliable"),
    unreliable: (log) => handleEbxml(exchangeDeps, log, "unreliable"),
  };

  const run = (log: ExchangeLog): MhsAnswer => {
    try {
      return handlers[log.pattern](log);
    } catch (error) {
      if (isWireError(error)) {
        return refused(log, faultOf(error.problems), error.message, error.problems);
      }
      if (error instanceof MhsRefusal) return refused(log, error.fault, error.message);
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error(
        { err: error, path: log.request.path, messageId: log.messageId },
        "unexpected failure in the MHS",
      );
      log.record("mhs.error", `unexpected failure, answered TMS 200: ${message}`, {
        ruleIds: SYSTEM_FAILURE.ruleIds,
        ...(log.requestRecorded ? {} : { request: log.requestDetail() }),
      });
      return SYSTEM_FAILURE;
    }
  };

  return {
    handle(request) {
      const log = new ExchangeLog(deps, patternOf(request.path), request);
      // Every write of one exchange (journal, received-message record, outbox) commits once.
      const pokesBefore = pokes;
      const answer = deps.messages.atomically(() => run(log));
      if (pokes !== pokesBefore) deps.poke();
      return answer;
    },
    refuse(request, problem) {
      const log = new ExchangeLog(deps, patternOf(request.path), request);
      return refused(log, faultOf([problem]), problem.message, [problem]);
    },
    methodNotAllowed(path, method) {
      const summary = `${method} ${path} refused with 405: Spine's messaging paths take POST (HTTP-001)`;
      deps.logger.warn({ path, method, ruleIds: ["HTTP-001"] }, summary);
      deps.journal.record({
        kind: "mhs.refused",
        listener: "https",
        summary,
        detail: { ruleIds: ["HTTP-001"], method, path },
      });
    },
  };
}
