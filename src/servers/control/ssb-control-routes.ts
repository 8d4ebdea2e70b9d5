/**
 * The SSB part of the control API: the offline stand-in for a smartcard reader, for training and CI.
 *   POST /_control/ssb/cards/insert           { "cardId" | "uid", "passcode"?, "role"?, "ssbMode"? }
 *   POST /_control/ssb/cards/:cardId/insert   { "passcode"?, "role"?, "ssbMode"? }
 *   POST /_control/ssb/logout                 { "ticket" }
 *   GET  /_control/ssb/people                 who can sign on: uid, cn, status and role profiles
 * An insert signs the person on exactly as authactivate + authvalidate would and answers the SSO
 * ticket and the role list. Refusals are JSON problems whose detail says what to do.
 */
import express, { type Router, type Response } from "express";
import type { SsbPerson } from "../../core/ssb/ssb-people.js";
import { isSsbError } from "../../core/ssb/ssb-errors.js";
import type { SsbService } from "../../core/ssb/ssb-service.js";
import type { ServerDeps } from "../server-deps.js";

export interface SsbControlDeps {
  readonly ssb: SsbService;
  ssbPeople(): ReadonlyMap<string, SsbPerson>;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

const describePerson = (person: SsbPerson) => ({
  uid: person.uid,
  cn: person.cn,
  active: person.status === "1",
  roles: person.roles.map((r) => ({
    roleProfileId: r.roleProfileId,
    odsCode: r.odsCode,
    orgName: r.orgName,
    jobRole: r.jobRole,
    jobRoleCode: r.jobRoleCode,
  })),
});

export function ssbControlRoutes(deps: ServerDeps & SsbControlDeps): Router {
  const router = express.Router();
  const log = deps.logger.child({ component: "ssb-control" });

  const insert = (
    res: Response,
    body: Record<string, unknown>,
    cardId: string | undefined,
    clientIp: string,
  ): void => {
    const request = {
      cardId: cardId ?? text(body.cardId),
      uid: text(body.uid),
      passcode: text(body.passcode),
      roleProfileId: text(body.role),
      ssbMode: text(body.ssbMode),
    };
    try {
      const signOn = deps.ssb.insertCard(request, clientIp);
      const summary = `card ${request.cardId ?? "(by uid)"} inserted: ${signOn.person.cn} (uid ${signOn.person.uid}) signed on, role ${signOn.role?.roleProfileId ?? "(none)"}`;
      log.info({ uid: signOn.person.uid, cardId: request.cardId }, summary);
      deps.journal.record({
        kind: "ssb.card-inserted",
        listener: "control",
        summary,
        detail: { uid: signOn.person.uid, cardId: request.cardId, roleUid: signOn.role?.roleProfileId },
      });
      res.status(201).json({
        ticket: signOn.ticket,
        expiresAt: signOn.session.expiresAt,
        idleMinutes: signOn.session.idleMinutes,
        selectedRole: signOn.session.selectedRoleUid ?? null,
        ...describePerson(signOn.person),
      });
    } catch (error) {
      if (!isSsbError(error)) throw error;
      const summary = `card insert refused (${error.code}): ${error.reason}`;
      log.warn({ code: error.code }, summary);
      deps.journal.record({
        kind: "ssb.refused",
        listener: "control",
        summary,
        detail: { code: error.code, reason: error.reason },
      });
      res
        .status(error.status)
        .type("application/problem+json")
        .json({
          type: `urn:spine-sim:error:${error.code}`,
          title: error.wire,
          status: error.status,
          detail: `${error.reason}. ${error.hint}`,
        });
    }
  };
  const bodyOf = (body: unknown): Record<string, unknown> =>
    typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};

  router.post("/_control/ssb/cards/insert", (req, res) => {
    insert(res, bodyOf(req.body), undefined, req.socket.remoteAddress ?? "");
  });
  router.post("/_control/ssb/cards/:cardId/insert", (req, res) => {
    insert(res, bodyOf(req.body), req.params.cardId, req.socket.remoteAddress ?? "");
  });
  router.post("/_control/ssb/logout", (req, res) => {
    const ticket = text(bodyOf(req.body).ticket) ?? "";
    const ended = deps.ssb.logout(ticket);
    deps.journal.record({
      kind: "ssb.logout",
      listener: "control",
      summary: ended ? "card removed: session logged out" : "card removed: no live session for that ticket",
    });
    res.json({ ended });
  });
  router.get("/_control/ssb/people", (_req, res) => {
    res.json([...deps.ssbPeople().values()].map(describePerson));
  });
  return router;
}
