/**
 * GetAddressList from request text to reply: a handler that returns data (the bytes to write and
 * what to journal) and never touches the HTTP response. Transport checks (method, content type,
 * body size) happen in gazetteer-routes.ts before it.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import type { GazetteerCode } from "../../core/gazetteer/codes.js";
import { formatAddress } from "../../core/gazetteer/format-address.js";
import {
  rejection,
  validateRequest,
  type AddressListRequest,
  type Diagnostic,
  type ValidationProfile,
} from "../../core/gazetteer/query.js";
import {
  createAddressSearch,
  type AddressSearchOptions,
  type SearchOutcome,
} from "../../core/gazetteer/search.js";
import type { AddressStore } from "../../core/store/address-store.js";
import {
  describeFailure,
  gazetteerFailure,
  gazetteerReply,
  transportFailures,
  transportReply,
  type GazetteerFailure,
  type TransportFailure,
  type WireReply,
} from "./gazetteer-errors.js";
import { readAddressListRequest, requestXpath } from "./soap-request.js";
import { buildAddressListResponse } from "./soap-response.js";
import { readXml } from "./xml-tree.js";

export interface GazetteerOptions {
  readonly search?: AddressSearchOptions;
  /**
   * A scripted answer, checked after validation and before the search: return a code (GSS001,
   * GSS008, GSA003, …) to answer with it instead. The hook for the failure-scenario engine and tests.
   */
  readonly script?: (request: AddressListRequest) => GazetteerCode | undefined;
  /** Return postcodes as `LS17 8DB` rather than the sample's `LS178DB` (G15). */
  readonly spacedPostcode?: boolean;
}

export interface GazetteerDeps {
  readonly addresses: AddressStore;
  readonly clock: Clock;
  readonly profile: ValidationProfile;
}

