import { messagingMigration } from "./sqlite-message-store.js";
import { ssbSessionMigration } from "../ssb/session-store.js";

/**
 * Versioned schema. PRAGMA user_version holds the number of migrations applied; each entry runs
 * once, in order, inside a transaction. Append only: never edit a published migration.
 */
export const migrations: readonly string[] = [
  // 1: scenario data, registered endpoints and the event journal
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE directory_entry (
    dn_key TEXT PRIMARY KEY,
    dn TEXT NOT NULL,
    parent_key TEXT NOT NULL,
    object_classes TEXT NOT NULL,
    attributes TEXT NOT NULL
  ) STRICT;
  CREATE INDEX directory_entry_parent ON directory_entry (parent_key);

  CREATE TABLE patient (
    nhs_number TEXT PRIMARY KEY,
    title TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    address_lines TEXT NOT NULL,
    postcode TEXT NOT NULL,
    gp_ods_code TEXT NOT NULL,
    provenance TEXT NOT NULL
  ) STRICT;

  CREATE TABLE smartcard (
    card_id TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    passcode TEXT NOT NULL
  ) STRICT;

  CREATE TABLE registered_endpoint (
    party_key TEXT PRIMARY KEY,
    ods_code TEXT NOT NULL,
    asid TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    interactions TEXT NOT NULL,
    registered_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE journal_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    listener TEXT,
    message_id TEXT,
    conversation_id TEXT,
    summary TEXT NOT NULL,
    detail TEXT
  ) STRICT;
  CREATE INDEX journal_event_message ON journal_event (message_id);
  CREATE INDEX journal_event_conversation ON journal_event (conversation_id);
  `,
  // gazetteer: delivery points (gazetteer.md G17) with an index per query shape: the compact postcode
  // (single matches, postcode lists, and by GLOB prefix outward codes and `?` patterns), the inward
  // code (patterns whose outward code starts with `?`), and an inverted word index for address words,
  // wildcards, phonetic and fuzzy matches: one row per distinct word with its phonetic key, frequency
  // and the JSON list of the address keys holding it
  `
  CREATE TABLE address (
    address_key INTEGER PRIMARY KEY,
    sub_building TEXT,
    building_name TEXT,
    building_number TEXT,
    thoroughfare TEXT,
    dependent_locality TEXT,
    post_town TEXT NOT NULL,
    county TEXT,
    postcode TEXT NOT NULL,
    compact_postcode TEXT NOT NULL,
    incode TEXT NOT NULL,
    words TEXT NOT NULL,
    numbers TEXT NOT NULL,
    town_words TEXT NOT NULL
  ) STRICT;
  CREATE INDEX address_compact_postcode ON address (compact_postcode);
  CREATE INDEX address_incode ON address (incode);

  CREATE TABLE address_word (
    word TEXT PRIMARY KEY,
    phonetic TEXT NOT NULL,
    frequency INTEGER NOT NULL,
    address_keys TEXT NOT NULL
  ) STRICT;
  `,
  // messaging: the outbox of Spine-originated messages and the received-message record behind
  // duplicate elimination (sqlite-message-store.ts)
  messagingMigration,
  // SDS entries imported from LDIF (spine-sim sds import-ldif, POST /_control/sds/ldif): an overlay on
  // the scenario's entries, keyed by normalised DN, that survives scenario reloads
  `
  CREATE TABLE imported_directory_entry (
    dn_key TEXT PRIMARY KEY,
    dn TEXT NOT NULL,
    object_classes TEXT NOT NULL,
    attributes TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    imported_at TEXT NOT NULL
  ) STRICT;
  `,
  // Spine Security Broker SSO sessions (src/core/ssb/session-store.ts): survive restarts; tickets hashed
  ssbSessionMigration,
];

/** PRAGMA application_id marking a spine-sim database ("SPNS"), so foreign files are never touched. */
export const applicationId = 0x53504e53;
