/**
 * The one composition root: builds the store, clock, journal, scenario data, PKI and every listener,
 * and hands each a typed deps object. `start()` resolves when every listener is bound and ready;
 * `stop()` closes everything it opened.
 */
import { randomUUID } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Server as NetServer } from "node:net";
import type { SimulatorConfig } from "./config/config-schema.js";
import { environments } from "./config/environments.js";
import { createClock, VirtualClock, type Clock } from "./core/clock.js";
import { resolveSpineEndpoints } from "./core/directory/build-entries.js";
import { buildDirectoryIndex, type DirectoryIndex } from "./core/directory/directory-index.js";
import { storedDirectoryEntries } from "./core/directory/directory-sources.js";
import { createLdifCommands, type LdifCommands } from "./core/directory/ldif-commands.js";
import { SdsBehaviourControl } from "./core/directory/sds-behaviour.js";
import {
  planRegistration,
  type EndpointRegistration,
  type RegisteredEndpointInfo,
} from "./core/directory/register-endpoint.js";
import { Journal } from "./core/journal/journal.js";
import { classifySupplierAnswer } from "./core/mhs/classify-answer.js";
import { DeliveryWorker } from "./core/mhs/delivery-worker.js";
import { createMhsService } from "./core/mhs/mhs-service.js";
import { createResponders } from "./core/mhs/responders/index.js";
import { loadReplyTemplates } from "./core/mhs/responders/scenario-templates.js";
import { cachedMhsRoutes } from "./core/mhs/sds-routes.js";
import { SimError } from "./core/errors.js";
import { ensureScenarioLoaded, type ApplyResult } from "./core/scenarios/apply-scenario.js";
import { openSqliteStore } from "./core/store/sqlite-store.js";
import type { DirectoryEntry, ReadyEndpoint, Store } from "./core/store/store.js";
import { createLogger, type Logger } from "./logging/logger.js";
import { scenariosDir as shippedScenariosDir } from "./paths.js";
import { createControlApp } from "./servers/control/control-app.js";
import { createHttpApp } from "./servers/http/http-app.js";
import { createHttpsServer } from "./servers/http/https-server.js";
import { gazetteerRoutes } from "./servers/gazetteer/gazetteer-routes.js";
import { ssbRoutes } from "./servers/ssb/ssb-routes.js";
import { cachedSsbPeople } from "./core/ssb/ssb-people.js";
import { createSsbService } from "./core/ssb/ssb-service.js";
import { createLdapServer } from "./servers/ldap/ldap-server.js";
import { mhsRoutes } from "./servers/mhs/mhs-routes.js";
import { createOutboundTransport, type ClosableTransport } from "./servers/mhs/outbound-transport.js";
import { listen, urlOf, type Listening } from "./servers/listen.js";
import type { Health, ServerDeps } from "./servers/server-deps.js";
import { ensurePki, type Pki } from "./tls/pki.js";
import { createServer as createHttpServer } from "node:http";
import { version } from "./version.js";

export interface ReadyEndpointInfo extends ReadyEndpoint {
  readonly certFile: string;
  readonly keyFile: string;
}

/** What start() resolves to; also the content of the --ready-file. */
export interface ReadyInfo {
  readonly https: string;
  readonly ldap: string;
  readonly ldaps: string;
  readonly control: string;
  readonly caFile: string;
  readonly environment: string;
  readonly scenario: string;
  readonly publicUrl: string;
  readonly mtls: boolean;
  readonly endpoints: readonly ReadyEndpointInfo[];
}

export interface Simulator {
  readonly config: SimulatorConfig;
  readonly store: Store;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly logger: Logger;
  start(): Promise<ReadyInfo>;
  stop(): Promise<void>;
  /** The SDS entries as clients see them (Spine endpoints resolved); empty before start(). */
  directory(): readonly DirectoryEntry[];
  registerEndpoint(registration: EndpointRegistration): Promise<RegisteredEndpointInfo>;
  /** SDS LDIF import (into the overlay, served at once) and export (Spine endpoints resolved). */
  readonly importLdif: LdifCommands["importLdif"];
  readonly exportLdif: LdifCommands["exportLdif"];
  /** The SDS fault hook: search delay and availability (scenario `sds`, PUT /_control/sds/behaviour). */
  readonly sdsBehaviour: SdsBehaviourControl;
}

export interface SimulatorOptions {
  readonly logger?: Logger;
  readonly scenariosDir?: string;
  /**
   * Delay before an async reply's first delivery attempt (default 500 ms, mhs-wire.md §7.4). For
   * embedding tests and the bench until scenarios carry it.
   */
  readonly mhsReplyDelayMs?: number;
}

type ListenerName = "https" | "ldap" | "ldaps" | "control";

