/**
 * Asynchronous replies into the outbox (mhs-wire.md §7): routed by SDS to the requester's MHS entry
 * for the reply's service-interaction (sender's party key + reply svc-IA), with that entry's CPA id
 * and contract (DuplicateElimination, AckRequested, SyncReply, retries, retry interval, persist
 * duration), first attempted after the reply delay. The delivery worker takes it from there.
 */
import {
  ACTOR_TO_PARTY_MSH,
  asyncReplyHeader,
  buildEbxmlMessage,
  type ReplyContract,
} from "../messaging/ebxml-build.js";
import type { EbxmlHeader } from "../messaging/ebxml.js";
import type { OutboundMessage } from "../store/message-store.js";
import { rawBody, type ExchangeLog } from "./exchange-log.js";
import type { MhsDeps } from "./mhs-types.js";
import type { ResponderReply } from "./responders/responder.js";
import type { MhsEntry } from "./sds-routes.js";

/** When the receiver's entry names no persist duration (e.g. unreliable), give up after an hour. */
const defaultPersistMs = 3_600_000;

export function replyContractOf(entry: MhsEntry): ReplyContract {
  const { contract } = entry;
  const noSyncReply = /^(none|never)$/i.test(contract.syncReplyMode);
  return {
    cpaId: entry.cpaId,
    duplicateElimination: contract.duplicateElimination,
    ...(contract.ackRequested ? { ackActor: contract.actor ?? ACTOR_TO_PARTY_MSH } : {}),
    // An unreliable reply carries no reliability elements at all (§7.3).
    syncReply: contract.ackRequested && !noSyncReply,
  };
}

/**
 * Finds the route for a reply: the requester's entry for `service:reply`, else (for application
 * acknowledgements, which suppliers often register only under their request's reply) `service:fallback`.
 */
export function routeReply(
  deps: Pick<MhsDeps, "routes">,
  request: EbxmlHeader,
  replyInteraction: string,
  fallbackInteraction?: string,
): MhsEntry | undefined {
  const routes = deps.routes();
  return (
    routes.entry(request.fromPartyId, `${request.service}:${replyInteraction}`) ??
    (fallbackInteraction === undefined
      ? undefined
      : routes.entry(request.fromPartyId, `${request.service}:${fallbackInteraction}`))
  );
}

/** Builds the reply, stores it in the outbox and pokes the worker; journals either outcome. */
export function queueReply(
  deps: MhsDeps,
  log: ExchangeLog,
  request: EbxmlHeader,
  reply: ResponderReply,
  fallbackInteraction?: string,
): OutboundMessage | undefined {
  const route = routeReply(deps, request, reply.interaction, fallbackInteraction);
  const svcIA = `${request.service}:${reply.interaction}`;
  if (route === undefined) {
    const known = deps.routes().receivedBy(request.fromPartyId);
    log.fail(
      "mhs.reply.unroutable",
      `cannot deliver ${reply.interaction} to ${request.fromPartyId}: SDS has no nhsMhs entry for that party receiving ${svcIA}`,
      {
        ruleIds: ["SDS-ROUTE"],
        reply: reply.interaction,
        to: request.fromPartyId,
        svcIA,
        registeredFor: known,
        raw: rawBody(reply.xml),
      },
    );
    return undefined;
  }
  const now = deps.clock.now();
  const messageId = deps.newId();
  const contract = replyContractOf(route);
  const header = asyncReplyHeader(request, {
    service: request.service,
    action: reply.interaction,
    contract,
    now,
    messageId,
    spinePartyKey: deps.spine.partyKey,
  });
  const built = buildEbxmlMessage(header, {
    xml: reply.xml,
    ...(reply.description === undefined ? {} : { description: reply.description }),
    ...(reply.schema === undefined ? {} : { schema: reply.schema }),
  });
  const reliable = contract.ackActor !== undefined;
  const queued = deps.messages.enqueue({
    messageId,
    conversationId: request.conversationId,
    refToMessageId: request.messageId,
    toPartyKey: route.partyKey,
    svcIA: route.svcIA,
    url: route.endpoint,
    soapAction: built.soapAction,
    contentType: built.contentType,
    body: built.body,
    ackRequested: reliable,
    retries: reliable ? route.contract.retries : 0,
    retryIntervalMs: route.contract.retryIntervalMs,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (route.contract.persistDurationMs ?? defaultPersistMs)).toISOString(),
    nextAttemptAt: new Date(now.getTime() + deps.replyDelayMs).toISOString(),
  });
  log.record(
    "mhs.reply.queued",
    `${reply.interaction} ${messageId} queued for ${route.partyKey} at ${route.endpoint}: ${reply.outcome}`,
    {
      replyMessageId: messageId,
      reply: reply.interaction,
      to: route.partyKey,
      url: route.endpoint,
      cpaId: route.cpaId,
      ackRequested: reliable,
      retries: queued.retries,
      retryIntervalMs: queued.retryIntervalMs,
      expiresAt: queued.expiresAt,
      raw: rawBody(built.body),
    },
  );
  deps.poke();
  return queued;
}
