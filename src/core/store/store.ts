/**
 * The storage interface every engine reads and writes through. One SQLite implementation today
 * (sqlite-store.ts); DESIGN.md names PostgreSQL as the path past one machine, behind this same
 * interface. test/store/store-contract.test.ts holds the contract any implementation must pass.
 */
import type { AddressRecord, AddressStore } from "./address-store.js";
import type { MessageStore } from "./message-store.js";
import type { SsbSessionStore } from "../ssb/session-store.js";

/** One SDS entry as stored: canonical attribute names, values as strings. */
export interface DirectoryEntry {
  readonly dn: string;
  readonly objectClasses: readonly string[];
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

export interface PatientRecord {
  readonly nhsNumber: string;
  readonly title?: string | undefined;
  readonly givenName: string;
  readonly familyName: string;
  readonly gender: string;
  readonly birthDate: string;
  readonly addressLines: readonly string[];
  readonly postcode: string;
  readonly gpOdsCode: string;
  readonly provenance: string;
}

export interface SmartcardRecord {
  readonly cardId: string;
  readonly uid: string;
  readonly passcode: string;
}

/** A supplier endpoint registered with `spine-sim endpoint add` or the control API; survives scenario reloads. */
export interface RegisteredEndpoint {
  readonly odsCode: string;
  readonly asid: string;
  readonly partyKey: string;
  readonly url: string;
  readonly interactions: readonly string[];
  readonly registeredAt: string;
}

/** An SDS entry imported from LDIF; overlays the scenario's entry with the same DN and survives reloads. */
export interface ImportedDirectoryEntry extends DirectoryEntry {
  /** The normalised DN (core/directory/dn.ts). */
  readonly key: string;
  /** The file (or `control API`) it came from, and the line of its `dn:`. */
  readonly source: string;
  readonly line: number;
  readonly importedAt: string;
}

export interface JournalEventInput {
  readonly at: string;
  readonly kind: string;
  readonly listener?: string | undefined;
  readonly messageId?: string | undefined;
  readonly conversationId?: string | undefined;
  readonly summary: string;
  readonly detail?: unknown;
}

export interface JournalEvent extends JournalEventInput {
  readonly id: number;
}

/** A supplier endpoint a quick start or a test suite can use straight away. */
export interface ReadyEndpoint {
  readonly odsCode: string;
  readonly partyKey: string;
  readonly asid: string;
  readonly url: string;
}

export interface LoadedScenarioInfo {
  readonly name: string;
  readonly fingerprint: string;
  readonly loadedAt: string;
  readonly quickStart?: ReadyEndpoint | undefined;
}

/** Everything a scenario load replaces, in one transaction. */
export interface ScenarioData {
  readonly name: string;
  readonly fingerprint: string;
  readonly quickStart?: ReadyEndpoint | undefined;
  readonly directory: readonly DirectoryEntry[];
  readonly patients: readonly PatientRecord[];
  readonly smartcards: readonly SmartcardRecord[];
  /** Gazetteer delivery points; absent means none. */
  readonly addresses?: readonly AddressRecord[] | undefined;
}

export interface Store {
  /** The schema version after migrations. */
  readonly schemaVersion: number;
  readonly location: string;

  /** Replaces all scenario data atomically; a failure leaves the previous data in place. */
  replaceScenario(data: ScenarioData, loadedAt: string): void;
  /** Name and fingerprint of the loaded scenario, if any. */
  loadedScenario(): LoadedScenarioInfo | undefined;

  directoryEntries(): DirectoryEntry[];
  directoryEntry(dn: string): DirectoryEntry | undefined;

  patient(nhsNumber: string): PatientRecord | undefined;
  patientCount(): number;

  smartcard(cardId: string): SmartcardRecord | undefined;

  registerEndpoint(endpoint: RegisteredEndpoint): void;
  registeredEndpoints(): RegisteredEndpoint[];

  /** Stores imported entries, replacing any with the same key; `replaceAll` drops every earlier import first. */
  importDirectoryEntries(entries: readonly ImportedDirectoryEntry[], replaceAll: boolean): void;
  importedDirectoryEntries(): ImportedDirectoryEntry[];

  /** The gazetteer's delivery points (address-store.ts). */
  readonly addresses: AddressStore;

  /** The MHS outbox and the received-message record for duplicate elimination (message-store.ts). */
  readonly messages: MessageStore;

  /** Spine Security Broker SSO sessions (src/core/ssb/session-store.ts). */
  readonly ssbSessions: SsbSessionStore;

  appendJournal(event: JournalEventInput): JournalEvent;
  journal(options?: { afterId?: number; limit?: number; messageId?: string }): JournalEvent[];

  close(): void;
}

/** Directory keys compare case- and space-insensitively: `ou=services, o=nhs` = `ou=Services,o=nhs`. */
export function dnKey(dn: string): string {
  return dn
    .split(",")
    .map((rdn) => rdn.trim().toLowerCase())
    .filter((rdn) => rdn.length > 0)
    .join(",");
}
