/**
 * The interactions the simulator knows, as data: service, message pattern, business reply.
 *
 * Sources: the NHS MHS adaptor's `interactions.json` (service and workflow of each interaction;
 * workflow sync → sync, async-reliable → reliable, async-express → unreliable, forward-reliable →
 * intermediary), test-data.md §5 (replies), sds-ldap.md §4.1 and §6 (Spine's tms intermediary
 * entries and the contract properties of each pattern). Names of EPS interactions follow the EPS
 * HL7 v3 ↔ FHIR mapping table; names we have no source for say so rather than guess.
 */
import type { ContractSeed, MessagePattern } from "../scenarios/seed-schema.js";

export interface InteractionInfo {
  /** Interaction id (`nhsMHsIN`, the ebXML `Action`), e.g. QUPA_IN040000UK32. */
  readonly id: string;
  /** Service URN (`nhsMHsSN`, the ebXML `Service`), e.g. urn:nhs:names:services:pdsquery. */
  readonly service: string;
  readonly pattern: MessagePattern;
  /** Interaction id of the business reply, registered under this interaction's service. */
  readonly reply?: string;
  readonly description: string;
}

const urn = (name: string): string => `urn:nhs:names:services:${name}`;

const PDSQUERY = urn("pdsquery");
const PDS = urn("pds");
const PSISQUERY = urn("psisquery");
const PSIS = urn("psis");
const MM = urn("mm");
const MMQUERY = urn("mmquery");
const GP2GP = urn("gp2gp");
const EBS = urn("ebs");
const TMS = urn("tms");

/** Application acknowledgement, the business reply to many reliable interactions. */
const APP_ACK = "MCCI_IN010000UK13";

/** Description for interactions in interactions.json whose purpose no source in hand names. */
const listedOnly = (what: string): string =>
  `${what} listed in the MHS adaptor's interaction table (purpose not recorded here)`;

type Row = readonly [
  id: string,
  service: string,
  pattern: MessagePattern,
  description: string,
  reply?: string,
];