/** What one request came to: the reply plus what the log and the journal should say. */
export interface GazetteerOutcome {
  readonly reply: WireReply;
  readonly kind: "gazetteer.query" | "gazetteer.error" | "gazetteer.refused";
  readonly summary: string;
  readonly messageId: string | undefined;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type GazetteerHandler = (body: string) => GazetteerOutcome;

export function createGazetteerHandler(
  deps: GazetteerDeps,
  options: GazetteerOptions = {},
): GazetteerHandler {
  const search = createAddressSearch(deps.addresses, options.search);
  search.prime(); // the vocabulary is built at start, not on the first request
  const responseId = responseIds(deps.clock);

  return (body) => {
    // 1. parse: well-formed XML without a DTD, a SOAP 1.1 Envelope with a Body (else a SOAP Fault)
    const xml = readXml(body);
    if (!xml.ok)
      return refused(
        transportFailures.notWellFormed(xml.problem === "doctype" ? "DOCTYPE" : "SOAP:Envelope", xml.reason),
      );
    const soap = readAddressListRequest(xml.root);
    if (soap.kind === "not-soap") return refused(transportFailures.notWellFormed(soap.location, soap.reason));
    const { request } = soap;
    const messageId = request.messageId === "" ? undefined : request.messageId;

    // 2. validate: structure first, then values; the profile decides which findings reject
    const validated = validateRequest(request);
    const diagnostics = [...soap.diagnostics, ...validated.diagnostics];
    const rejected = rejection(diagnostics, deps.profile);
    if (rejected !== undefined) return failed(failureFor(rejected), messageId, diagnostics);

    // 3. scripted answers take the place of the search
    const scripted = options.script?.(request);
    if (scripted !== undefined)
      return failed(gazetteerFailure(scripted, "scripted answer"), messageId, diagnostics);

    // 4. search
    let outcome: SearchOutcome;
    const started = performance.now();
    try {
      outcome = search.search(validated.query);
    } catch (error) {
      return failed(
        gazetteerFailure("GSS007", `the search failed: ${errorText(error)}`),
        messageId,
        diagnostics,
      );
    }
    const ms = Math.round((performance.now() - started) * 100) / 100;
    if (outcome.kind === "no-data") {
      return failed(
        gazetteerFailure("GSS002", "no addresses are loaded: the scenario names no seed.addresses file"),
        messageId,
        diagnostics,
      );
    }
    if (outcome.kind === "timed-out") {
      return failed(
        gazetteerFailure("GSB001", `the search took over its ${outcome.budgetMs} ms budget`),
        messageId,
        diagnostics,
      );
    }
    if (outcome.kind === "too-many") {
      return failed(
        gazetteerFailure(
          "GSB002",
          `${outcome.total} matches, above the ceiling of ${outcome.ceiling}; narrow the search`,
        ),
        messageId,
        diagnostics,
      );
    }

    // 5. serialize
    let text: string;
    try {
      const lines = outcome.addresses.map((a) =>
        formatAddress(a, { spacedPostcode: options.spacedPostcode === true }),
      );
      text = buildAddressListResponse(responseId(), lines, outcome.total);
    } catch (error) {
      return failed(
        gazetteerFailure("GSA003", `the response could not be built: ${errorText(error)}`),
        messageId,
        diagnostics,
      );
    }
    return {
      reply: { status: 200, contentType: "text/xml", body: text },
      kind: "gazetteer.query",
      summary: `GetAddressList ${describeQuery(request)}: ${outcome.addresses.length} of ${outcome.total} (${outcome.mode}, ${outcome.match}) in ${ms} ms`,
      messageId,
      detail: {
        mode: outcome.mode,
        match: outcome.match,
        returned: outcome.addresses.length,
        total: outcome.total,
        maxno: validated.query.maxno,
        postcode: outcome.postcode,
        ms,
        ...(diagnostics.length > 0 ? { diagnostics } : {}),
      },
    };
  };

  function failed(
    failure: GazetteerFailure,
    messageId: string | undefined,
    diagnostics: readonly Diagnostic[],
  ): GazetteerOutcome {
    return {
      reply: gazetteerReply(failure, responseId()),
      kind: "gazetteer.error",
      summary: `GetAddressList answered ${describeFailure(failure)}`,
      messageId,
      detail: {
        code: failure.code,
        location: failure.location,
        reason: failure.reason,
        ...(diagnostics.length > 0 ? { diagnostics } : {}),
      },
    };
  }
}

/** A request refused with a SOAP Fault. */
export function refused(failure: TransportFailure): GazetteerOutcome {
  return {
    reply: transportReply(failure),
    kind: "gazetteer.refused",
    summary: `address finder request refused with ${describeFailure(failure)}`,
    messageId: undefined,
    detail: { tmsCode: failure.error.code, location: failure.error.location, reason: failure.reason },
  };
}

function failureFor(diagnostic: Diagnostic): GazetteerFailure {
  const location = diagnostic.xpath === "" ? requestXpath : `${requestXpath}/${diagnostic.xpath}`;
  return gazetteerFailure(
    diagnostic.code,
    `${diagnostic.ruleId}: expected ${diagnostic.expected}; found ${diagnostic.found}`,
    location,
  );
}

function describeQuery(request: AddressListRequest): string {
  const parts = (["address1", "address2", "address3", "town", "postcode"] as const)
    .filter((field) => request[field] !== "")
    .map((field) => `${field}=${JSON.stringify(request[field])}`);
  if (request.maxno !== undefined) parts.push(`maxno=${request.maxno}`);
  return parts.join(" ");
}

/** Response message ids shaped like the sample's Java RMI UID, `1f52460:fb647de31b:-7ce2` (G16). */
function responseIds(clock: Clock): () => string {
  const unique = randomBytes(4).readUInt32BE().toString(16);
  let count = -0x8000;
  return () => {
    const id = `${unique}:${clock.now().getTime().toString(16)}:${count < 0 ? "-" : ""}${Math.abs(count).toString(16)}`;
    count = count >= 0x7fff ? -0x8000 : count + 1;
    return id;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
