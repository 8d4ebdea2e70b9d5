/**
 * SSO sessions behind an interface (SQLite: sqlite-session-store.ts, migration "ssb sessions"), so
 * that a restarted simulator keeps its signed-on users. Tickets are bearer secrets: the store keeps
 * only their SHA-256 hash.
 */
export interface SsbSession {
  readonly ticketHash: string;
  readonly uid: string;
  /** The virtual card used, when signed on through `card insert`; undefined for GAS sign-on by uid. */
  readonly cardId: string | undefined;
  readonly logSessionId: string;
  readonly deviceId: string;
  readonly clientIp: string;
  /** ISO instants on the simulator clock. */
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** createdAt + the maximum session time: the session is dead after this whatever its use. */
  readonly expiresAt: string;
  readonly idleMinutes: number;
  readonly selectedRoleUid: string | undefined;
  /** `0` live, `1` training (RoleSelectionGP.jsp `ssbMode`). */
  readonly ssbMode: string;
  readonly endedAt: string | undefined;
}

export interface SsbSessionStore {
  /** Stores a new session and drops sessions whose maximum time ended before `now`. */
  create(session: SsbSession, now: string): void;
  get(ticketHash: string): SsbSession | undefined;
  touch(ticketHash: string, at: string): void;
  selectRole(ticketHash: string, roleUid: string, ssbMode: string): void;
  /** Ends the session; false when there was no live session. */
  end(ticketHash: string, at: string): boolean;
}

/** The migration appended to src/core/store/migrations.ts. */
export const ssbSessionMigration = `
  CREATE TABLE ssb_session (
    ticket_hash TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    card_id TEXT,
    log_session_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    idle_minutes INTEGER NOT NULL,
    selected_role_uid TEXT,
    ssb_mode TEXT NOT NULL,
    ended_at TEXT
  ) STRICT;
  CREATE INDEX ssb_session_expires ON ssb_session (expires_at);
  `;