const rows: readonly Row[] = [
  // PDS queries (urn:nhs:names:services:pdsquery)
  ["QUPA_IN040000UK32", PDSQUERY, "sync", "PDS retrieval query", "QUPA_IN050000UK32"],
  ["QUPA_IN050000UK32", PDSQUERY, "sync", "PDS retrieval query response"],
  ["QUPA_IN040000UK14", PDSQUERY, "sync", "PDS retrieval query (earlier message version UK14)"],
  ["QUPA_IN000008UK02", PDSQUERY, "sync", "PDS retrieval query (QUPA_IN000008 family, UK02)"],
  ["QUPA_IN000008UK05", PDSQUERY, "sync", "PDS retrieval query (QUPA_IN000008 family, UK05)"],
  ["QUPA_IN000008SM13", PDSQUERY, "sync", listedOnly("PDS query (SM13)")],
  ["QUPA_IN010000UK32", PDSQUERY, "sync", "PDS simple trace query"],
  ["QUPA_IN010000UK13", PDSQUERY, "sync", "PDS simple trace query (earlier message version UK13)"],
  ["QUPA_IN000005UK01", PDSQUERY, "sync", "PDS simple trace query (QUPA_IN000005 family, UK01)"],
  ["QUPA_IN000005UK03", PDSQUERY, "sync", "PDS simple trace query (QUPA_IN000005 family, UK03)"],
  ["QUPA_IN020000UK31", PDSQUERY, "unreliable", "PDS trace query"],
  ["QUPA_IN020000UK14", PDSQUERY, "unreliable", "PDS trace query (earlier message version UK14)"],
  ["QUPA_IN000006UK02", PDSQUERY, "unreliable", listedOnly("PDS asynchronous query (UK02)")],
  ["QUPA_IN000006UK05", PDSQUERY, "unreliable", listedOnly("PDS asynchronous query (UK05)")],
  ["QUPA_IN000014UK01", PDSQUERY, "sync", listedOnly("PDS query (UK01)")],
  ["QUPA_IN000014UK03", PDSQUERY, "sync", listedOnly("PDS query (UK03)")],
  ["QUPA_IN000014SM03", PDSQUERY, "sync", listedOnly("PDS query (SM03)")],
  ["QUPA_IN000016UK02", PDSQUERY, "sync", listedOnly("PDS query")],
  ["QUPA_IN060000UK30", PDSQUERY, "sync", listedOnly("PDS query")],
  ["GET_NHS_NUMBER_REQUEST", PDSQUERY, "sync", listedOnly("PDS NHS number request")],

  // PDS updates (urn:nhs:names:services:pds)
  ["PRPA_IN000203UK03", PDS, "reliable", "PDS general update request", "PRPA_IN000202UK01"],
  ["PRPA_IN000202UK01", PDS, "reliable", "PDS general update request accepted"],
  ["PRPA_IN000203UK06", PDS, "reliable", "PDS general update request (later message version UK06)"],
  ["PRPA_IN000200UK03", PDS, "reliable", listedOnly("PDS update (UK03)")],
  ["PRPA_IN000200SM13", PDS, "reliable", listedOnly("PDS update (SM13)")],
  ["PRPA_IN000204SM13", PDS, "reliable", listedOnly("PDS update (SM13)")],
  ["PRPA_IN000205UK03", PDS, "reliable", listedOnly("PDS update (UK03)")],
  ["PRPA_IN000205UK05", PDS, "reliable", listedOnly("PDS update (UK05)")],
  ["PRPA_IN040000UK15", PDS, "reliable", listedOnly("PDS update (UK15)")],
  ["PRPA_IN040000UK30", PDS, "reliable", listedOnly("PDS update (UK30)")],
  ["PRPA_IN160000UK01", PDS, "reliable", listedOnly("PDS update (UK01)")],
  ["PRPA_IN160000UK30", PDS, "reliable", listedOnly("PDS update (UK30)")],

  // PSIS (urn:nhs:names:services:psis, …:psisquery)
  ["REPC_IN150016UK05", PSIS, "reliable", "PSIS GP summary upload", APP_ACK],
  ["REPC_IN150017UK02", PSIS, "reliable", listedOnly("PSIS record message (UK02)")],
  ["REPC_IN150018UK02", PSIS, "reliable", listedOnly("PSIS record message (UK02)")],
  ["QUPC_IN160101UK05", PSISQUERY, "unreliable", "PSIS event list query", "QUPC_IN160102UK05"],
  ["QUPC_IN160102UK05", PSISQUERY, "unreliable", "PSIS event list query response"],
  ["QUPC_IN160103UK05", PSISQUERY, "unreliable", listedOnly("PSIS asynchronous query")],
  ["QUPC_IN180000UK04", PSISQUERY, "sync", listedOnly("PSIS query")],
  ["QUPC_IN190000UK04", PSISQUERY, "sync", listedOnly("PSIS query")],

  // EPS (urn:nhs:names:services:mm, …:mmquery)
  ["PORX_IN020101UK31", MM, "reliable", "EPS parent prescription", APP_ACK],
  ["PORX_IN020101UK04", MM, "reliable", "EPS parent prescription (earlier message version UK04)"],
  ["PORX_IN020102UK31", MM, "reliable", listedOnly("EPS prescribing message (UK31)")],
  ["PORX_IN020102UK04", MM, "reliable", listedOnly("EPS prescribing message (UK04)")],
  ["PORX_IN030101UK32", MM, "reliable", "EPS cancel request", "PORX_IN050101UK31"],
  ["PORX_IN050101UK31", MM, "reliable", "EPS cancel response"],
  ["PORX_IN060102UK30", MM, "reliable", "EPS nominated prescription release request", "PORX_IN070101UK31"],
  ["PORX_IN070101UK31", MM, "reliable", "EPS nominated prescription release response"],
  ["PORX_IN080101UK31", MM, "reliable", "EPS dispense notification"],
  ["PORX_IN090101UK31", MM, "reliable", "EPS dispense claim information"],
  ["PORX_IN100101UK31", MM, "reliable", "EPS dispense proposal return"],
  ["PORX_IN510101UK31", MM, "reliable", "EPS dispense withdraw"],
  ["PORX_IN540101UK31", MM, "reliable", listedOnly("EPS dispensing message")],
  ["QURX_IN000005UK99", MMQUERY, "sync", listedOnly("EPS prescription query")],

  // GP2GP (urn:nhs:names:services:gp2gp), sent through Spine's reliable intermediary
  ["RCMR_IN010000UK05", GP2GP, "intermediary", "GP2GP EHR request", "RCMR_IN030000UK06"],
  // The requesting practice answers the extract with an application acknowledgement.
  ["RCMR_IN030000UK06", GP2GP, "intermediary", "GP2GP EHR extract", APP_ACK],
  ["RCMR_IN030000UK07", GP2GP, "intermediary", "GP2GP EHR extract (later message version UK07)", APP_ACK],
  ["COPC_IN000001UK01", GP2GP, "intermediary", "GP2GP common content: large-message fragments", APP_ACK],
  [
    APP_ACK,
    GP2GP,
    "intermediary",
    "Application acknowledgement; also registered under psis, pds, mm and other services as the reply to their requests",
  ],

  // e-RS (urn:nhs:names:services:ebs)
  [
    "PRSC_IN080000UK07",
    EBS,
    "intermediary",
    "e-RS slot polling, sent by a provider to e-RS via the intermediary",
  ],

  // Spine's own intermediary entries (sds-ldap.md §4.1); they carry the Spine contract of §6.
  ["ReliableIntermediary", TMS, "intermediary", "Spine reliable intermediary (multi-hop, forward reliable)"],
  ["ExpressIntermediary", TMS, "intermediary", "Spine express intermediary (multi-hop, forward express)"],
];

