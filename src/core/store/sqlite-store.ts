/**
 * The SQLite store: better-sqlite3, WAL, versioned migrations, every statement prepared once.
 * An existing file is inspected read-only first, so a corrupt or foreign database is reported and
 * left exactly as it was.
 */
import { existsSync, mkdirSync, accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { SimError } from "../errors.js";
import { applicationId, migrations } from "./migrations.js";
import { SqliteAddressStore } from "./sqlite-address-store.js";
import { SqliteMessageStore } from "./sqlite-message-store.js";
import { SqliteSsbSessionStore } from "../ssb/sqlite-session-store.js";
import {
  dnKey,
  type DirectoryEntry,
  type ImportedDirectoryEntry,
  type JournalEvent,
  type JournalEventInput,
  type LoadedScenarioInfo,
  type PatientRecord,
  type RegisteredEndpoint,
  type ScenarioData,
  type SmartcardRecord,
  type Store,
} from "./store.js";

type Row = Record<string, string | number | null>;

export function openSqliteStore(location: string): Store {
  const file = location === ":memory:" ? location : resolve(location);
  if (file !== ":memory:") {
    if (existsSync(file)) inspectExisting(file);
    else ensureWritableDir(dirname(file));
  }
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new SimError(
      "STORE_UNREADABLE",
      `Cannot open SQLite database ${file}: ${(error as Error).message}`,
      {
        cause: error,
        details: { setting: "db", value: location },
      },
    );
  }
  migrate(db);
  return new SqliteStore(db, file);
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new SimError(
      "DIR_UNWRITABLE",
      `Cannot create the database in ${dir}: ${(error as Error).message}`,
      {
        hint: "Choose another --data-dir or --db, or fix the directory's permissions.",
        details: { setting: "db", value: dir },
      },
    );
  }
}

function inspectExisting(file: string): void {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    const tables = (probe.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
    const appId = probe.pragma("application_id", { simple: true }) as number;
    const version = probe.pragma("user_version", { simple: true }) as number;
    if (tables > 0 && appId !== applicationId) {
      throw new SimError(
        "STORE_FOREIGN",
        `${file} is a SQLite database of another application; spine-sim left it untouched`,
        {
          hint: "Point --db at a new file (or delete this one if it is yours to lose).",
          details: { setting: "db", value: file, applicationId: appId },
        },
      );
    }
    if (version > migrations.length) {
      throw new SimError(
        "STORE_TOO_NEW",
        `${file} has schema version ${version}; this spine-sim knows up to ${migrations.length}`,
        {
          hint: "Upgrade spine-sim, or start with a fresh --db.",
          details: { setting: "db", value: file, version },
        },
      );
    }
  } catch (error) {
    if (error instanceof SimError) throw error;
    throw new SimError(
      "STORE_UNREADABLE",
      `${file} is not a readable SQLite database (${(error as Error).message}); spine-sim left it untouched`,
      {
        hint: "Point --db at a new file, or move the damaged one away.",
        cause: error,
        details: { setting: "db", value: file },
      },
    );
  } finally {
    probe?.close();
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] ?? "");
      db.pragma(`application_id = ${applicationId}`);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

const json = (value: unknown): string => JSON.stringify(value);
const parseArray = (text: Row[string] | undefined): string[] => JSON.parse(String(text)) as string[];
const optional = (value: Row[string] | undefined): string | undefined =>
  value === null ? undefined : String(value);

