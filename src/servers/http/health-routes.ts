/** `/_health` (200 when every listener is ready, else 503) and `/_version`, on HTTPS and control alike. */
import { Router } from "express";
import type { ServerDeps } from "../server-deps.js";

export function healthRoutes(deps: Pick<ServerDeps, "health" | "version" | "env" | "store">): Router {
  const router = Router();
  router.get("/_health", (_req, res) => {
    const health = deps.health();
    res.status(health.ready ? 200 : 503).json({ status: health.ready ? "ready" : "starting", ...health });
  });
  router.get("/_version", (_req, res) => {
    res.json({
      name: "spine-sim",
      version: deps.version,
      environment: deps.env.name,
      scenario: deps.store.loadedScenario()?.name ?? null,
      node: process.version,
    });
  });
  return router;
}
