/**
 * The Spine Security Broker's protocol-neutral core (ssb.md §1, §7): GAS challenges, sign-on with a
 * virtual smartcard, SSO tickets that expire on the simulator clock, role selection, logout and the
 * data a RoleAssertion carries. GAS and sbapi (src/servers/ssb) and the control API's `card insert`
 * all call this; nothing here knows about HTTP.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock.js";
import type { SmartcardRecord } from "../store/store.js";
import type { SsbSession, SsbSessionStore } from "./session-store.js";
import { SsbError } from "./ssb-errors.js";
import type { SsbPerson, SsbRole } from "./ssb-people.js";

export interface SsbServiceDeps {
  readonly sessions: SsbSessionStore;
  smartcard(cardId: string): SmartcardRecord | undefined;
  /** The SDS people tree, by uid (cachedSsbPeople). */
  people(): ReadonlyMap<string, SsbPerson>;
  readonly clock: Clock;
  /** `sso_max_session_time`, minutes (S6; default 600). */
  readonly maxSessionMinutes?: number;
  /** `sso_session_time`, idle minutes (S6; default 600). */
  readonly idleMinutes?: number;
  /** Key of the challenge signatures (S3); random per process unless given. */
  readonly secret?: Buffer;
}

export interface Challenge {
  readonly challenge: string;
  readonly signature: string;
}

export interface SignOnRequest {
  readonly challenge: string;
  readonly signature: string;
  readonly logSessionId: string;
  readonly uid: string;
  readonly deviceId: string;
  readonly clientIp: string;
}

export interface SignOn {
  readonly ticket: string;
  readonly session: SsbSession;
  readonly person: SsbPerson;
  /** The role in force: the selected one, else the first (S7). */
  readonly role: SsbRole | undefined;
}

export interface CardInsert {
  readonly cardId?: string | undefined;
  readonly uid?: string | undefined;
  readonly passcode?: string | undefined;
  readonly roleProfileId?: string | undefined;
  readonly ssbMode?: string | undefined;
}

/** A live session and what it means, or an SsbError SSB_TOKEN_INVALID. */
export interface LiveSession {
  readonly session: SsbSession;
  readonly person: SsbPerson;
  readonly role: SsbRole | undefined;
  /** Seconds before the session ends, by idle or maximum time. */
  readonly secondsLeft: number;
  readonly secondsIdle: number;
}

const minute = 60_000;

export interface SsbService {
  readonly maxSessionMinutes: number;
  readonly idleMinutes: number;
  activate(logSessionId: string): Challenge;
  validate(request: SignOnRequest): SignOn;
  /** The virtual smartcard in the reader: activate + validate (+ role selection) in one step. */
  insertCard(insert: CardInsert, clientIp: string): SignOn;
  /** Reads a ticket without using it (no idle reset). */
  inspect(ticket: string): LiveSession;
  /** Reads a ticket and resets its idle time. */
  use(ticket: string): LiveSession;
  selectRole(ticket: string, roleProfileId: string, ssbMode: string): LiveSession;
  /** Idempotent; true when a live session ended. */
  logout(ticket: string): boolean;
}

