/**
 * The ebXML checks answered with a MessageError (validation-rules.md §4–§6, V2–V4), as data: each
 * rule names its id, the patterns it applies to, its layer, the error it produces and a check that
 * says what is wrong or nothing. Layers run in order and stop at the first that fails; every failure
 * of that layer is reported in one ErrorList (V3). Only rules of the `both` profile are here; the
 * strict-only rules and the HL7 layers arrive with full Part C validation.
 */
import {
  ACTOR_TO_PARTY_MSH,
  PARTY_TYPE,
  SOAP_ACTOR_NEXT,
  type EbxmlErrorInput,
} from "../messaging/ebxml-build.js";
import type { EbxmlHeader } from "../messaging/ebxml.js";
import type { MimePart } from "../messaging/mime.js";
import type { MhsEntry, MhsRoutes } from "./sds-routes.js";

export type EbxmlPattern = "reliable" | "unreliable";

export interface EbxmlRuleContext {
  readonly pattern: EbxmlPattern;
  readonly header: EbxmlHeader;
  /** `eb:Service:eb:Action`. */
  readonly svcIA: string;
  /** Spine's entry for the service-interaction (found by HTTP-004 before these rules run). */
  readonly spineEntry: MhsEntry;
  readonly routes: MhsRoutes;
  readonly parts: readonly MimePart[];
}

export interface EbxmlRule {
  readonly id: string;
  readonly layer: "header" | "reliability" | "manifest";
  readonly patterns: readonly EbxmlPattern[];
  readonly error: EbxmlErrorInput;
  /** What is wrong, precisely enough to fix it; undefined when the message passes. */
  check(context: EbxmlRuleContext): string | undefined;
}

export interface EbxmlViolation {
  readonly ruleId: string;
  readonly error: EbxmlErrorInput;
  readonly message: string;
}

const BOTH: readonly EbxmlPattern[] = ["reliable", "unreliable"];
const RELIABLE: readonly EbxmlPattern[] = ["reliable"];
const UNRELIABLE: readonly EbxmlPattern[] = ["unreliable"];

const err = (errorCode: string, code: string, text: string): EbxmlErrorInput => ({ errorCode, code, text });
const errors = {
  version: err("ValueNotRecognized", "509901", "Invalid eb:MessageHeader version"),
  toParty: err("ValueNotRecognized", "501314", "Invalid To Party Type attribute"),
  contract: err("ValueNotRecognized", "402005", "An error occurred while finding the defined contract"),
  cpaId: err("ValueNotRecognized", "501319", "Unknown eb:CPAId"),
  fromParty: err("ValueNotRecognized", "509916", "Unknown eb:From PartyId"),
  dupElim: err("Inconsistent", "509903", "eb:DuplicateElimination inconsistent with contract"),
  ackRequested: err("Inconsistent", "509904", "eb:AckRequested inconsistent with contract"),
  ackVersion: err("ValueNotRecognized", "509905", "eb:AckRequested version invalid"),
  ackSigned: err("ValueNotRecognized", "509906", "eb:AckRequested signed attribute invalid"),
  ackActor: err("Inconsistent", "509907", "eb:AckRequested actor invalid"),
  syncReply: err("Inconsistent", "509908", "eb:SyncReply inconsistent with contract"),
  syncReplyVersion: err("ValueNotRecognized", "509909", "eb:SyncReply version invalid"),
  syncReplyActor: err("Inconsistent", "509910", "eb:SyncReply actor invalid"),
  manifest: err("ValueNotRecognized", "509911", "Invalid manifest reference"),
  manifestCount: err("Inconsistent", "509911", "Invalid manifest reference"),
  unresolved: err("MimeProblem", "509912", "Manifest reference cannot be resolved to a MIME part"),
} as const;

const same = (a: string, b: string): boolean => a.trim().toUpperCase() === b.trim().toUpperCase();

