import { describe, expect, it } from "vitest";
import {
  contractDefaults,
  interactions,
  isReplyInteraction,
  lookupInteraction,
  lookupServiceInteraction,
  parseSvcIA,
  spineIntermediaryContract,
  svcIA,
} from "./catalogue.js";

const urn = (name: string): string => `urn:nhs:names:services:${name}`;

describe("interaction catalogue", () => {
  it.each([
    ["QUPA_IN040000UK32", urn("pdsquery"), "sync", "QUPA_IN050000UK32"],
    ["PRPA_IN000203UK03", urn("pds"), "reliable", "PRPA_IN000202UK01"],
    ["REPC_IN150016UK05", urn("psis"), "reliable", "MCCI_IN010000UK13"],
    ["QUPC_IN160101UK05", urn("psisquery"), "unreliable", "QUPC_IN160102UK05"],
    ["PORX_IN020101UK31", urn("mm"), "reliable", "MCCI_IN010000UK13"],
    ["RCMR_IN010000UK05", urn("gp2gp"), "intermediary", "RCMR_IN030000UK06"],
    ["COPC_IN000001UK01", urn("gp2gp"), "intermediary", "MCCI_IN010000UK13"],
  ] as const)("knows %s as %s, %s, answered by %s", (id, service, pattern, reply) => {
    expect(lookupInteraction(id)).toMatchObject({ id, service, pattern, reply });
  });

  it.each([
    ["MCCI_IN010000UK13", urn("gp2gp"), "intermediary"],
    ["PRSC_IN080000UK07", urn("ebs"), "intermediary"],
    ["ReliableIntermediary", urn("tms"), "intermediary"],
    ["ExpressIntermediary", urn("tms"), "intermediary"],
    ["QUPA_IN050000UK32", urn("pdsquery"), "sync"],
    ["PRPA_IN000202UK01", urn("pds"), "reliable"],
    ["QUPC_IN160102UK05", urn("psisquery"), "unreliable"],
  ] as const)("knows %s as %s, %s", (id, service, pattern) => {
    expect(lookupInteraction(id)).toMatchObject({ id, service, pattern });
  });

  it("returns undefined for an unknown interaction", () => {
    expect(lookupInteraction("XXXX_IN000000UK00")).toBeUndefined();
  });

  it("keys every entry by its own id and gives every entry a description", () => {
    for (const [key, info] of interactions) {
      expect(info.id).toBe(key);
      expect(info.service).toMatch(/^urn:nhs:names:services:[a-z0-9]+$/);
      expect(info.description.length).toBeGreaterThan(0);
    }
  });

  it("names only replies that are themselves in the catalogue", () => {
    for (const info of interactions.values()) {
      if (info.reply !== undefined)
        expect(interactions.has(info.reply), `${info.id} → ${info.reply}`).toBe(true);
    }
  });

  it("agrees with the MHS adaptor's workflow for the interactions both list", () => {
    // A sample of interactions.json, one or more per workflow value.
    const adaptor: Record<string, [string, string]> = {
      QUPA_IN040000UK32: ["pdsquery", "sync"],
      QUPC_IN160101UK05: ["psisquery", "async-express"],
      QUPA_IN020000UK31: ["pdsquery", "async-express"],
      REPC_IN150016UK05: ["psis", "async-reliable"],
      PRPA_IN000203UK03: ["pds", "async-reliable"],
      PORX_IN080101UK31: ["mm", "async-reliable"],
      QURX_IN000005UK99: ["mmquery", "sync"],
      COPC_IN000001UK01: ["gp2gp", "forward-reliable"],
      RCMR_IN030000UK07: ["gp2gp", "forward-reliable"],
      PRSC_IN080000UK07: ["ebs", "forward-reliable"],
    };
    const patternOf = {
      sync: "sync",
      "async-reliable": "reliable",
      "async-express": "unreliable",
      "forward-reliable": "intermediary",
    } as const;
    for (const [id, [service, workflow]] of Object.entries(adaptor)) {
      expect(lookupInteraction(id), id).toMatchObject({
        service: urn(service),
        pattern: patternOf[workflow as keyof typeof patternOf],
      });
    }
  });
});

