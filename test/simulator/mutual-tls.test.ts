import { connect } from "node:tls";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { getText, httpsAgent } from "../support/http-client.js";
import { sharedCertsDir, startTestSimulator } from "../support/start-test-simulator.js";

const faults = join(sharedCertsDir, "int", "faults");

/** Completes a TLS handshake and one HTTP request; resolves to the status line or the refusal. */
function attempt(httpsUrl: string, caFile: string, client?: { cert: string; key: string }): Promise<string> {
  const url = new URL(httpsUrl);
  return new Promise((resolve) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      servername: "msg.int.spine2.ncrs.nhs.uk",
      ca: readFileSync(caFile),
      ...(client === undefined ? {} : { cert: readFileSync(client.cert), key: readFileSync(client.key) }),
    });
    let data = "";
    socket.on("secureConnect", () => {
      socket.write("GET /_health HTTP/1.1\r\nHost: msg.int.spine2.ncrs.nhs.uk\r\nConnection: close\r\n\r\n");
    });
    socket.on("data", (chunk: Buffer) => (data += chunk.toString()));
    socket.on("error", (error: Error) => resolve(`refused: ${error.message}`));
    socket.on("close", () =>
      resolve(data === "" ? "refused: closed without a response" : (data.split("\r\n")[0] ?? "")),
    );
  });
}

describe("mutual TLS on the HTTPS listener", () => {
  it("accepts the ready-made endpoint's certificate and refuses missing, foreign, expired, not-yet-valid and revoked ones", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const { https, caFile, endpoints } = sim.ready;
    const endpoint = endpoints[0];
    if (endpoint === undefined) throw new Error("the int scenario has no ready-made endpoint");

    expect(await attempt(https, caFile, { cert: endpoint.certFile, key: endpoint.keyFile })).toBe(
      "HTTP/1.1 200 OK",
    );
    expect(await attempt(https, caFile)).toMatch(/^refused/);
    for (const fault of ["foreign-ca", "expired", "not-yet-valid", "revoked"]) {
      const result = await attempt(https, caFile, {
        cert: join(faults, `${fault}.pem`),
        key: join(faults, `${fault}.key.pem`),
      });
      expect(result, fault).toMatch(/^refused/);
    }
    const refusals = sim.journal
      .list()
      .filter((e) => e.kind === "tls.refused")
      .map((e) => e.summary);
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    expect(refusals.join("\n")).toMatch(/revoked/i);
    expect(refusals.join("\n")).toMatch(/expired/i);
  });

  it("makes the verified client certificate's identity visible and keeps serving after refusals", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const { https, caFile, endpoints } = sim.ready;
    const endpoint = endpoints[0];
    if (endpoint === undefined) throw new Error("no endpoint");
    await attempt(https, caFile);
    const agent = httpsAgent({
      caFile,
      certFile: endpoint.certFile,
      keyFile: endpoint.keyFile,
      servername: "msg.int.spine2.ncrs.nhs.uk",
    });
    onTestFinished(() => agent.close());
    expect((await getText(`${https}/_health`, agent)).status).toBe(200);
  });

  it("serves a certificate that names every INT hostname and verifies against our CA only", async () => {
    const sim = await startTestSimulator({ mtls: "off" });
    onTestFinished(() => sim.stop());
    for (const host of [
      "msg.int.spine2.ncrs.nhs.uk",
      "ldap.nis1.national.ncrs.nhs.uk",
      "gas.nis1.national.ncrs.nhs.uk",
      "sbapi.nis1.national.ncrs.nhs.uk",
      "localhost",
    ]) {
      const agent = httpsAgent({ caFile: sim.ready.caFile, servername: host });
      onTestFinished(() => agent.close());
      expect((await getText(`${sim.ready.https}/_health`, agent)).status, host).toBe(200);
    }
    const foreign = httpsAgent({ caFile: join(faults, "foreign-root.pem") });
    onTestFinished(() => foreign.close());
    await expect(getText(`${sim.ready.https}/_health`, foreign)).rejects.toThrow(/certificate/i);
  });

  it("accepts a client without a certificate when mutual TLS is off", async () => {
    const sim = await startTestSimulator({ mtls: "off" });
    onTestFinished(() => sim.stop());
    expect(await attempt(sim.ready.https, sim.ready.caFile)).toBe("HTTP/1.1 200 OK");
  });
});