export const ebxmlRules: readonly EbxmlRule[] = [
  // --- header and contract (§4) ---
  {
    id: "EBXML-HDR-011",
    layer: "header",
    patterns: BOTH,
    error: errors.version,
    check: ({ header }) =>
      header.messageHeaderVersion === undefined || header.messageHeaderVersion === "2.0"
        ? undefined
        : `eb:MessageHeader/@eb:version is "${header.messageHeaderVersion}"; send 2.0 or leave it out`,
  },
  {
    id: "EBXML-HDR-012",
    layer: "header",
    patterns: BOTH,
    error: errors.toParty,
    check: ({ header }) =>
      header.toPartyType === PARTY_TYPE
        ? undefined
        : `eb:To/eb:PartyId/@eb:type is ${header.toPartyType === undefined ? "missing" : `"${header.toPartyType}"`}; expected ${PARTY_TYPE}`,
  },
  {
    id: "EBXML-HDR-014",
    layer: "header",
    patterns: BOTH,
    error: errors.toParty,
    check: ({ header, spineEntry, svcIA }) =>
      same(header.toPartyId, spineEntry.partyKey)
        ? undefined
        : `eb:To is "${header.toPartyId}"; ${svcIA} is received by Spine's party key ${spineEntry.partyKey}`,
  },
  {
    id: "EBXML-HDR-015",
    layer: "header",
    patterns: BOTH,
    error: errors.contract,
    check: ({ header, routes, svcIA }) =>
      routes.entry(header.toPartyId, svcIA) !== undefined
        ? undefined
        : `no nhsMhs entry has party key ${header.toPartyId} and service-interaction ${svcIA}`,
  },
  {
    id: "EBXML-HDR-016",
    layer: "header",
    patterns: BOTH,
    error: errors.cpaId,
    check: ({ header, routes, svcIA }) => {
      const contract = routes.entry(header.toPartyId, svcIA);
      return contract === undefined || contract.cpaId === header.cpaId
        ? undefined
        : `eb:CPAId is "${header.cpaId}"; the contract for ${svcIA} with ${contract.partyKey} is ${contract.cpaId}`;
    },
  },
  {
    id: "EBXML-HDR-017",
    layer: "header",
    patterns: BOTH,
    error: errors.fromParty,
    check: ({ header, routes }) =>
      routes.knowsParty(header.fromPartyId)
        ? undefined
        : `eb:From party key "${header.fromPartyId}" is not in SDS; register the endpoint (POST /_control/endpoints) or add it to the scenario`,
  },
  // --- reliability elements per pattern (§5) ---
  {
    id: "EBXML-REL-001",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.dupElim,
    check: ({ header }) =>
      header.duplicateElimination
        ? undefined
        : "the reliable pattern requires eb:DuplicateElimination in eb:MessageHeader",
  },
  {
    id: "EBXML-REL-002",
    layer: "reliability",
    patterns: UNRELIABLE,
    error: errors.dupElim,
    check: ({ header }) =>
      header.duplicateElimination
        ? "the unreliable pattern must not carry eb:DuplicateElimination"
        : undefined,
  },
  {
    id: "EBXML-REL-005",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.ackRequested,
    check: ({ header }) =>
      header.ackRequested === undefined
        ? "the reliable pattern requires eb:AckRequested in SOAP:Header"
        : undefined,
  },
  {
    id: "EBXML-REL-006",
    layer: "reliability",
    patterns: UNRELIABLE,
    error: errors.ackRequested,
    check: ({ header }) =>
      header.ackRequested === undefined ? undefined : "the unreliable pattern must not carry eb:AckRequested",
  },
  {
    id: "EBXML-REL-007",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.ackVersion,
    check: ({ header }) =>
      header.ackRequested === undefined || header.ackRequested.version === "2.0"
        ? undefined
        : `eb:AckRequested/@eb:version is ${header.ackRequested.version === undefined ? "missing" : `"${header.ackRequested.version}"`}; expected 2.0`,
  },
  {
    id: "EBXML-REL-008",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.ackSigned,
    check: ({ header }) =>
      header.ackRequested === undefined || header.ackRequested.signed === "false"
        ? undefined
        : `eb:AckRequested/@eb:signed is ${header.ackRequested.signed === undefined ? "missing" : `"${header.ackRequested.signed}"`}; expected false`,
  },
  {
    id: "EBXML-REL-009",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.ackActor,
    check: ({ header }) =>
      header.ackRequested === undefined || header.ackRequested.actor === ACTOR_TO_PARTY_MSH
        ? undefined
        : `eb:AckRequested/@SOAP:actor is ${header.ackRequested.actor === undefined ? "missing" : `"${header.ackRequested.actor}"`}; expected ${ACTOR_TO_PARTY_MSH}`,
  },
  {
    id: "EBXML-REL-011",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.syncReply,
    check: ({ header }) =>
      header.syncReply ? undefined : "the reliable pattern requires eb:SyncReply in SOAP:Header",
  },
  {
    id: "EBXML-REL-012",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.syncReplyVersion,
    check: ({ header }) =>
      !header.syncReply || header.syncReplyAttributes?.version === "2.0"
        ? undefined
        : `eb:SyncReply/@eb:version is ${header.syncReplyAttributes?.version === undefined ? "missing" : `"${header.syncReplyAttributes.version}"`}; expected 2.0`,
  },
  {
    id: "EBXML-REL-013",
    layer: "reliability",
    patterns: RELIABLE,
    error: errors.syncReplyActor,
    check: ({ header }) =>
      !header.syncReply || header.syncReplyAttributes?.actor === SOAP_ACTOR_NEXT
        ? undefined
        : `eb:SyncReply/@SOAP:actor is ${header.syncReplyAttributes?.actor === undefined ? "missing" : `"${header.syncReplyAttributes.actor}"`}; expected ${SOAP_ACTOR_NEXT}`,
  },
  // --- manifest (§6) and MIME-004 ---
  {
    id: "EBXML-MAN-001",
    layer: "manifest",
    patterns: BOTH,
    error: errors.manifest,
    check: ({ header }) =>
      header.manifestVersion === undefined || header.manifestVersion === "2.0"
        ? undefined
        : `eb:Manifest/@eb:version is "${header.manifestVersion}"; expected 2.0`,
  },
  {
    id: "EBXML-MAN-002",
    layer: "manifest",
    patterns: BOTH,
    error: errors.manifestCount,
    check: ({ header }) =>
      header.manifest.length === 1
        ? undefined
        : `eb:Manifest has ${header.manifest.length} eb:Reference elements; exactly one (the HL7 payload) is required on this pattern`,
  },
  {
    id: "EBXML-MAN-003",
    layer: "manifest",
    patterns: BOTH,
    error: errors.manifest,
    check: ({ header }) => {
      const href = header.manifest[0]?.href;
      return href === undefined || href.slice(href.indexOf(":") + 1).trim() !== ""
        ? undefined
        : `the first eb:Reference has xlink:href "${href}"; it must name the payload, e.g. cid:<Content-Id>`;
    },
  },
  {
    id: "MIME-004",
    layer: "manifest",
    patterns: BOTH,
    error: errors.unresolved,
    check: ({ header, parts }) => {
      const ids = new Set(
        parts.flatMap((p) => (p.contentId === undefined ? [] : [p.contentId.toLowerCase()])),
      );
      const missing = header.manifest.filter(
        (r) => r.contentId !== undefined && r.contentId !== "" && !ids.has(r.contentId.toLowerCase()),
      );
      return missing.length === 0
        ? undefined
        : `no MIME part has Content-Id ${missing.map((r) => `<${r.contentId ?? ""}>`).join(", ")} (named by the manifest)`;
    },
  },
];

const layers = ["header", "reliability", "manifest"] as const;

/** The violations of the first failing layer, in rule order; empty when the message passes. */
export function checkEbxml(
  context: EbxmlRuleContext,
  rules: readonly EbxmlRule[] = ebxmlRules,
): EbxmlViolation[] {
  for (const layer of layers) {
    const violations: EbxmlViolation[] = [];
    for (const rule of rules) {
      if (rule.layer !== layer || !rule.patterns.includes(context.pattern)) continue;
      const message = rule.check(context);
      if (message !== undefined) violations.push({ ruleId: rule.id, error: rule.error, message });
    }
    if (violations.length > 0) return violations;
  }
  return [];
}
