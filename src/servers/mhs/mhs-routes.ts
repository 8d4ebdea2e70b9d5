/**
 * Spine's messaging paths on the HTTPS listener: /sync-service, /reliablemessaging/reliablerequest,
 * /reliablemessaging/queryrequest (and /intermediary, answered TMS 101 until multi-hop is built).
 * The adapter only moves bytes; the pipeline (src/core/mhs) decides everything, in this order:
 *
 *   1. method: POST only (HTTP-001 → 405, Allow: POST)
 *   2. body: at most maxBodyBytes, never inflated (HTTP-009 → TMS 9001); unreadable → TMS 201
 *   3. the pattern's pipeline → an answer (data)
 *   4. the answer as bytes (mhs-errors.ts), written exactly: no charset added to text/xml
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { mhsPaths, type MhsService } from "../../core/mhs/mhs-service.js";
import type { MhsRequest } from "../../core/mhs/mhs-types.js";
import type { Socket } from "node:net";
import { clientIdentity, type ClientIdentity } from "../http/client-identity.js";
import { toWire, type WireAnswer } from "./mhs-errors.js";

export interface MhsRouteDeps {
  readonly service: MhsService;
  readonly maxBodyBytes: number;
  readonly spinePartyKey: string;
}

const paths = Object.keys(mhsPaths);

export function mhsRoutes(deps: MhsRouteDeps): Router {
  const router = Router();
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes, inflate: false });

  // The peer certificate is fixed for a connection; reading it builds a large object, so once per socket.
  const identities = new WeakMap<Socket, ClientIdentity | undefined>();
  const identityOf = (req: Request): ClientIdentity | undefined => {
    if (identities.has(req.socket)) return identities.get(req.socket);
    const identity = clientIdentity(req);
    identities.set(req.socket, identity);
    return identity;
  };

  const requestOf = (req: Request, body: Buffer): MhsRequest => {
    const identity = identityOf(req);
    return {
      path: req.path,
      soapAction: req.headers.soapaction,
      contentType: req.headers["content-type"],
      body,
      ...(identity === undefined ? {} : { clientIdentity: identity }),
    };
  };

  // 1. method
  router.all(paths, (req, res, next) => {
    if (req.method === "POST") {
      next();
      return;
    }
    deps.service.methodNotAllowed(req.path, req.method);
    res.writeHead(405, { allow: "POST", "content-length": "0" }).end();
  });
  // 2. body
  router.post(paths, readBody);
  // 3. pipeline, 4. bytes
  router.post(paths, (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    write(res, toWire(deps.service.handle(requestOf(req, body)), deps.spinePartyKey));
  });
  // 2'. the body could not be read: too large (TMS 9001), compressed or broken (TMS 201)
  router.use(paths, ((error: unknown, req, res, next) => {
    const type = (error as { type?: unknown }).type;
    if (res.headersSent || type === "request.aborted") {
      next(error);
      return;
    }
    const request = requestOf(req, Buffer.alloc(0));
    const fault =
      type === "entity.too.large"
        ? deps.service.refuse(request, {
            ruleId: "HTTP-009",
            location: "HTTP Body",
            message: `the body is larger than ${deps.maxBodyBytes} bytes (maxBodyBytes; Spine's limit is 5 MB)`,
          })
        : deps.service.refuse(request, {
            ruleId: "MIME-001",
            location: type === "encoding.unsupported" ? "HTTP Header - Content-Encoding" : "HTTP Body",
            message:
              type === "encoding.unsupported"
                ? "compressed request bodies are not accepted"
                : `the body could not be read: ${error instanceof Error ? error.message : String(error)}`,
          });
    write(res, toWire(fault, deps.spinePartyKey));
  }) as ErrorRequestHandler);
  return router;
}

function write(res: Response, answer: WireAnswer): void {
  // writeHead, not res.type(): Express would add "; charset=utf-8", which the MHS adaptor refuses.
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
  res.end(answer.body);
}
