/**
 * The one HTTPS application: every Spine HTTP service shares it, routed by path (environments.md
 * E2), so one port and one certificate answer for every hostname.
 */
import express, { type ErrorRequestHandler, type Router } from "express";
import type { ServerDeps } from "../server-deps.js";
import { healthRoutes } from "./health-routes.js";
import { buildSoapFault, soapFaultContentType } from "./soap-fault.js";

export function createHttpApp(deps: ServerDeps, services: readonly Router[] = []): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(healthRoutes(deps));
  for (const service of services) app.use(service);
  // HTTP-002: a path Spine does not serve is a bare 404 with an empty body.
  app.use((req, res) => {
    deps.logger.info({ method: req.method, path: req.path }, "no Spine service at this path");
    res.status(404).end();
  });
  app.use(lastResort(deps));
  return app;
}

/** Anything a handler did not map becomes TMS 200 "System failure", logged and journalled. */
function lastResort(deps: ServerDeps): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.error({ err: error, path: req.path }, "unhandled error in an HTTP handler");
    deps.journal.record({
      kind: "http.error",
      listener: "https",
      summary: `${req.method} ${req.path}: ${message}`,
    });
    // Written by hand: res.send() would add "; charset=utf-8", which the MHS adaptor refuses on faults.
    res.status(500).setHeader("Content-Type", soapFaultContentType);
    res.end(
      buildSoapFault([
        {
          code: "200",
          location: "Not Supported",
          description: "System failure to process message - default",
        },
      ]),
    );
  };
}
