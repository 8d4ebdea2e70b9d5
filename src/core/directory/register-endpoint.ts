/**
 * The offline equivalent of endpoint registration: a supplier's MHS gets an accredited system with
 * an ASID, a party key and an nhsMhs entry for each interaction it receives. Invented ASIDs follow
 * reference/test-data.md T4: 9999000000nn…, party key = <ODS code>-<last 7 digits of the ASID>.
 */
import { SimError } from "../errors.js";
import {
  interactions,
  isReplyInteraction,
  lookupInteraction,
  lookupServiceInteraction,
  parseSvcIA,
  svcIA,
} from "../interactions/catalogue.js";
import type { RegisteredEndpoint, Store } from "../store/store.js";

export interface EndpointRegistration {
  readonly odsCode: string;
  readonly url: string;
  /**
   * The request interactions the endpoint will send, as interaction ids (QUPA_IN040000UK32) or
   * service-interactions (urn:nhs:names:services:pdsquery:QUPA_IN040000UK32). The endpoint is
   * registered as their sender and as the receiver of their replies. Empty means every request
   * interaction in the catalogue.
   */
  readonly interactions: readonly string[];
}

export interface RegisteredEndpointInfo extends RegisteredEndpoint {
  readonly fqdn: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly p12File: string;
}

/** Every request interaction the catalogue knows (replies are received, not sent). */
function everyRequestInteraction(): string[] {
  return [...interactions.values()].filter((i) => !isReplyInteraction(i.id) && i.service !== TMS).map(svcIA);
}

const TMS = "urn:nhs:names:services:tms";

function toSvcIA(id: string): string {
  const parsed = parseSvcIA(id);
  const info =
    id.startsWith("urn:") && parsed !== undefined
      ? lookupServiceInteraction(parsed.service, parsed.interaction)
      : lookupInteraction(id);
  if (info === undefined) {
    throw new SimError("ENDPOINT_INVALID", `Unknown interaction ${id}`, {
      hint: "Give an interaction id from the catalogue (e.g. QUPA_IN040000UK32) or a service-interaction such as urn:nhs:names:services:pdsquery:QUPA_IN040000UK32.",
      details: { setting: "interaction", value: id },
    });
  }
  return svcIA(info);
}

export function planRegistration(
  registration: EndpointRegistration,
  store: Store,
  existingAsids: ReadonlySet<string>,
  now: Date,
): RegisteredEndpoint {
  const odsCode = registration.odsCode.trim().toUpperCase();
  if (!/^[A-Z0-9]{3,6}$/.test(odsCode)) {
    throw new SimError("ENDPOINT_INVALID", `ODS code ${JSON.stringify(registration.odsCode)} is not valid`, {
      hint: "An ODS code is 3 to 6 letters or digits, e.g. A20047 or Z99001.",
      details: { setting: "ods", value: registration.odsCode },
    });
  }
  let url: URL;
  try {
    url = new URL(registration.url);
  } catch {
    throw new SimError(
      "ENDPOINT_INVALID",
      `Endpoint URL ${JSON.stringify(registration.url)} is not an absolute URL`,
      {
        hint: "Give the supplier MHS's inbound URL, e.g. https://localhost:9443/reliablemessaging/inbound.",
        details: { setting: "url", value: registration.url },
      },
    );
  }
  if (url.protocol !== "https:") {
    throw new SimError(
      "ENDPOINT_INVALID",
      `Endpoint URL ${registration.url} must use https: Spine only delivers over mutual TLS`,
      {
        details: { setting: "url", value: registration.url },
      },
    );
  }
  const sent =
    registration.interactions.length === 0
      ? everyRequestInteraction()
      : [...new Set(registration.interactions.map(toSvcIA))];
  const previous = store.registeredEndpoints().find((e) => e.odsCode === odsCode && e.url === url.href);
  const asid = previous?.asid ?? nextAsid(existingAsids);
  return {
    odsCode,
    asid,
    partyKey: previous?.partyKey ?? `${odsCode}-${asid.slice(-7)}`,
    url: url.href,
    interactions: sent,
    registeredAt: now.toISOString(),
  };
}

function nextAsid(taken: ReadonlySet<string>): string {
  for (let n = 1; n < 100_000_000; n++) {
    const asid = `9999${String(n).padStart(8, "0")}`;
    if (!taken.has(asid)) return asid;
  }
  throw new SimError("ENDPOINT_INVALID", "No free ASID left in the simulator's range 9999xxxxxxxx");
}
