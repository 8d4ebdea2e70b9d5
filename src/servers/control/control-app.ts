/**
 * The control API (plain HTTP, loopback by default): health, scenario, registered endpoints and the
 * journal. Later features add faults, the clock, verification and the console here. Errors are
 * JSON problems (RFC 9457) that say what to do.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { isSimError, SimError } from "../../core/errors.js";
import { parseDurationMs } from "../../core/duration.js";
import type { OutboundMessage } from "../../core/store/message-store.js";
import { healthRoutes } from "../http/health-routes.js";
import { sdsControlRoutes, type SdsControlDeps } from "./sds-control-routes.js";
import { ssbControlRoutes, type SsbControlDeps } from "./ssb-control-routes.js";
import type { ServerDeps } from "../server-deps.js";
import type { EndpointRegistration, RegisteredEndpointInfo } from "../../core/directory/register-endpoint.js";

export interface ControlDeps extends ServerDeps, SdsControlDeps, SsbControlDeps {
  registerEndpoint(registration: EndpointRegistration): Promise<RegisteredEndpointInfo>;
  /** Moves a virtual clock forward and wakes what waits on it (the MHS delivery worker). */
  advanceClock(milliseconds: number): Date;
}

export function createControlApp(deps: ControlDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoutes(deps));
  app.use("/_control", requireToken(deps.config.controlToken));
  app.use("/_control", express.json({ limit: "1mb" }));
  app.use(sdsControlRoutes(deps));
  app.use(ssbControlRoutes(deps));

  app.get("/_control/scenario", (_req, res) => {
    res.json(deps.store.loadedScenario() ?? null);
  });
  app.get("/_control/endpoints", (_req, res) => {
    res.json(deps.store.registeredEndpoints());
  });
  app.post("/_control/endpoints", async (req, res) => {
    const body = req.body as Partial<EndpointRegistration> | undefined;
    const registered = await deps.registerEndpoint({
      odsCode: body?.odsCode ?? "",
      url: body?.url ?? "",
      interactions: Array.isArray(body?.interactions) ? body.interactions.map(String) : [],
    });
    res.status(201).json(registered);
  });
  app.get("/_control/journal", (req, res) => {
    const afterId = Number(req.query.after ?? 0);
    const limit = Math.min(Number(req.query.limit ?? 100), 1000);
    res.json(
      deps.journal.list({
        afterId: Number.isFinite(afterId) ? afterId : 0,
        limit: Number.isFinite(limit) ? limit : 100,
      }),
    );
  });

  // MHS messaging: one message's journal events, its outbox state and the replies it caused.
  app.get("/_control/messages/:messageId", (req, res) => {
    const { messageId } = req.params;
    const withoutBody = ({ body, ...rest }: OutboundMessage) => ({ ...rest, bytes: body.length });
    const journal = deps.journal.list({ messageId, limit: 1000 });
    const outbound = deps.store.messages.outbound(messageId);
    const replies = deps.store.messages.repliesTo(messageId).map(withoutBody);
    if (journal.length === 0 && outbound === undefined && replies.length === 0) {
      throw new SimError("NOT_FOUND", `No message ${messageId} in the journal or the outbox`, {
        hint: "Use the eb:MessageId (or wsa:MessageID) exactly as sent or as shown in GET /_control/journal.",
      });
    }
    res.json({
      messageId,
      journal,
      outbound: outbound === undefined ? null : withoutBody(outbound),
      replies,
    });
  });
  // The virtual clock: { "by": "PT1M" } or { "ms": 60000 }.
  app.post("/_control/clock/advance", (req, res) => {
    const body = req.body as { by?: unknown; ms?: unknown } | undefined;
    const ms =
      typeof body?.ms === "number"
        ? body.ms
        : typeof body?.by === "string"
          ? parseDurationMs(body.by)
          : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
      throw new SimError(
        "CONFIG_INVALID",
        'POST /_control/clock/advance needs { "by": "PT1M" } or { "ms": 60000 }',
        {
          details: { setting: "by", value: body?.by ?? body?.ms },
        },
      );
    }
    res.json({ now: deps.advanceClock(ms).toISOString() });
  });

  app.use((req, res) => {
    res
      .status(404)
      .type("application/problem+json")
      .json({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        detail: `No control route ${req.method} ${req.path}. Routes: GET /_health, GET /_version, GET /_control/scenario, GET|POST /_control/endpoints, GET /_control/journal, GET /_control/messages/:messageId, POST /_control/clock/advance, GET|PUT /_control/sds/behaviour, POST /_control/sds/ldif, POST /_control/ssb/cards/insert, POST /_control/ssb/cards/:cardId/insert, POST /_control/ssb/logout, GET /_control/ssb/people`,
      });
  });
  app.use(problemMapper(deps));
  return app;
}

function requireToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined || req.headers.authorization === `Bearer ${token}`) {
      next();
      return;
    }
    res.status(401).type("application/problem+json").json({
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      detail: "The control API needs the header `Authorization: Bearer <control token>` (--control-token).",
    });
  };
}

function problemMapper(deps: ServerDeps): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (isSimError(error)) {
      const status = error.code === "NOT_FOUND" ? 404 : 400;
      res
        .status(status)
        .type("application/problem+json")
        .json({
          type: `urn:spine-sim:error:${error.code}`,
          title: error.message,
          status,
          detail: error.hint ?? error.message,
          ...error.details,
        });
      return;
    }
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) deps.logger.error({ err: error }, "control API error");
    res
      .status(status)
      .type("application/problem+json")
      .json({
        type: "about:blank",
        title: status >= 500 ? "Internal Server Error" : "Bad Request",
        status,
        detail: (error as Error).message,
      });
  };
}
