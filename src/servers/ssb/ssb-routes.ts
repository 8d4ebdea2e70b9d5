/**
 * The Spine Security Broker on the HTTPS listener (ssb.md §8): GAS (`/login/*`) and sbapi
 * (`/amserver/*`, `/saml/*`, `/ssb/*`), served on every host name as open-source Identity Agents
 * call both. Every request is logged and journalled (`ssb.…`), refusals included. GAS and sbapi
 * answer 200 with their documented error bodies; only an unreadable body or a wrong method gets
 * another status.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import type { SsbService } from "../../core/ssb/ssb-service.js";
import type { ServerDeps } from "../server-deps.js";
import { readGpObject } from "./gp-object.js";
import { createSsbHandlers, type SsbCall, type SsbOutcome } from "./ssb-handler.js";

export const ssbPaths = {
  activate: "/login/authactivate",
  validate: "/login/authvalidate",
  logout: "/login/authlogout",
  error: "/login/error",
  dtd: "/login/dtd",
  naming: "/amserver/namingservice",
  session: "/amserver/sessionservice",
  roleAssertion: "/saml/RoleAssertion",
  roleSelectionGp: "/saml/RoleSelectionGP.jsp",
  roleSelectionWt: "/saml/RoleSelectionWT.jsp",
  deviceId: "/ssb/DeviceIDLogger",
} as const;

const safeHost = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/** Query values as single strings (a repeated parameter: the first wins). */
function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out[key] = first;
  }
  return out;
}

/** Tickets contain `+`; a client that forgets to URL-encode it sends a space. Tickets never hold spaces. */
const ticketFrom = (value: string | undefined): string => (value ?? "").trim().replace(/ /g, "+");

