/** SQLite implementation of the SsbSessionStore (table from the "ssb sessions" migration). */
import type Database from "better-sqlite3";
import type { SsbSession, SsbSessionStore } from "./session-store.js";

type Row = Record<string, string | number | null>;

export class SqliteSsbSessionStore implements SsbSessionStore {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO ssb_session (ticket_hash, uid, card_id, log_session_id, device_id, client_ip, created_at,
           last_used_at, expires_at, idle_minutes, selected_role_uid, ssb_mode, ended_at)
         VALUES (@ticketHash, @uid, @cardId, @logSessionId, @deviceId, @clientIp, @createdAt,
           @lastUsedAt, @expiresAt, @idleMinutes, @selectedRoleUid, @ssbMode, @endedAt)`,
      ),
      prune: db.prepare("DELETE FROM ssb_session WHERE expires_at < ?"),
      get: db.prepare("SELECT * FROM ssb_session WHERE ticket_hash = ?"),
      touch: db.prepare("UPDATE ssb_session SET last_used_at = ? WHERE ticket_hash = ?"),
      selectRole: db.prepare(
        "UPDATE ssb_session SET selected_role_uid = ?, ssb_mode = ? WHERE ticket_hash = ?",
      ),
      end: db.prepare("UPDATE ssb_session SET ended_at = ? WHERE ticket_hash = ? AND ended_at IS NULL"),
    };
  }

  create(session: SsbSession, now: string): void {
    this.statements.prune.run(now);
    this.statements.insert.run({
      ...session,
      cardId: session.cardId ?? null,
      selectedRoleUid: session.selectedRoleUid ?? null,
      endedAt: session.endedAt ?? null,
    });
  }

  get(ticketHash: string): SsbSession | undefined {
    const row = this.statements.get.get(ticketHash) as Row | undefined;
    if (row === undefined) return undefined;
    const text = (key: string): string => String(row[key] ?? "");
    const optional = (key: string): string | undefined => (row[key] === null ? undefined : String(row[key]));
    return {
      ticketHash: text("ticket_hash"),
      uid: text("uid"),
      cardId: optional("card_id"),
      logSessionId: text("log_session_id"),
      deviceId: text("device_id"),
      clientIp: text("client_ip"),
      createdAt: text("created_at"),
      lastUsedAt: text("last_used_at"),
      expiresAt: text("expires_at"),
      idleMinutes: Number(row.idle_minutes),
      selectedRoleUid: optional("selected_role_uid"),
      ssbMode: text("ssb_mode"),
      endedAt: optional("ended_at"),
    };
  }

  touch(ticketHash: string, at: string): void {
    this.statements.touch.run(at, ticketHash);
  }

  selectRole(ticketHash: string, roleUid: string, ssbMode: string): void {
    this.statements.selectRole.run(roleUid, ssbMode, ticketHash);
  }

  end(ticketHash: string, at: string): boolean {
    return this.statements.end.run(at, ticketHash).changes > 0;
  }
}
