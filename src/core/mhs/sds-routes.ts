/**
 * What the MHS needs from SDS, indexed once per directory version (never per request): Spine's own
 * nhsMhs entry for each service-interaction (path, CPA id, persist duration), every MHS entry by
 * party key and service-interaction (where async replies go, with the receiver's contract), and
 * the ASIDs of the accredited systems (reference mhs-wire.md §2, §7.1; sds-ldap.md §4).
 */
import { parseDurationMs } from "../duration.js";
import type { DirectoryEntry } from "../store/store.js";

/** The reliability contract of one nhsMhs entry, read from its nhsMHS* attributes. */
export interface MhsContract {
  readonly syncReplyMode: string;
  readonly ackRequested: boolean;
  readonly duplicateElimination: boolean;
  /** `nhsMHSActor`, e.g. `urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH`; undefined when empty. */
  readonly actor?: string;
  /** `nhsMHSRetries`: further attempts after the first; 0 when absent. */
  readonly retries: number;
  /** `nhsMHSRetryInterval` in milliseconds; 0 when absent or unreadable. */
  readonly retryIntervalMs: number;
  /** `nhsMHSPersistDuration` in milliseconds; undefined when absent or unreadable. */
  readonly persistDurationMs?: number;
}

export interface MhsEntry {
  readonly dn: string;
  readonly partyKey: string;
  readonly svcIA: string;
  readonly cpaId: string;
  /** `nhsMHSEndPoint[0]`, as the MHS adaptor uses it (mhs-wire.md §9 C13). */
  readonly endpoint: string;
  /** The endpoint's path (`/sync-service`, `/reliablemessaging/reliablerequest`…), for HTTP-004. */
  readonly path: string;
  readonly contract: MhsContract;
}

export interface MhsRoutes {
  /** Spine's entry (party key = the environment's Spine party key) for `service:interaction`. */
  spineEntry(svcIA: string): MhsEntry | undefined;
  /** Any MHS entry by party key (case-insensitive, SDS caseIgnoreMatch) and service-interaction. */
  entry(partyKey: string, svcIA: string): MhsEntry | undefined;
  /** Whether some nhsMhs or nhsAs entry carries this party key (EBXML-HDR-017). */
  knowsParty(partyKey: string): boolean;
  /** The service-interactions an MHS with this party key receives, for error texts. */
  receivedBy(partyKey: string): readonly string[];
  /** Spine's ASID for a service-interaction: the nhsAs of the Spine party key listing it, else the default. */
  spineAsid(svcIA: string): string;
}

const partyKeyOf = (value: string): string => value.trim().toUpperCase();
const first = (entry: DirectoryEntry, name: string): string => entry.attributes[name]?.[0]?.trim() ?? "";

function readContract(entry: DirectoryEntry): MhsContract {
  const retries = Number.parseInt(first(entry, "nhsMHSRetries"), 10);
  const persist = parseDurationMs(first(entry, "nhsMHSPersistDuration"));
  const actor = first(entry, "nhsMHSActor");
  return {
    syncReplyMode: first(entry, "nhsMHSSyncReplyMode"),
    ackRequested: first(entry, "nhsMHSAckRequested").toLowerCase() === "always",
    duplicateElimination: first(entry, "nhsMHSDuplicateElimination").toLowerCase() === "always",
    ...(actor === "" ? {} : { actor }),
    retries: Number.isFinite(retries) && retries > 0 ? retries : 0,
    retryIntervalMs: parseDurationMs(first(entry, "nhsMHSRetryInterval")) ?? 0,
    ...(persist === undefined ? {} : { persistDurationMs: persist }),
  };
}

function pathOf(endpoint: string): string {
  try {
    return new URL(endpoint).pathname;
  } catch {
    return endpoint.startsWith("/") ? endpoint : "";
  }
}

/** Builds the index; `spine` names Spine's own party key and default ASID (environment profile). */
export function buildMhsRoutes(
  entries: readonly DirectoryEntry[],
  spine: { readonly partyKey: string; readonly asid: string },
): MhsRoutes {
  const byParty = new Map<string, Map<string, MhsEntry>>();
  const parties = new Set<string>();
  const spineAsids = new Map<string, string>();
  const spineKey = partyKeyOf(spine.partyKey);
  for (const entry of entries) {
    const classes = entry.objectClasses;
    if (classes.includes("nhsMhs")) {
      const partyKey = partyKeyOf(first(entry, "nhsMHSPartyKey"));
      const endpoint = first(entry, "nhsMHSEndPoint");
      parties.add(partyKey);
      let map = byParty.get(partyKey);
      if (map === undefined) byParty.set(partyKey, (map = new Map<string, MhsEntry>()));
      for (const svcIA of entry.attributes.nhsMhsSvcIA ?? []) {
        // The first entry wins, as a client taking the first search result would.
        if (map.has(svcIA)) continue;
        map.set(svcIA, {
          dn: entry.dn,
          partyKey,
          svcIA,
          cpaId: first(entry, "nhsMhsCPAId") || first(entry, "uniqueIdentifier"),
          endpoint,
          path: pathOf(endpoint),
          contract: readContract(entry),
        });
      }
    } else if (classes.includes("nhsAs")) {
      const partyKey = partyKeyOf(first(entry, "nhsMHSPartyKey"));
      if (partyKey !== "") parties.add(partyKey);
      if (partyKey === spineKey) {
        const asid = first(entry, "uniqueIdentifier");
        for (const svcIA of entry.attributes.nhsAsSvcIA ?? [])
          if (!spineAsids.has(svcIA)) spineAsids.set(svcIA, asid);
      }
    }
  }
  return {
    spineEntry: (svcIA) => byParty.get(spineKey)?.get(svcIA),
    entry: (partyKey, svcIA) => byParty.get(partyKeyOf(partyKey))?.get(svcIA),
    knowsParty: (partyKey) => parties.has(partyKeyOf(partyKey)),
    receivedBy: (partyKey) => [...(byParty.get(partyKeyOf(partyKey))?.keys() ?? [])],
    spineAsid: (svcIA) => spineAsids.get(svcIA) ?? spine.asid,
  };
}

/**
 * Caches the index per directory array: the composition root replaces the array whenever SDS
 * changes (scenario load, endpoint registration), so identity is the version.
 */
export function cachedMhsRoutes(
  directory: () => readonly DirectoryEntry[],
  spine: { readonly partyKey: string; readonly asid: string },
): () => MhsRoutes {
  let source: readonly DirectoryEntry[] | undefined;
  let routes: MhsRoutes | undefined;
  return () => {
    const entries = directory();
    if (routes === undefined || entries !== source) {
      source = entries;
      routes = buildMhsRoutes(entries, spine);
    }
    return routes;
  };
}