export function ssbRoutes(deps: ServerDeps, ssb: SsbService): Router {
  const log = deps.logger.child({ component: "ssb" });
  const handlers = createSsbHandlers(ssb, deps.clock);
  const readBody = express.raw({ type: () => true, limit: deps.config.maxBodyBytes, inflate: false });
  const decoder = new TextDecoder("utf-8");

  const callOf = (req: Request): SsbCall => {
    const host = req.headers.host ?? "";
    const base = (deps.config.publicUrl ?? `https://${safeHost.test(host) ? host : "localhost"}`).replace(
      /\/+$/,
      "",
    );
    return {
      base,
      clientIp: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
      serverIp: (req.socket.localAddress ?? "").replace(/^::ffff:/, ""),
    };
  };
  const bodyText = (req: Request): string => (Buffer.isBuffer(req.body) ? decoder.decode(req.body) : "");

  const finish = (res: Response, outcome: SsbOutcome): void => {
    log[outcome.refused ? "warn" : "info"]({ kind: outcome.kind, ...outcome.detail }, outcome.summary);
    deps.journal.record({
      kind: outcome.kind,
      listener: "https",
      summary: outcome.summary,
      detail: outcome.detail,
    });
    res.status(outcome.reply.status).type(outcome.reply.contentType).send(outcome.reply.body);
  };
  const methodNotAllowed = (res: Response, req: Request, allow: string): void => {
    const summary = `${req.method} ${req.path} refused with 405: use ${allow}`;
    log.warn({ method: req.method, path: req.path }, summary);
    deps.journal.record({ kind: "ssb.refused", listener: "https", summary });
    res.status(405).set("Allow", allow).type("text/plain").send(`${summary}\n`);
  };

  const router = Router();

  // GAS: gpOBJECT bodies, POST (logout also by GET with a body, as the NBU agent sends it).
  const gas = (
    path: string,
    methods: readonly string[],
    answer: (call: SsbCall, params: ReadonlyMap<string, string>, req: Request) => SsbOutcome,
  ): void => {
    router.all(path, (req, res, next) => {
      if (!methods.includes(req.method)) methodNotAllowed(res, req, methods.join(", "));
      else next();
    });
    router.all(path, readBody, (req, res) => {
      const call = callOf(req);
      const read = readGpObject(bodyText(req));
      if (!read.ok && path !== ssbPaths.logout) {
        finish(res, handlers.invalidGas(call, path, read.reason));
        return;
      }
      finish(res, answer(call, read.ok ? read.params : new Map(), req));
    });
  };
  gas(ssbPaths.activate, ["POST"], (call, params) => handlers.activate(call, params));
  gas(ssbPaths.validate, ["POST"], (call, params) => handlers.validate(call, params));
  gas(ssbPaths.logout, ["POST", "GET"], (_call, params, req) => {
    const query = queryOf(req);
    return handlers.logout(
      ticketFrom(params.get("sso_ticket") ?? query.sso_ticket ?? query.token),
      params.get("uid") ?? "",
    );
  });
  router.get(ssbPaths.error, (_req, res) => {
    res
      .status(200)
      .type("text/html")
      .send("<HTML><BODY>Authentication failed. Sign on again with the Identity Agent.</BODY></HTML>");
  });
  router.get(ssbPaths.dtd, (_req, res) => {
    // SIM-OWN: an empty DTD (ssb.md §8); clients never need it.
    res.status(200).type("application/xml-dtd").send("");
  });

  // sbapi
  router.get(ssbPaths.roleAssertion, (req, res) => {
    finish(res, handlers.roleAssertion(callOf(req), ticketFrom(queryOf(req).token)));
  });
  router.get(ssbPaths.roleSelectionGp, (req, res) => {
    const query = queryOf(req);
    finish(
      res,
      handlers.selectRole(ticketFrom(query.token), query.selectedRoleUid ?? "", query.ssbMode ?? "0"),
    );
  });
  router.get(ssbPaths.roleSelectionWt, (req, res) => {
    finish(res, handlers.roleSelectionPage(callOf(req), ticketFrom(queryOf(req).token)));
  });
  router.get(ssbPaths.deviceId, (req, res) => {
    finish(res, handlers.deviceId(queryOf(req)));
  });
  for (const [path, service] of [
    [ssbPaths.naming, "naming"],
    [ssbPaths.session, "session"],
  ] as const) {
    router.all(path, (req, res, next) => {
      if (req.method !== "POST") methodNotAllowed(res, req, "POST");
      else next();
    });
    router.post(path, readBody, (req, res) => {
      finish(res, handlers.pll(callOf(req), service, bodyText(req)));
    });
  }
  for (const path of [
    ssbPaths.roleAssertion,
    ssbPaths.roleSelectionGp,
    ssbPaths.roleSelectionWt,
    ssbPaths.deviceId,
  ]) {
    router.all(path, (req, res) => {
      methodNotAllowed(res, req, "GET");
    });
  }

  // A body that could not be read: too large, compressed or aborted.
  router.use(Object.values(ssbPaths), ((error: unknown, req, res, next) => {
    const type = (error as { type?: unknown }).type;
    if (res.headersSent || type === "request.aborted") {
      next(error);
      return;
    }
    const reason =
      type === "entity.too.large"
        ? `the request body is larger than ${deps.config.maxBodyBytes} bytes (setting maxBodyBytes)`
        : type === "encoding.unsupported"
          ? "compressed request bodies are not accepted"
          : `the body could not be read: ${error instanceof Error ? error.message : String(error)}`;
    // Mounted on a path, req.path is relative here; the original URL names the endpoint.
    const endpoint = req.originalUrl.split("?")[0] ?? "";
    if (endpoint.startsWith("/login/")) finish(res, handlers.invalidGas(callOf(req), endpoint, reason));
    else
      finish(res, {
        reply: {
          status: type === "entity.too.large" ? 413 : 400,
          contentType: "text/plain",
          body: `${reason}\n`,
        },
        kind: "ssb.refused",
        summary: `${endpoint} refused: ${reason}`,
        detail: { endpoint, reason },
        refused: true,
      });
  }) as ErrorRequestHandler);
  return router;
}
