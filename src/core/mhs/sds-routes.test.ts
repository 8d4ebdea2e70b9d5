import { describe, expect, it } from "vitest";
import type { DirectoryEntry } from "../store/store.js";
import { buildMhsRoutes, cachedMhsRoutes } from "./sds-routes.js";

const entries: DirectoryEntry[] = [
  {
    dn: "uniqueIdentifier=S1,ou=Services,o=nhs",
    objectClasses: ["top", "nhsMhs"],
    attributes: {
      nhsMHSPartyKey: ["z99001-0000001"],
      nhsMhsSvcIA: ["urn:nhs:names:services:psis:MCCI_IN010000UK13"],
      nhsMhsCPAId: ["S1"],
      nhsMHSEndPoint: ["https://supplier.example/inbound/path"],
      nhsMHSAckRequested: ["always"],
      nhsMHSDuplicateElimination: ["always"],
      nhsMHSActor: ["urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH"],
      nhsMHSSyncReplyMode: ["MSHSignalsOnly"],
      nhsMHSRetries: ["2"],
      nhsMHSRetryInterval: ["PT1M"],
      nhsMHSPersistDuration: ["PT5M"],
    },
  },
  {
    dn: "uniqueIdentifier=928942012545,ou=Services,o=nhs",
    objectClasses: ["top", "nhsAs"],
    attributes: {
      uniqueIdentifier: ["928942012545"],
      nhsMHSPartyKey: ["YES-0000806"],
      nhsAsSvcIA: ["urn:x:A"],
    },
  },
];
const spine = { partyKey: "YES-0000806", asid: "000000000000" };

describe("MHS routes from SDS", () => {
  it("finds an entry by party key case-insensitively and reads its contract", () => {
    const routes = buildMhsRoutes(entries, spine);
    expect(routes.entry("Z99001-0000001", "urn:nhs:names:services:psis:MCCI_IN010000UK13")).toMatchObject({
      cpaId: "S1",
      path: "/inbound/path",
      contract: {
        ackRequested: true,
        duplicateElimination: true,
        retries: 2,
        retryIntervalMs: 60_000,
        persistDurationMs: 300_000,
      },
    });
    expect(routes.knowsParty("Z99001-0000001")).toBe(true);
    expect(routes.knowsParty("YES-0000806")).toBe(true);
    expect(routes.knowsParty("X26-0000000")).toBe(false);
  });

  it("takes Spine's ASID for a service-interaction from its nhsAs entry, else the default", () => {
    const routes = buildMhsRoutes(entries, spine);
    expect(routes.spineAsid("urn:x:A")).toBe("928942012545");
    expect(routes.spineAsid("urn:x:B")).toBe("000000000000");
  });

  it("rebuilds the index only when the directory array changes", () => {
    let directory: readonly DirectoryEntry[] = entries;
    const routes = cachedMhsRoutes(() => directory, spine);
    const first = routes();
    expect(routes()).toBe(first);
    directory = [...entries];
    expect(routes()).not.toBe(first);
  });
});