function buildCatalogue(): ReadonlyMap<string, InteractionInfo> {
  const map = new Map<string, InteractionInfo>();
  for (const [id, service, pattern, description, reply] of rows) {
    if (map.has(id)) throw new Error(`interaction catalogue lists ${id} twice`);
    map.set(
      id,
      reply === undefined
        ? { id, service, pattern, description }
        : { id, service, pattern, reply, description },
    );
  }
  return map;
}

/** Every known interaction, keyed by interaction id. */
export const interactions: ReadonlyMap<string, InteractionInfo> = buildCatalogue();

/** The service-qualified interaction (`nhsMhsSvcIA` / `nhsAsSvcIA`): service + ":" + id. */
export function svcIA(info: Pick<InteractionInfo, "service" | "id">): string {
  return `${info.service}:${info.id}`;
}

export function lookupInteraction(id: string): InteractionInfo | undefined {
  return interactions.get(id);
}

/** Splits "service:interaction" at the last colon (service URNs contain colons, ids do not). */
export function parseSvcIA(value: string): { service: string; interaction: string } | undefined {
  const at = value.lastIndexOf(":");
  if (at <= 0 || at === value.length - 1) return undefined;
  return { service: value.slice(0, at), interaction: value.slice(at + 1) };
}

/**
 * The interaction as registered under `service`. Replies are registered under the service of the
 * request they answer (SDS holds `urn:nhs:names:services:psis:MCCI_IN010000UK13` as well as the
 * gp2gp one), and then travel with the request's pattern: the application acknowledgement to a PSIS
 * upload is delivered reliably, not through the intermediary. Undefined when the pair is unknown.
 */
export function lookupServiceInteraction(service: string, id: string): InteractionInfo | undefined {
  const info = interactions.get(id);
  if (info === undefined) return undefined;
  if (info.service === service) return info;
  for (const request of interactions.values()) {
    if (request.service === service && request.reply === id) {
      return { ...info, service, pattern: request.pattern };
    }
  }
  return undefined;
}

/** True when `id` is the business reply of some interaction in the catalogue. */
export function isReplyInteraction(id: string): boolean {
  for (const info of interactions.values()) if (info.reply === id) return true;
  return false;
}

type Defined<K extends keyof ContractSeed> = NonNullable<ContractSeed[K]>;

/** The reliability contract of an nhsMhs entry (sds-ldap.md §4.1 attribute meanings). */
export interface PatternContract {
  readonly syncReplyMode: Defined<"syncReplyMode">;
  readonly ackRequested: Defined<"ackRequested">;
  readonly duplicateElimination: Defined<"duplicateElimination">;
  readonly actor: readonly string[];
  readonly retries?: number;
  readonly retryInterval?: string;
  readonly persistDuration?: string;
}

const TO_PARTY_MSH = "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH";
const NEXT_MSH = "urn:oasis:names:tc:ebxml-msg:actor:nextMSH";

/**
 * Contract properties of an nhsMhs entry per message pattern, from sds-ldap.md §6 (which reads
 * them from the NHS test harness's SDS reference file and the SDS API mock data). Seed data may
 * override any of them per entry.
 */
export const contractDefaults: Readonly<Record<MessagePattern, PatternContract>> = {
  // ebXML reliable asynchronous; the values of Spine's own PSIS entry S20001A000182.
  reliable: {
    syncReplyMode: "MSHSignalsOnly",
    ackRequested: "always",
    duplicateElimination: "always",
    actor: [TO_PARTY_MSH],
    retries: 2,
    retryInterval: "PT1M",
    persistDuration: "PT5M",
  },
  // ebXML unreliable asynchronous: the toPartyMSH actor is present but unused; no retries.
  unreliable: {
    syncReplyMode: "MSHSignalsOnly",
    ackRequested: "never",
    duplicateElimination: "never",
    actor: [TO_PARTY_MSH],
  },
  // Web service (synchronous SOAP): no ebXML reliability at all.
  sync: {
    syncReplyMode: "None",
    ackRequested: "never",
    duplicateElimination: "never",
    actor: [],
  },
  // Multi-hop, the end party's entry (GP2GP-style). Spine's own tms entries use
  // `spineIntermediaryContract` instead.
  intermediary: {
    syncReplyMode: "None",
    ackRequested: "always",
    duplicateElimination: "always",
    actor: [NEXT_MSH],
    retries: 2,
    retryInterval: "PT2H",
    persistDuration: "PT7H",
  },
};

/** Spine's `tms:ReliableIntermediary` / `tms:ExpressIntermediary` entries (sds-ldap.md §6). */
export const spineIntermediaryContract: PatternContract = {
  syncReplyMode: "None",
  ackRequested: "never",
  duplicateElimination: "never",
  actor: [],
};