describe("svcIA and parseSvcIA", () => {
  it("joins service and id with a colon", () => {
    const info = lookupInteraction("REPC_IN150016UK05");
    expect(info && svcIA(info)).toBe("urn:nhs:names:services:psis:REPC_IN150016UK05");
  });

  it("splits at the last colon, so the service keeps its own colons", () => {
    expect(parseSvcIA("urn:nhs:names:services:tms:ReliableIntermediary")).toEqual({
      service: "urn:nhs:names:services:tms",
      interaction: "ReliableIntermediary",
    });
  });

  it("rejects values without both halves", () => {
    expect(parseSvcIA("QUPA_IN040000UK32")).toBeUndefined();
    expect(parseSvcIA("urn:nhs:names:services:pds:")).toBeUndefined();
    expect(parseSvcIA(":QUPA_IN040000UK32")).toBeUndefined();
  });
});

describe("lookupServiceInteraction", () => {
  it("finds an interaction under its own service", () => {
    expect(lookupServiceInteraction(urn("pdsquery"), "QUPA_IN040000UK32")?.pattern).toBe("sync");
  });

  it("finds a reply under the service of the request it answers, with the request's pattern", () => {
    expect(lookupServiceInteraction(urn("psis"), "MCCI_IN010000UK13")).toMatchObject({
      service: urn("psis"),
      pattern: "reliable",
    });
    expect(lookupServiceInteraction(urn("mm"), "MCCI_IN010000UK13")?.pattern).toBe("reliable");
    expect(lookupServiceInteraction(urn("gp2gp"), "MCCI_IN010000UK13")?.pattern).toBe("intermediary");
  });

  it("does not find an interaction under an unrelated service", () => {
    expect(lookupServiceInteraction(urn("psis"), "QUPA_IN040000UK32")).toBeUndefined();
    expect(lookupServiceInteraction(urn("ebs"), "MCCI_IN010000UK13")).toBeUndefined();
    expect(lookupServiceInteraction(urn("psis"), "NOT_AN_INTERACTION")).toBeUndefined();
  });
});

describe("isReplyInteraction", () => {
  it("is true for business replies and false for requests", () => {
    expect(isReplyInteraction("MCCI_IN010000UK13")).toBe(true);
    expect(isReplyInteraction("QUPA_IN050000UK32")).toBe(true);
    expect(isReplyInteraction("QUPA_IN040000UK32")).toBe(false);
  });
});

describe("contractDefaults", () => {
  it("gives reliable entries acks, duplicate elimination and retries (sds-ldap.md §6)", () => {
    expect(contractDefaults.reliable).toEqual({
      syncReplyMode: "MSHSignalsOnly",
      ackRequested: "always",
      duplicateElimination: "always",
      actor: ["urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH"],
      retries: 2,
      retryInterval: "PT1M",
      persistDuration: "PT5M",
    });
  });

  it("gives unreliable and sync entries neither acks nor retries", () => {
    for (const pattern of ["unreliable", "sync"] as const) {
      const contract = contractDefaults[pattern];
      expect(contract.ackRequested).toBe("never");
      expect(contract.duplicateElimination).toBe("never");
      expect(contract.retries).toBeUndefined();
      expect(contract.retryInterval).toBeUndefined();
      expect(contract.persistDuration).toBeUndefined();
    }
    expect(contractDefaults.unreliable.syncReplyMode).toBe("MSHSignalsOnly");
    expect(contractDefaults.sync.syncReplyMode).toBe("None");
  });

  it("gives an intermediary end party the GP2GP contract", () => {
    expect(contractDefaults.intermediary).toMatchObject({
      syncReplyMode: "None",
      ackRequested: "always",
      duplicateElimination: "always",
      actor: ["urn:oasis:names:tc:ebxml-msg:actor:nextMSH"],
      retries: 2,
      retryInterval: "PT2H",
      persistDuration: "PT7H",
    });
  });

  it("gives Spine's own intermediary entries no acks and no retries", () => {
    expect(spineIntermediaryContract).toEqual({
      syncReplyMode: "None",
      ackRequested: "never",
      duplicateElimination: "never",
      actor: [],
    });
  });
});