export function createSsbService(deps: SsbServiceDeps): SsbService {
  const maxSessionMinutes = deps.maxSessionMinutes ?? 600;
  const idleMinutes = deps.idleMinutes ?? 600;
  const secret = deps.secret ?? randomBytes(32);
  const now = (): Date => deps.clock.now();
  const hash = (ticket: string): string => createHash("sha256").update(ticket).digest("hex");

  const sign = (challenge: string, logSessionId: string): Buffer =>
    createHmac("sha256", secret).update(challenge).update("\u0000").update(logSessionId).digest();

  const activate = (logSessionId: string): Challenge => {
    const challenge = randomBytes(32).toString("base64");
    return { challenge, signature: sign(challenge, logSessionId).toString("base64") };
  };

  const person = (uid: string): SsbPerson => {
    const found = deps.people().get(uid);
    if (found === undefined)
      throw new SsbError(
        "SSB_VALIDATION_FAILED",
        `no person uid=${uid},ou=People,o=nhs in SDS`,
        "Use a uid from the scenario's people (seed-data/people.json) or import the person into SDS first.",
      );
    if (found.status !== "1")
      throw new SsbError(
        "SSB_PERSON_INACTIVE",
        `uid ${uid} has nhsPersonStatus ${found.status}; only active people (1) can sign on`,
        "Choose an active person, or change the person's nhsPersonStatus to 1 in the scenario or an LDIF import.",
      );
    return found;
  };

  const notHeld = (p: SsbPerson, roleProfileId: string): void => {
    if (p.roles.some((r) => r.roleProfileId === roleProfileId)) return;
    const held = p.roles.map((r) => r.roleProfileId).join(", ") || "none";
    throw new SsbError(
      "SSB_ROLE_NOT_HELD",
      `uid ${p.uid} holds no role profile ${roleProfileId === "" ? "(none given)" : roleProfileId}; held: ${held}`,
      "Pick one of the role profile ids listed in the authvalidate response (nhsjobroleN id=…) or by `spine-sim card insert`.",
    );
  };

  const roleIn = (p: SsbPerson, roleUid: string | undefined): SsbRole | undefined =>
    roleUid === undefined ? p.roles[0] : (p.roles.find((r) => r.roleProfileId === roleUid) ?? p.roles[0]);

  const startSession = (
    p: SsbPerson,
    from: Omit<
      SsbSession,
      | "ticketHash"
      | "uid"
      | "createdAt"
      | "lastUsedAt"
      | "expiresAt"
      | "idleMinutes"
      | "selectedRoleUid"
      | "ssbMode"
      | "endedAt"
    >,
  ): SignOn => {
    const ticket = `AQIC5wM2LY4Sf${randomBytes(24).toString("base64")}@AAJTSQACMDE=#`;
    const at = now();
    const session: SsbSession = {
      ...from,
      ticketHash: hash(ticket),
      uid: p.uid,
      createdAt: at.toISOString(),
      lastUsedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + maxSessionMinutes * minute).toISOString(),
      idleMinutes,
      // One role: the IA selects it automatically (ssb.md §4).
      selectedRoleUid: p.roles.length === 1 ? p.roles[0]?.roleProfileId : undefined,
      ssbMode: "0",
      endedAt: undefined,
    };
    deps.sessions.create(session, at.toISOString());
    return { ticket, session, person: p, role: roleIn(p, session.selectedRoleUid) };
  };

  const live = (ticket: string, touch: boolean): LiveSession => {
    const session = ticket === "" ? undefined : deps.sessions.get(hash(ticket));
    const at = now().getTime();
    const denied = (reason: string, hint: string): SsbError =>
      new SsbError("SSB_TOKEN_INVALID", reason, hint);
    if (session === undefined)
      throw denied(
        "no session has this SSO ticket",
        "Sign on again (authactivate, authvalidate) or insert the card with `spine-sim card insert`, and send the sso_ticket exactly as issued, URL-encoded.",
      );
    if (session.endedAt !== undefined)
      throw denied(
        `the session was logged out at ${session.endedAt}`,
        "Sign on again: a logged-out ticket never comes back.",
      );
    const hardEnd = Date.parse(session.expiresAt);
    const idleEnd = Date.parse(session.lastUsedAt) + session.idleMinutes * minute;
    if (at >= hardEnd || at >= idleEnd)
      throw denied(
        at >= hardEnd
          ? `the session reached its maximum time at ${session.expiresAt}`
          : `the session was idle for ${session.idleMinutes} minutes (last used ${session.lastUsedAt})`,
        "Sign on again; session times run on the simulator clock (sso_max_session_time, sso_session_time).",
      );
    const p = deps.people().get(session.uid);
    if (p === undefined)
      throw denied(
        `the session's person uid=${session.uid} is no longer in SDS`,
        "Sign on again as a person in the current scenario.",
      );
    if (touch) deps.sessions.touch(session.ticketHash, new Date(at).toISOString());
    const lastUsed = touch ? at : Date.parse(session.lastUsedAt);
    return {
      session,
      person: p,
      role: roleIn(p, session.selectedRoleUid),
      secondsLeft: Math.floor((Math.min(hardEnd, lastUsed + session.idleMinutes * minute) - at) / 1000),
      secondsIdle: Math.floor((at - lastUsed) / 1000),
    };
  };

  const selectRole = (ticket: string, roleProfileId: string, ssbMode: string): LiveSession => {
    const current = live(ticket, true);
    notHeld(current.person, roleProfileId);
    const mode = ssbMode === "1" ? "1" : "0";
    deps.sessions.selectRole(current.session.ticketHash, roleProfileId, mode);
    return {
      ...current,
      session: { ...current.session, selectedRoleUid: roleProfileId, ssbMode: mode },
      role: roleIn(current.person, roleProfileId),
    };
  };

  return {
    maxSessionMinutes,
    idleMinutes,
    activate,
    validate(request) {
      const expected = sign(request.challenge, request.logSessionId);
      const given = Buffer.from(request.signature, "base64");
      if (request.challenge === "" || given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new SsbError(
          "SSB_VALIDATION_FAILED",
          "the challenge and signature were not issued by this simulator's authactivate for this log_session_id",
          "Call /login/authactivate first and send its challenge and signature back unchanged with the same log_session_id.",
        );
      return startSession(person(request.uid), {
        cardId: undefined,
        logSessionId: request.logSessionId,
        deviceId: request.deviceId,
        clientIp: request.clientIp,
      });
    },
    insertCard(insert, clientIp) {
      let uid = insert.uid;
      if (insert.cardId !== undefined) {
        const card = deps.smartcard(insert.cardId);
        if (card === undefined)
          throw new SsbError(
            "SSB_UNKNOWN_CARD",
            `no virtual smartcard ${insert.cardId} in the scenario`,
            "Use a cardId from the scenario's people (seed-data/people.json, smartcard.cardId), or insert by --uid.",
          );
        if (insert.passcode !== undefined && insert.passcode !== card.passcode)
          throw new SsbError(
            "SSB_BAD_PASSCODE",
            `the passcode does not match card ${card.cardId}`,
            "Give the card's passcode (seed-data/people.json, smartcard.passcode), or leave --passcode out for training.",
          );
        uid = card.uid;
      }
      if (uid === undefined)
        throw new SsbError(
          "SSB_INVALID_INPUT",
          "neither a card id nor a uid was given",
          "Give --card CARDID (with --passcode) or --uid UID.",
        );
      const p = person(uid);
      // Refuse an unknown role before a session exists, so a refused insert leaves nothing behind.
      if (insert.roleProfileId !== undefined) notHeld(p, insert.roleProfileId);
      const signOn = startSession(p, {
        cardId: insert.cardId,
        logSessionId: randomBytes(8).toString("base64url").slice(0, 10),
        deviceId: "VIRTUAL0",
        clientIp,
      });
      if (insert.roleProfileId === undefined && insert.ssbMode === undefined) return signOn;
      const chosen = selectRole(
        signOn.ticket,
        insert.roleProfileId ?? signOn.role?.roleProfileId ?? "",
        insert.ssbMode ?? "0",
      );
      return { ...signOn, session: chosen.session, role: chosen.role };
    },
    inspect: (ticket) => live(ticket, false),
    use: (ticket) => live(ticket, true),
    selectRole,
    logout(ticket) {
      return ticket !== "" && deps.sessions.end(hash(ticket), now().toISOString());
    },
  };
}
