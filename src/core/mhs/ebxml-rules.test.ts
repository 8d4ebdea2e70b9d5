import { describe, expect, it } from "vitest";
import type { EbxmlHeader } from "../messaging/ebxml.js";
import type { MimePart } from "../messaging/mime.js";
import type { DirectoryEntry } from "../store/store.js";
import { checkEbxml, ebxmlRules, type EbxmlRuleContext } from "./ebxml-rules.js";
import { buildMhsRoutes } from "./sds-routes.js";

const PSIS = "urn:nhs:names:services:psis:REPC_IN150016UK05";
const mhs = (partyKey: string, svcIA: string, cpaId: string): DirectoryEntry => ({
  dn: `uniqueIdentifier=${cpaId},ou=Services,o=nhs`,
  objectClasses: ["top", "nhsMhs"],
  attributes: {
    nhsMHSPartyKey: [partyKey],
    nhsMhsSvcIA: [svcIA],
    nhsMhsCPAId: [cpaId],
    nhsMHSEndPoint: ["https://localhost:8443/reliablemessaging/reliablerequest"],
  },
});
const routes = buildMhsRoutes(
  [
    mhs("YES-0000806", PSIS, "S20001A000182"),
    mhs("Z99001-0000001", "urn:nhs:names:services:psis:MCCI_IN010000UK13", "S1"),
  ],
  { partyKey: "YES-0000806", asid: "928942012545" },
);
const spineEntry = routes.spineEntry(PSIS);
if (spineEntry === undefined) throw new Error("no Spine entry");

const reliableHeader: EbxmlHeader = {
  fromPartyId: "Z99001-0000001",
  fromPartyType: "urn:nhs:names:partyType:ocs+serviceInstance",
  toPartyId: "YES-0000806",
  toPartyType: "urn:nhs:names:partyType:ocs+serviceInstance",
  cpaId: "S20001A000182",
  conversationId: "C",
  service: "urn:nhs:names:services:psis",
  action: "REPC_IN150016UK05",
  messageId: "M",
  timestamp: "2024-03-14T13:00:00Z",
  messageHeaderVersion: "2.0",
  duplicateElimination: true,
  ackRequested: { version: "2.0", signed: "false", actor: "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH" },
  syncReply: true,
  syncReplyAttributes: { version: "2.0", actor: "http://schemas.xmlsoap.org/soap/actor/next" },
  manifestVersion: "2.0",
  manifest: [{ href: "cid:payload@x", contentId: "payload@x" }],
};
const parts = [{ contentId: "ebXMLHeader@spine.nhs.uk" }, { contentId: "Payload@X" }] as MimePart[];
const context = (
  header: Partial<EbxmlHeader>,
  pattern: "reliable" | "unreliable" = "reliable",
): EbxmlRuleContext => ({
  pattern,
  header: { ...reliableHeader, ...header },
  svcIA: PSIS,
  spineEntry,
  routes,
  parts,
});
const failures = (c: EbxmlRuleContext): string[] => checkEbxml(c).map((v) => `${v.ruleId} ${v.error.code}`);

describe("ebXML rules", () => {
  it("passes a well-formed reliable request", () => {
    expect(failures(context({}))).toEqual([]);
  });

  it.each([
    [{ messageHeaderVersion: "1.0" }, "EBXML-HDR-011 509901"],
    [{ toPartyType: "urn:other" }, "EBXML-HDR-012 501314"],
    [{ cpaId: "S0" }, "EBXML-HDR-016 501319"],
    [{ fromPartyId: "Z00000-0000000" }, "EBXML-HDR-017 509916"],
    [{ duplicateElimination: false }, "EBXML-REL-001 509903"],
    [
      {
        ackRequested: {
          version: "2.0",
          signed: "true",
          actor: "urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH",
        },
      },
      "EBXML-REL-008 509906",
    ],
    [{ syncReply: false }, "EBXML-REL-011 509908"],
    [{ manifest: [] }, "EBXML-MAN-002 509911"],
    [{ manifest: [{ href: "cid:missing@x", contentId: "missing@x" }] }, "MIME-004 509912"],
  ] as const)("reports %j as %s", (header, expected) => {
    expect(failures(context(header))).toEqual([expected]);
  });

  it("reports a wrong To party both as the wrong addressee and a missing contract, in one layer", () => {
    expect(failures(context({ toPartyId: "Z99001-0000001" }))).toEqual([
      "EBXML-HDR-014 501314",
      "EBXML-HDR-015 402005",
    ]);
  });

  it("stops at the first failing layer (a contract problem hides a reliability one)", () => {
    expect(failures(context({ cpaId: "S0", syncReply: false }))).toEqual(["EBXML-HDR-016 501319"]);
  });

  it("requires the unreliable pattern to carry neither DuplicateElimination nor AckRequested", () => {
    expect(failures(context({}, "unreliable"))).toEqual(["EBXML-REL-002 509903", "EBXML-REL-006 509904"]);
    const { ackRequested, ...withoutAck } = reliableHeader;
    expect(ackRequested).toBeDefined();
    expect(
      failures({ ...context({}, "unreliable"), header: { ...withoutAck, duplicateElimination: false } }),
    ).toEqual([]);
  });

  it("gives every rule a stable six-digit description code", () => {
    for (const rule of ebxmlRules) expect(rule.error.code).toMatch(/^\d{6}$/);
  });
});
