import { createServer, type Server } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { SimError } from "../../src/core/errors.js";
import { getText, httpsAgent } from "../support/http-client.js";
import { startTestSimulator } from "../support/start-test-simulator.js";

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server: Server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("simulator lifecycle", () => {
  it("starts every listener, answers /_health on control and HTTPS, and frees every port on stop", async () => {
    const sim = await startTestSimulator();
    const { ready } = sim;
    const health = await getText(`${ready.control}/_health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({
      status: "ready",
      listeners: { https: "ready", ldap: "ready", ldaps: "ready", control: "ready" },
    });

    const endpoint = ready.endpoints[0];
    expect(endpoint).toBeDefined();
    const agent = httpsAgent({
      caFile: ready.caFile,
      certFile: endpoint?.certFile ?? "",
      keyFile: endpoint?.keyFile ?? "",
    });
    const overTls = await getText(`${ready.https}/_health`, agent);
    expect(overTls.status).toBe(200);
    const version = JSON.parse((await getText(`${ready.https}/_version`, agent)).text) as Record<
      string,
      unknown
    >;
    expect(version).toMatchObject({ name: "spine-sim", environment: "int", scenario: "int" });

    const ports = [ready.https, ready.ldap, ready.ldaps, ready.control].map(portOf);
    for (const port of ports) expect(await canBind(port)).toBe(false);
    await agent.close();
    await sim.stop();
    for (const port of ports) expect(await canBind(port)).toBe(true);
  });

  it("reports the ready-made supplier endpoint with its certificate files", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    expect(sim.ready.endpoints).toHaveLength(1);
    expect(sim.ready.endpoints[0]).toMatchObject({
      odsCode: expect.stringMatching(/^[A-Z0-9]{3,6}$/) as unknown,
      partyKey: expect.stringMatching(/^[A-Z0-9]+-\d{6,8}$/) as unknown,
      asid: expect.stringMatching(/^\d{12}$/) as unknown,
      url: expect.stringMatching(/^https:\/\//) as unknown,
    });
  });

  it("advertises its own HTTPS address in Spine's SDS endpoints", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const spineSync = sim
      .directory()
      .find(
        (e) =>
          e.attributes.nhsMhsSvcIA?.[0] === "urn:nhs:names:services:pdsquery:QUPA_IN040000UK32" &&
          e.attributes.nhsMHSPartyKey?.[0] === "YES-0000806",
      );
    expect(spineSync?.attributes.nhsMHSEndPoint).toEqual([
      `https://localhost:${portOf(sim.ready.https)}/sync-service`,
    ]);
    expect(spineSync?.attributes.nhsMhsFQDN).toEqual(["localhost"]);
  });

  it("names the port and the setting when a port is already in use, and leaves nothing bound", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as { port: number }).port;
    let error: unknown;
    try {
      await startTestSimulator({ ldapPort: taken });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimError);
    expect((error as SimError).code).toBe("PORT_IN_USE");
    expect((error as SimError).message).toBe(`Port ${taken} on 127.0.0.1 (--ldap-port) is already in use`);
  });

  it("answers an unknown path on the HTTPS listener with a bare 404", async () => {
    const sim = await startTestSimulator({ mtls: "off" });
    onTestFinished(() => sim.stop());
    const agent = httpsAgent({ caFile: sim.ready.caFile });
    onTestFinished(() => agent.close());
    const response = await getText(`${sim.ready.https}/no-such-service`, agent);
    expect(response.status).toBe(404);
    expect(response.text).toBe("");
  });

  it("journals its own start", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    expect(sim.journal.list().map((e) => e.kind)).toContain("simulator.started");
  });
});
