/**
 * The SDS part of the control API:
 *   GET  /_control/sds/behaviour   the fault hook's state (delayMs, unavailable, who set it, when)
 *   PUT  /_control/sds/behaviour   { "delayMs": 250, "unavailable": false }; fields left out keep their value
 *   POST /_control/sds/ldif        LDIF content records as the body: checked against the schema and the
 *                                  tree, stored as the import overlay, served at once. ?replace=true
 *                                  drops earlier imports first; ?source=NAME names the body in messages.
 * Refusals are SimErrors, answered as JSON problems by the control app's mapper (with `problems`:
 * every line and what is wrong with it, for LDIF).
 */
import express, { type Router } from "express";
import type { LdifImportRequest, LdifImportResult } from "../../core/directory/directory-sources.js";
import type { SdsBehaviourControl } from "../../core/directory/sds-behaviour.js";
import { SimError } from "../../core/errors.js";

export interface SdsControlDeps {
  readonly sdsBehaviour: SdsBehaviourControl;
  importLdif(
    request: Omit<LdifImportRequest, "now">,
  ): LdifImportResult & { readonly directoryVersion: number };
}

/** The largest LDIF body accepted (a full SDS extract for one supplier is far smaller). */
const maxLdifBytes = "64mb";

export function sdsControlRoutes(deps: SdsControlDeps): Router {
  const router = express.Router();

  router.get("/_control/sds/behaviour", (_req, res) => {
    res.json(deps.sdsBehaviour.describe());
  });
  router.put("/_control/sds/behaviour", (req, res) => {
    if (typeof req.body !== "object" || req.body === null) {
      throw new SimError("CONFIG_INVALID", "PUT /_control/sds/behaviour needs a JSON body", {
        hint: 'Send Content-Type: application/json with {"delayMs": 250, "unavailable": false}.',
        details: { setting: "sds" },
      });
    }
    res.json(deps.sdsBehaviour.set(req.body, "control API"));
  });

  router.post("/_control/sds/ldif", express.text({ type: () => true, limit: maxLdifBytes }), (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== "string") {
      throw new SimError("CONFIG_INVALID", "POST /_control/sds/ldif needs LDIF text as the request body", {
        hint: "Send the file as it is, e.g. curl --data-binary @entries.ldif -H 'Content-Type: text/plain' …/_control/sds/ldif (not JSON).",
        details: { setting: "body" },
      });
    }
    const source =
      typeof req.query.source === "string" && req.query.source !== "" ? req.query.source : "request body";
    const replace = req.query.replace === "true" || req.query.replace === "1";
    res.json(deps.importLdif({ text: body, source, replace }));
  });
  return router;
}
