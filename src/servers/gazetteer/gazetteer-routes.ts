/**
 * The address finder on the HTTPS listener (gazetteer.md G1): POST /addressfinder/query answers
 * GetAddressList, GET /addressfinder/query?wsdl returns the WSDL. Every request is logged and
 * journalled, refused ones included, and nothing a client sends stops the service.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import type { ServerDeps } from "../server-deps.js";
import { gazetteerFailure, gazetteerReply, transportFailures, type WireReply } from "./gazetteer-errors.js";
import {
  createGazetteerHandler,
  refused,
  type GazetteerOptions,
  type GazetteerOutcome,
} from "./gazetteer-handler.js";
import { buildWsdl } from "./wsdl.js";

export const gazetteerPath = "/addressfinder/query";

/** HTTP-008: `text/xml`; the lenient profile also takes `application/xml`. SOAP 1.2 is refused. */
function acceptedMediaType(header: string | undefined, strict: boolean): boolean {
  const media = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return media === "text/xml" || (!strict && media === "application/xml");
}

export function gazetteerRoutes(deps: ServerDeps, options: GazetteerOptions = {}): Router {
  const log = deps.logger.child({ component: "gazetteer" });
  const handle = createGazetteerHandler(
    { addresses: deps.store.addresses, clock: deps.clock, profile: deps.config.validation },
    options,
  );
  const readBody = express.raw({ type: () => true, limit: deps.config.maxBodyBytes, inflate: false });
  const decoder = new TextDecoder("utf-8", { fatal: true });

  const finish = (res: Response, outcome: GazetteerOutcome): void => {
    const level = outcome.kind === "gazetteer.query" ? "info" : "warn";
    log[level]({ messageId: outcome.messageId, ...outcome.detail }, outcome.summary);
    deps.journal.record({
      kind: outcome.kind,
      listener: "https",
      messageId: outcome.messageId,
      summary: outcome.summary,
      detail: outcome.detail,
    });
    write(res, outcome.reply);
  };

  const router = Router();
  // The pipeline, in order; each step answers or hands on.
  router.all(gazetteerPath, (req, res, next) => {
    // 1. method: POST, or GET ?wsdl for the WSDL (HTTP-001)
    if (req.method === "GET" && /^wsdl$/i.test(req.url.split("?")[1] ?? "")) {
      const base = deps.config.publicUrl ?? `https://${req.headers.host ?? "localhost"}`;
      res
        .status(200)
        .type("text/xml")
        .send(buildWsdl(new URL(gazetteerPath, base).href));
      return;
    }
    if (req.method !== "POST") {
      const summary = `${req.method} ${gazetteerPath} refused with 405: the address finder takes POST (or GET ?wsdl for its WSDL)`;
      log.warn({ method: req.method }, summary);
      deps.journal.record({ kind: "gazetteer.refused", listener: "https", summary });
      res.status(405).set("Allow", "POST").end();
      return;
    }
    // 2. content type (HTTP-008)
    const contentType = req.headers["content-type"];
    if (!acceptedMediaType(contentType, deps.config.validation === "strict")) {
      const found = contentType === undefined ? "no Content-Type" : `Content-Type ${contentType}`;
      finish(
        res,
        refused(
          transportFailures.notWellFormed("HTTP Header - Content-Type", `${found}; send text/xml (SOAP 1.1)`),
        ),
      );
      return;
    }
    next();
  });
  // 3. body: at most maxBodyBytes, never inflated (no compression bombs); failures go to step 5
  router.post(gazetteerPath, readBody);
  // 4. parse → validate → search → serialize (gazetteer-handler.ts); anything unforeseen is GSA000
  router.post(gazetteerPath, (req: Request, res: Response) => {
    let text: string;
    try {
      text = Buffer.isBuffer(req.body) ? decoder.decode(req.body) : "";
    } catch {
      finish(res, refused(transportFailures.notWellFormed("HTTP Body", "the body is not valid UTF-8")));
      return;
    }
    let outcome: GazetteerOutcome;
    try {
      outcome = handle(text);
    } catch (unexpected) {
      log.error({ err: unexpected }, "unexpected failure in the address finder");
      const failure = gazetteerFailure(
        "GSA000",
        `unexpected: ${unexpected instanceof Error ? unexpected.message : String(unexpected)}`,
      );
      outcome = {
        reply: gazetteerReply(failure, "0:0:-8000"),
        kind: "gazetteer.error",
        summary: `GetAddressList answered GSA000 Unknown Error (${failure.reason})`,
        messageId: undefined,
        detail: { code: failure.code, reason: failure.reason },
      };
    }
    finish(res, outcome);
  });
  // 5. the body could not be read: too large (TMS 9001), compressed or broken (TMS 201)
  router.use(gazetteerPath, ((error: unknown, _req, res, next) => {
    const type = (error as { type?: unknown }).type;
    if (res.headersSent || type === "request.aborted") {
      next(error);
      return;
    }
    if (type === "entity.too.large")
      finish(res, refused(transportFailures.tooLarge(deps.config.maxBodyBytes)));
    else if (type === "encoding.unsupported")
      finish(
        res,
        refused(
          transportFailures.notWellFormed(
            "HTTP Header - Content-Encoding",
            "compressed request bodies are not accepted",
          ),
        ),
      );
    else
      finish(
        res,
        refused(
          transportFailures.notWellFormed(
            "HTTP Body",
            `the body could not be read: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
      );
  }) as ErrorRequestHandler);
  return router;
}

function write(res: Response, reply: WireReply): void {
  res.status(reply.status).type(reply.contentType).send(reply.body);
}
