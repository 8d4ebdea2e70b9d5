/**
 * LDAPS with ldapts: our server certificate trusted through our CA only, and with mutual TLS on,
 * the endpoint certificate required (reference L1; INT/DEP/DEV use mutual TLS on 636).
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { asSent, ldapClient, searchEntries } from "./sds-clients.js";

async function started(flags: Record<string, unknown> = {}): Promise<TestSimulator> {
  const sim = await startTestSimulator(flags);
  onTestFinished(() => sim.stop());
  return sim;
}

const f1 = {
  filter: asSent(
    "(&(nhsIDCode=A20047) (objectClass=nhsAs) (nhsAsSvcIA=urn:nhs:names:services:psis:MCCI_IN010000UK13))",
  ),
  attributes: ["nhsMHSPartyKey", "uniqueIdentifier"],
};

describe("LDAPS", () => {
  it("answers the route look-up for a client presenting the ready-made endpoint's certificate", async () => {
    const sim = await started({ mtls: "on" });
    const client = ldapClient(sim.ready, { secure: true });
    expect(await searchEntries(client, "ou=services,o=nhs", f1)).toEqual([
      {
        dn: "uniqueIdentifier=918999198993,ou=Services,o=nhs",
        uniqueIdentifier: "918999198993",
        nhsMHSPartyKey: "A20047-9198993",
      },
    ]);
  });

  it("refuses a client without a certificate when mutual TLS is on, journals why, and keeps serving", async () => {
    const sim = await started({ mtls: "on" });
    const anonymous = ldapClient(sim.ready, { secure: true, clientCertificate: false });
    const error = await anonymous.search("ou=services,o=nhs", f1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const refusals = sim.journal.list().filter((e) => e.kind === "tls.refused" && e.listener === "ldaps");
    expect(refusals.map((e) => e.summary).join("\n")).toMatch(/no client certificate was presented/);
    const client = ldapClient(sim.ready, { secure: true });
    expect(await searchEntries(client, "ou=services,o=nhs", f1)).toHaveLength(1);
  });

  it("answers a client without a certificate when mutual TLS is off", async () => {
    const sim = await started({ mtls: "off" });
    const client = ldapClient(sim.ready, { secure: true, clientCertificate: false });
    expect(await searchEntries(client, "ou=services,o=nhs", f1)).toHaveLength(1);
  });
});