export function createSimulator(config: SimulatorConfig, options: SimulatorOptions = {}): Simulator {
  const logger = options.logger ?? createLogger(config);
  const env = environments[config.env];
  const scenariosDir = options.scenariosDir ?? shippedScenariosDir;
  const store = openSqliteStore(config.db ?? join(config.dataDir, "spine-sim.db"));
  const clock = createClock(config.clock);
  const journal = new Journal(store, clock);
  let scenario: ApplyResult;
  try {
    scenario = ensureScenarioLoaded(store, config.scenario, scenariosDir, config.env, clock.now());
  } catch (error) {
    store.close();
    throw error;
  }
  logger.info({ scenario: scenario.name, reloaded: scenario.reloaded }, "scenario ready");
  // MHS responders: the built-in ones plus the scenario's reply templates (docs/mhs.md).
  let responders: ReturnType<typeof createResponders>;
  try {
    responders = createResponders(loadReplyTemplates(scenario.file));
  } catch (error) {
    store.close();
    throw error;
  }
  // The SDS fault hook: the scenario's `sds` section now, the control API at run time.
  const sdsBehaviour = new SdsBehaviourControl({
    journal,
    logger: logger.child({ component: "sds" }),
    now: () => clock.now(),
  });
  if (scenario.scenario.sds.delayMs > 0 || scenario.scenario.sds.unavailable)
    sdsBehaviour.set(scenario.scenario.sds, "scenario");

  const status: Record<ListenerName, "starting" | "ready" | "stopped"> = {
    https: "starting",
    ldap: "starting",
    ldaps: "starting",
    control: "starting",
  };
  // Ready means every listener is bound and the ready file (if asked for) is written.
  let started = false;
  const health = (): Health => ({
    ready: started && Object.values(status).every((s) => s === "ready"),
    listeners: { ...status },
  });
  const deps: ServerDeps = { config, env, store, journal, clock, logger, version, health };

  let pki: Pki | undefined;
  let directory: DirectoryEntry[] = [];
  let directoryIndex: DirectoryIndex = buildDirectoryIndex([], { version: 0 });
  let publicUrl = "";
  const listening: Listening[] = [];

  const rebuildDirectory = (): void => {
    // Spine's endpoints are only known once the HTTPS listener is bound.
    if (publicUrl === "") return;
    directory = resolveSpineEndpoints(storedDirectoryEntries(store), publicUrl);
    // The SDS search index is built once per directory version, never per search.
    directoryIndex = buildDirectoryIndex(directory, { version: directoryIndex.version + 1 });
    for (const warning of directoryIndex.warnings) logger.warn({ component: "sds" }, warning);
  };

  const registerEndpoint = async (registration: EndpointRegistration): Promise<RegisteredEndpointInfo> => {
    const asids = new Set([
      ...storedDirectoryEntries(store).flatMap((e) =>
        e.objectClasses.includes("nhsAs") ? (e.attributes.uniqueIdentifier ?? []) : [],
      ),
      ...store.registeredEndpoints().map((e) => e.asid),
    ]);
    const planned = planRegistration(registration, store, asids, clock.now());
    store.registerEndpoint(planned);
    rebuildDirectory();
    const credential = (pki ?? (await ensurePki({ certsDir: config.certsDir, env }))).ensureEndpoint(
      new URL(planned.url).hostname,
    );
    journal.record({
      kind: "endpoint.registered",
      listener: "control",
      summary: `registered ${planned.partyKey} (ASID ${planned.asid}) at ${planned.url}`,
    });
    return {
      ...planned,
      fqdn: credential.fqdn,
      certFile: credential.cert,
      keyFile: credential.key,
      p12File: credential.p12,
    };
  };

  const ldapDeps = { ...deps, directory: () => directoryIndex, sdsBehaviour: () => sdsBehaviour.current() };
  const ldif = createLdifCommands({
    store,
    journal,
    logger,
    now: () => clock.now(),
    rebuild: () => {
      rebuildDirectory();
      return directoryIndex.version;
    },
    defaultPublicUrl: () =>
      publicUrl !== ""
        ? publicUrl
        : (config.publicUrl ??
          (config.httpsPort === 0 ? undefined : `https://localhost:${config.httpsPort}`)),
  });

  // MHS messaging: the inbound pipelines (built now), the delivery worker and its mutual-TLS
  // transport (built in start(), once the PKI exists). The worker resumes the outbox at start.
  let worker: DeliveryWorker | undefined;
  let transport: ClosableTransport | undefined;
  const mhs = createMhsService({
    clock,
    journal,
    messages: store.messages,
    logger: logger.child({ component: "mhs" }),
    routes: cachedMhsRoutes(() => directory, env.spine),
    patient: (nhsNumber) => store.patient(nhsNumber),
    spine: env.spine,
    newId: () => randomUUID().toUpperCase(),
    responders,
    replyDelayMs: options.mhsReplyDelayMs ?? 500,
    poke: () => worker?.poke(),
  });
  const advanceClock = (milliseconds: number): Date => {
    if (!(clock instanceof VirtualClock)) {
      throw new SimError("CONFIG_INVALID", "The clock is real; only a virtual clock can be moved", {
        hint: "Start spine-sim with --clock virtual to drive time from tests.",
        details: { setting: "clock", value: config.clock },
      });
    }
    const now = clock.advance(milliseconds);
    worker?.poke();
    return now;
  };

  // Spine Security Broker: sessions in SQLite, people read from SDS once per directory version.
  const ssbPeople = cachedSsbPeople(() => directory);
  const ssb = createSsbService({
    sessions: store.ssbSessions,
    smartcard: (id) => store.smartcard(id),
    people: ssbPeople,
    clock,
  });

  async function start(): Promise<ReadyInfo> {
    pki = await ensurePki({ certsDir: config.certsDir, env });
    const tls = pki.tlsServerOptions();
    transport = createOutboundTransport({
      certFile: pki.paths.msgOutCert,
      keyFile: pki.paths.msgOutKey,
      caFile: pki.paths.caBundle,
    });
    worker = new DeliveryWorker({
      messages: store.messages,
      journal,
      clock,
      logger: logger.child({ component: "mhs-outbound" }),
      transport,
      classify: classifySupplierAnswer,
    });
    const mhsRouter = mhsRoutes({
      service: mhs,
      maxBodyBytes: config.maxBodyBytes,
      spinePartyKey: env.spine.partyKey,
    });
    const servers: [ListenerName, NetServer, number, Parameters<typeof listen>[3], string][] = [
      [
        "https",
        createHttpsServer(
          deps,
          tls,
          createHttpApp(deps, [gazetteerRoutes(deps), ssbRoutes(deps, ssb), mhsRouter]),
        ),
        config.httpsPort,
        "httpsPort",
        config.host,
      ],
      ["ldap", createLdapServer(ldapDeps).netServer, config.ldapPort, "ldapPort", config.host],
      ["ldaps", createLdapServer(ldapDeps, tls).netServer, config.ldapsPort, "ldapsPort", config.host],
      [
        "control",
        createHttpServer(
          createControlApp({
            ...deps,
            registerEndpoint,
            advanceClock,
            sdsBehaviour,
            importLdif: ldif.importLdif,
            ssb,
            ssbPeople,
          }),
        ),
        config.controlPort,
        "controlPort",
        config.controlHost,
      ],
    ];
    const bound = new Map<ListenerName, Listening>();
    const results = await Promise.allSettled(
      servers.map(async ([name, server, port, setting, host]) => {
        const l = await listen(server, host, port, setting);
        listening.push(l);
        bound.set(name, l);
        status[name] = "ready";
      }),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure !== undefined) {
      await stop();
      throw failure.reason;
    }
    const at = (name: ListenerName): Listening => bound.get(name) as Listening;
    publicUrl = config.publicUrl ?? `https://localhost:${at("https").port}`;
    rebuildDirectory();
    // Pending deliveries survive restarts (even kill -9): the outbox is in SQLite.
    worker.start();

    const quickStart = store.loadedScenario()?.quickStart;
    const ready = [...(quickStart === undefined ? [] : [quickStart]), ...store.registeredEndpoints()];
    const endpoints = ready.map((endpoint) => {
      const credential = (pki as Pki).ensureEndpoint(new URL(endpoint.url).hostname);
      return {
        odsCode: endpoint.odsCode,
        partyKey: endpoint.partyKey,
        asid: endpoint.asid,
        url: endpoint.url,
        certFile: credential.cert,
        keyFile: credential.key,
      };
    });
    const info: ReadyInfo = {
      https: urlOf("https", at("https")),
      ldap: urlOf("ldap", at("ldap")),
      ldaps: urlOf("ldaps", at("ldaps")),
      control: urlOf("http", at("control")),
      caFile: resolve(pki.paths.caBundle),
      environment: env.name,
      scenario: scenario.name,
      publicUrl,
      mtls: config.mtls === "on",
      endpoints,
    };
    if (config.readyFile !== undefined) writeReadyFile(config.readyFile, info);
    started = true;
    journal.record({ kind: "simulator.started", summary: `spine-sim ${version} ready on ${info.https}` });
    logger.info(info, "all listeners ready");
    return info;
  }

  async function stop(): Promise<void> {
    if (started && config.readyFile !== undefined) rmSync(config.readyFile, { force: true });
    started = false;
    const closing = listening.splice(0).map((l) => l.close());
    await Promise.allSettled(closing);
    await worker?.stop();
    await transport?.close();
    for (const name of Object.keys(status) as ListenerName[]) status[name] = "stopped";
    store.close();
  }

  return {
    config,
    store,
    journal,
    clock,
    logger,
    start,
    stop,
    directory: () => directory,
    registerEndpoint,
    importLdif: ldif.importLdif,
    exportLdif: ldif.exportLdif,
    sdsBehaviour,
  };
}

/** Written atomically (temporary file, then rename) so that a watcher never reads half a file. */
function writeReadyFile(file: string, info: ReadyInfo): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(temporary, file);
}
