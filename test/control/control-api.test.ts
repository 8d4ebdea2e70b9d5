import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestSimulator } from "../support/start-test-simulator.js";

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
    type: response.headers["content-type"],
  };
}

describe("control API: endpoint registration", () => {
  it("registers an endpoint on an ephemeral port as sender and as receiver of the replies, with a certificate for its IP", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const { status, body } = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "Z99123",
      url: "https://127.0.0.1:45678/inbound",
      interactions: ["urn:nhs:names:services:pdsquery:QUPA_IN040000UK32", "REPC_IN150016UK05"],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      odsCode: "Z99123",
      url: "https://127.0.0.1:45678/inbound",
      fqdn: "127.0.0.1",
    });
    const partyKey = String(body.partyKey);
    const asid = String(body.asid);
    expect(partyKey).toBe(`Z99123-${asid.slice(-7)}`);

    const certificate = new X509Certificate(readFileSync(String(body.certFile)));
    expect(certificate.subjectAltName).toContain("IP Address:127.0.0.1");

    const entries = sim.directory().filter((e) => e.attributes.nhsMHSPartyKey?.[0] === partyKey);
    const as = entries.find((e) => e.objectClasses.includes("nhsAs"));
    expect(as?.attributes.nhsAsSvcIA).toEqual(
      expect.arrayContaining([
        "urn:nhs:names:services:pdsquery:QUPA_IN040000UK32",
        "urn:nhs:names:services:psis:REPC_IN150016UK05",
      ]),
    );
    const received = entries
      .filter((e) => e.objectClasses.includes("nhsMhs"))
      .map((e) => e.attributes.nhsMhsSvcIA?.[0]);
    expect(received).toEqual(
      expect.arrayContaining([
        "urn:nhs:names:services:pdsquery:QUPA_IN050000UK32",
        "urn:nhs:names:services:psis:MCCI_IN010000UK13",
      ]),
    );
    for (const mhs of entries.filter((e) => e.objectClasses.includes("nhsMhs"))) {
      expect(mhs.attributes.nhsMHSEndPoint).toEqual(["https://127.0.0.1:45678/inbound"]);
    }
    expect(sim.journal.list().map((e) => e.kind)).toContain("endpoint.registered");
  });

  it("gives each registration its own ASID without reloading the scenario", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const loadedAt = sim.store.loadedScenario()?.loadedAt;
    const first = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "Z99126",
      url: "https://localhost:1/a",
    });
    const second = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "Z99126",
      url: "https://localhost:1/b",
    });
    expect(first.body.asid).not.toBe(second.body.asid);
    expect(sim.store.loadedScenario()?.loadedAt).toBe(loadedAt);
    const asids = sim
      .directory()
      .filter((e) => e.objectClasses.includes("nhsAs"))
      .map((e) => e.attributes.uniqueIdentifier?.[0]);
    expect(asids).toEqual(expect.arrayContaining([first.body.asid, second.body.asid]));
  });

  it("registers every request interaction of the catalogue when none are named", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const { body } = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "Z99124",
      url: "https://localhost:45679/in",
    });
    expect((body.interactions as string[]).length).toBeGreaterThan(20);
    expect(body.interactions).toContain("urn:nhs:names:services:gp2gp:RCMR_IN010000UK05");
    expect(body.interactions).not.toContain("urn:nhs:names:services:psis:MCCI_IN010000UK13");
  });

  it("answers a bad registration with a JSON problem that says what to do", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const unknown = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "Z99125",
      url: "https://localhost:1/in",
      interactions: ["NOPE_IN000000UK00"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.type).toContain("application/problem+json");
    expect(unknown.body).toMatchObject({
      type: "urn:spine-sim:error:ENDPOINT_INVALID",
      title: "Unknown interaction NOPE_IN000000UK00",
    });
    expect(String(unknown.body.detail)).toContain("QUPA_IN040000UK32");
    const badOds = await postJson(`${sim.ready.control}/_control/endpoints`, {
      odsCode: "not an ods code",
      url: "https://localhost:1/in",
    });
    expect(badOds.status).toBe(400);
    const notJson = await request(`${sim.ready.control}/_control/endpoints`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.statusCode).toBe(400);
    await notJson.body.dump();
  });

  it("requires the bearer token when one is configured", async () => {
    const sim = await startTestSimulator({ controlToken: "a-long-enough-control-token" });
    onTestFinished(() => sim.stop());
    const refused = await request(`${sim.ready.control}/_control/scenario`);
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
    const allowed = await request(`${sim.ready.control}/_control/scenario`, {
      headers: { authorization: "Bearer a-long-enough-control-token" },
    });
    expect(allowed.statusCode).toBe(200);
    expect(((await allowed.body.json()) as { name: string }).name).toBe("int");
    const health = await request(`${sim.ready.control}/_health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });
});
