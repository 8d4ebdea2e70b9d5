/**
 * The MHS pipelines in process, with everything that varies pinned: a virtual clock at a fixed
 * instant, message ids from a counter, the shipped int scenario in an in-memory store and one
 * registered supplier. Answers are turned into bytes by the same mapper the HTTP adapter uses, so
 * these transcripts are exactly what goes on the wire.
 */
import { pino } from "pino";
import { VirtualClock } from "../../src/core/clock.js";
import { registeredEndpointEntries, resolveSpineEndpoints } from "../../src/core/directory/build-entries.js";
import { planRegistration } from "../../src/core/directory/register-endpoint.js";
import { Journal } from "../../src/core/journal/journal.js";
import { createMhsService, type MhsService } from "../../src/core/mhs/mhs-service.js";
import type { MhsRequest } from "../../src/core/mhs/mhs-types.js";
import { createResponders } from "../../src/core/mhs/responders/index.js";
import { cachedMhsRoutes } from "../../src/core/mhs/sds-routes.js";
import { ensureScenarioLoaded } from "../../src/core/scenarios/apply-scenario.js";
import { openSqliteStore } from "../../src/core/store/sqlite-store.js";
import type { DirectoryEntry, RegisteredEndpoint, Store } from "../../src/core/store/store.js";
import { scenariosDir } from "../../src/paths.js";
import { toWire } from "../../src/servers/mhs/mhs-errors.js";

export const FIXED_NOW = new Date("2024-03-14T13:05:12Z");
export const SUPPLIER_URL = "https://127.0.0.1:9443/reliablemessaging/inbound";

export interface InProcessMhs {
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly journal: Journal;
  readonly service: MhsService;
  readonly supplier: RegisteredEndpoint;
  readonly directory: readonly DirectoryEntry[];
  /** The request and its answer as transcript text. */
  exchange(request: MhsRequest): {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
    transcript: string;
  };
  readonly pokes: number;
}

/** Ids 00000000-0000-4000-8000-000000000001, …002, … */
export function counterIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
}

export function startInProcessMhs(interactions: readonly string[]): InProcessMhs {
  const store = openSqliteStore(":memory:");
  const clock = new VirtualClock(FIXED_NOW);
  const journal = new Journal(store, clock);
  ensureScenarioLoaded(store, "int", scenariosDir, "int", FIXED_NOW);
  const supplier = planRegistration(
    { odsCode: "Z99300", url: SUPPLIER_URL, interactions },
    store,
    new Set(),
    FIXED_NOW,
  );
  store.registerEndpoint(supplier);
  const directory = resolveSpineEndpoints(
    [...store.directoryEntries(), ...registeredEndpointEntries(store.registeredEndpoints())],
    "https://localhost:8443",
  );
  const env = { partyKey: "YES-0000806", asid: "928942012545" };
  const state = { pokes: 0 };
  const service = createMhsService({
    clock,
    journal,
    messages: store.messages,
    logger: pino({ level: "silent" }),
    routes: cachedMhsRoutes(() => directory, env),
    patient: (nhsNumber) => store.patient(nhsNumber),
    spine: env,
    newId: counterIds(),
    responders: createResponders(),
    replyDelayMs: 500,
    poke: () => {
      state.pokes++;
    },
  });
  return {
    store,
    clock,
    journal,
    service,
    supplier,
    directory,
    exchange(request) {
      const wire = toWire(service.handle(request), env.partyKey);
      const transcript = [
        `> POST ${request.path}`,
        ...(request.soapAction === undefined ? [] : [`> SOAPAction: ${String(request.soapAction)}`]),
        ...(request.contentType === undefined ? [] : [`> Content-Type: ${request.contentType}`]),
        ">",
        request.body.toString("utf8"),
        `< HTTP ${wire.status}`,
        ...Object.entries(wire.headers).map(([name, value]) => `< ${name}: ${value}`),
        "<",
        wire.body.toString("utf8"),
      ].join("\n");
      return { status: wire.status, headers: { ...wire.headers }, body: wire.body, transcript };
    },
    get pokes() {
      return state.pokes;
    },
  };
}