class SqliteStore implements Store {
  readonly schemaVersion: number;
  readonly addresses: SqliteAddressStore;
  readonly messages: SqliteMessageStore;
  readonly ssbSessions: SqliteSsbSessionStore;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.schemaVersion = db.pragma("user_version", { simple: true }) as number;
    this.statements = {
      getMeta: db.prepare("SELECT value FROM meta WHERE key = ?").pluck(),
      putMeta: db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      clearDirectory: db.prepare("DELETE FROM directory_entry"),
      putEntry: db.prepare(
        "INSERT INTO directory_entry (dn_key, dn, parent_key, object_classes, attributes) VALUES (?, ?, ?, ?, ?)",
      ),
      allEntries: db.prepare("SELECT dn, object_classes, attributes FROM directory_entry ORDER BY rowid"),
      getEntry: db.prepare("SELECT dn, object_classes, attributes FROM directory_entry WHERE dn_key = ?"),
      clearPatients: db.prepare("DELETE FROM patient"),
      putPatient: db.prepare(
        `INSERT INTO patient (nhs_number, title, given_name, family_name, gender, birth_date, address_lines, postcode, gp_ods_code, provenance)
         VALUES (@nhsNumber, @title, @givenName, @familyName, @gender, @birthDate, @addressLines, @postcode, @gpOdsCode, @provenance)`,
      ),
      getPatient: db.prepare("SELECT * FROM patient WHERE nhs_number = ?"),
      countPatients: db.prepare("SELECT count(*) FROM patient").pluck(),
      clearSmartcards: db.prepare("DELETE FROM smartcard"),
      putSmartcard: db.prepare("INSERT INTO smartcard (card_id, uid, passcode) VALUES (?, ?, ?)"),
      getSmartcard: db.prepare("SELECT card_id, uid, passcode FROM smartcard WHERE card_id = ?"),
      putEndpoint: db.prepare(
        `INSERT INTO registered_endpoint (party_key, ods_code, asid, url, interactions, registered_at)
         VALUES (@partyKey, @odsCode, @asid, @url, @interactions, @registeredAt)
         ON CONFLICT (party_key) DO UPDATE SET url = excluded.url, interactions = excluded.interactions, registered_at = excluded.registered_at`,
      ),
      allEndpoints: db.prepare("SELECT * FROM registered_endpoint ORDER BY registered_at, party_key"),
      clearImported: db.prepare("DELETE FROM imported_directory_entry"),
      putImported: db.prepare(
        `INSERT INTO imported_directory_entry (dn_key, dn, object_classes, attributes, source, line, imported_at)
         VALUES (@key, @dn, @objectClasses, @attributes, @source, @line, @importedAt)
         ON CONFLICT (dn_key) DO UPDATE SET dn = excluded.dn, object_classes = excluded.object_classes,
           attributes = excluded.attributes, source = excluded.source, line = excluded.line, imported_at = excluded.imported_at`,
      ),
      allImported: db.prepare("SELECT * FROM imported_directory_entry ORDER BY rowid"),
      appendJournal: db
        .prepare(
          `INSERT INTO journal_event (at, kind, listener, message_id, conversation_id, summary, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .pluck(),
      journalAfter: db.prepare("SELECT * FROM journal_event WHERE id > ? ORDER BY id LIMIT ?"),
      journalForMessage: db.prepare(
        "SELECT * FROM journal_event WHERE message_id = ? AND id > ? ORDER BY id LIMIT ?",
      ),
    };
    this.addresses = new SqliteAddressStore(db);
    this.messages = new SqliteMessageStore(db);
    this.ssbSessions = new SqliteSsbSessionStore(db);
  }

  replaceScenario(data: ScenarioData, loadedAt: string): void {
    const s = this.statements;
    this.db.transaction(() => {
      s.clearDirectory.run();
      for (const entry of data.directory) {
        const key = dnKey(entry.dn);
        s.putEntry.run(
          key,
          entry.dn,
          key.slice(key.indexOf(",") + 1),
          json(entry.objectClasses),
          json(entry.attributes),
        );
      }
      s.clearPatients.run();
      for (const patient of data.patients) {
        s.putPatient.run({
          ...patient,
          title: patient.title ?? null,
          addressLines: json(patient.addressLines),
        });
      }
      s.clearSmartcards.run();
      for (const card of data.smartcards) s.putSmartcard.run(card.cardId, card.uid, card.passcode);
      this.addresses.replaceAll(data.addresses ?? []);
      s.putMeta.run(
        "scenario",
        json({ name: data.name, fingerprint: data.fingerprint, loadedAt, quickStart: data.quickStart }),
      );
    })();
  }

  loadedScenario(): LoadedScenarioInfo | undefined {
    const value = this.statements.getMeta.get("scenario") as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as LoadedScenarioInfo);
  }

  directoryEntries(): DirectoryEntry[] {
    return (this.statements.allEntries.all() as Row[]).map(toEntry);
  }

  directoryEntry(dn: string): DirectoryEntry | undefined {
    const row = this.statements.getEntry.get(dnKey(dn)) as Row | undefined;
    return row === undefined ? undefined : toEntry(row);
  }

  patient(nhsNumber: string): PatientRecord | undefined {
    const row = this.statements.getPatient.get(nhsNumber) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      nhsNumber: String(row.nhs_number),
      title: optional(row.title),
      givenName: String(row.given_name),
      familyName: String(row.family_name),
      gender: String(row.gender),
      birthDate: String(row.birth_date),
      addressLines: parseArray(row.address_lines),
      postcode: String(row.postcode),
      gpOdsCode: String(row.gp_ods_code),
      provenance: String(row.provenance),
    };
  }

  patientCount(): number {
    return this.statements.countPatients.get() as number;
  }

  smartcard(cardId: string): SmartcardRecord | undefined {
    const row = this.statements.getSmartcard.get(cardId) as Row | undefined;
    return row === undefined
      ? undefined
      : { cardId: String(row.card_id), uid: String(row.uid), passcode: String(row.passcode) };
  }

  registerEndpoint(endpoint: RegisteredEndpoint): void {
    this.statements.putEndpoint.run({ ...endpoint, interactions: json(endpoint.interactions) });
  }

  registeredEndpoints(): RegisteredEndpoint[] {
    return (this.statements.allEndpoints.all() as Row[]).map((row) => ({
      partyKey: String(row.party_key),
      odsCode: String(row.ods_code),
      asid: String(row.asid),
      url: String(row.url),
      interactions: parseArray(row.interactions),
      registeredAt: String(row.registered_at),
    }));
  }

  importDirectoryEntries(entries: readonly ImportedDirectoryEntry[], replaceAll: boolean): void {
    const s = this.statements;
    this.db.transaction(() => {
      if (replaceAll) s.clearImported.run();
      for (const entry of entries) {
        s.putImported.run({
          key: entry.key,
          dn: entry.dn,
          objectClasses: json(entry.objectClasses),
          attributes: json(entry.attributes),
          source: entry.source,
          line: entry.line,
          importedAt: entry.importedAt,
        });
      }
    })();
  }

  importedDirectoryEntries(): ImportedDirectoryEntry[] {
    return (this.statements.allImported.all() as Row[]).map((row) => ({
      ...toEntry(row),
      key: String(row.dn_key),
      source: String(row.source),
      line: Number(row.line),
      importedAt: String(row.imported_at),
    }));
  }

  appendJournal(event: JournalEventInput): JournalEvent {
    const id = this.statements.appendJournal.get(
      event.at,
      event.kind,
      event.listener ?? null,
      event.messageId ?? null,
      event.conversationId ?? null,
      event.summary,
      event.detail === undefined ? null : json(event.detail),
    ) as number;
    return { ...event, id };
  }

  journal(options: { afterId?: number; limit?: number; messageId?: string } = {}): JournalEvent[] {
    const after = options.afterId ?? 0;
    const limit = options.limit ?? 1000;
    const rows = (
      options.messageId === undefined
        ? this.statements.journalAfter.all(after, limit)
        : this.statements.journalForMessage.all(options.messageId, after, limit)
    ) as Row[];
    return rows.map((row) => ({
      id: Number(row.id),
      at: String(row.at),
      kind: String(row.kind),
      listener: optional(row.listener),
      messageId: optional(row.message_id),
      conversationId: optional(row.conversation_id),
      summary: String(row.summary),
      detail: row.detail === null ? undefined : (JSON.parse(String(row.detail)) as unknown),
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(row: Row): DirectoryEntry {
  return {
    dn: String(row.dn),
    objectClasses: parseArray(row.object_classes),
    attributes: JSON.parse(String(row.attributes)) as Record<string, string[]>,
  };
}
