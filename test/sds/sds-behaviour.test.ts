/**
 * The SDS fault hook seen through real ldapts clients: a slow directory (every search answered
 * after the delay) and an unavailable one (binds and searches answered 52), set by the scenario's
 * `sds` section or at run time through the control API, journalled, and switched back.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnavailableError, type Client } from "ldapts";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { checkScenario } from "../../src/core/scenarios/load-scenario.js";
import { scenariosDir } from "../../src/paths.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { ldapClient, searchEntries } from "./sds-clients.js";

const services = "ou=services,o=nhs";
const practiceFilter =
  "(&(nhsIDCode=A20047)(objectClass=nhsAs)(nhsAsSvcIA=urn:nhs:names:services:psis:MCCI_IN010000UK13))";

async function started(flags: Record<string, unknown> = {}): Promise<TestSimulator> {
  const sim = await startTestSimulator(flags);
  onTestFinished(() => sim.stop());
  return sim;
}

async function behaviour(sim: TestSimulator, method: "GET" | "PUT", body?: unknown) {
  const response = await request(`${sim.ready.control}/_control/sds/behaviour`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

/** Milliseconds a practice look-up takes, checking it still finds the practice. */
async function timedSearch(client: Client): Promise<number> {
  const start = performance.now();
  const entries = await searchEntries(client, services, {
    filter: practiceFilter,
    attributes: ["nhsMHSPartyKey"],
  });
  const elapsed = performance.now() - start;
  expect(entries.map((e) => e.nhsMHSPartyKey)).toEqual(["A20047-9198993"]);
  return elapsed;
}

function scenarioWith(sds: string): string {
  const dir = mkdtempSync(join(tmpdir(), "spine-sim-sds-scenario-"));
  const file = join(dir, "slow-sds.yaml");
  writeFileSync(file, `name: slow-sds\nextends: int\nsds:\n${sds}\n`);
  return file;
}

describe("SDS fault hook: delay", () => {
  it("answers every search after the delay set at run time, binds at once, and goes back to full speed", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    await client.bind("", "");
    expect(await timedSearch(client)).toBeLessThan(300);

    const set = await behaviour(sim, "PUT", { delayMs: 300 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ delayMs: 300, unavailable: false, setBy: "control API" });
    expect(await timedSearch(client)).toBeGreaterThanOrEqual(300);
    const bindStart = performance.now();
    await client.bind("", "");
    expect(performance.now() - bindStart).toBeLessThan(300);

    await behaviour(sim, "PUT", { delayMs: 0 });
    expect(await timedSearch(client)).toBeLessThan(300);
    const changes = sim.journal.list({ limit: 1000 }).filter((e) => e.kind === "sds.behaviour");
    expect(changes.map((e) => e.summary)).toEqual([
      expect.stringMatching(
        /set by the control API: serving, searches delayed 300 ms \(was serving normally\)/,
      ),
      expect.stringMatching(
        /set by the control API: serving normally \(was serving, searches delayed 300 ms\)/,
      ),
    ]);
  });

  it("keeps one connection's answers in order and does not hold up other connections", async () => {
    const sim = await started();
    await behaviour(sim, "PUT", { delayMs: 250 });
    const one = ldapClient(sim.ready);
    const other = ldapClient(sim.ready);
    await Promise.all([one.bind("", ""), other.bind("", "")]);
    const start = performance.now();
    const [first, second, elsewhere] = await Promise.all([
      timedSearch(one),
      timedSearch(one),
      timedSearch(other),
    ]);
    expect(first).toBeGreaterThanOrEqual(250);
    expect(second).toBeGreaterThanOrEqual(500);
    expect(elsewhere).toBeGreaterThanOrEqual(250);
    expect(elsewhere).toBeLessThan(500);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("takes the delay from the scenario's sds section at start, and reports who set it", async () => {
    const sim = await started({ scenario: scenarioWith("  delayMs: 200") });
    const { body } = await behaviour(sim, "GET");
    expect(body).toMatchObject({ delayMs: 200, unavailable: false, setBy: "scenario" });
    const client = ldapClient(sim.ready);
    expect(await timedSearch(client)).toBeGreaterThanOrEqual(200);
    expect(sim.journal.list({ limit: 1000 }).find((e) => e.kind === "sds.behaviour")?.summary).toMatch(
      /set by the scenario/,
    );
  });
});

describe("SDS fault hook: unavailable", () => {
  it("answers binds and searches with unavailable (52) and says why, then serves again when switched back", async () => {
    const sim = await started();
    const client = ldapClient(sim.ready);
    await client.bind("", "");
    await behaviour(sim, "PUT", { unavailable: true });

    const search = client.search(services, { filter: practiceFilter });
    await expect(search).rejects.toBeInstanceOf(UnavailableError);
    await expect(search).rejects.toMatchObject({
      code: 52,
      message: expect.stringMatching(
        /SDS is unavailable: the spine-sim scenario has taken the directory down, as Spine does during a maintenance window/,
      ) as string,
    });
    const fresh = ldapClient(sim.ready);
    await expect(fresh.bind("", "")).rejects.toMatchObject({ code: 52 });
    expect(await behaviour(sim, "GET")).toMatchObject({ body: { unavailable: true, setBy: "control API" } });
    const kinds = sim.journal.list({ limit: 1000 }).map((e) => e.kind);
    expect(kinds.filter((k) => k === "ldap.unavailable")).toHaveLength(2);

    await behaviour(sim, "PUT", { unavailable: false });
    expect(await timedSearch(client)).toBeLessThan(1000);
    await fresh.bind("", "");
    expect(await timedSearch(fresh)).toBeLessThan(1000);
  });

  it("starts unavailable when the scenario says so, over LDAPS too", async () => {
    const sim = await started({ scenario: scenarioWith("  unavailable: true") });
    const client = ldapClient(sim.ready, { secure: true });
    await expect(client.search(services, { filter: practiceFilter })).rejects.toMatchObject({ code: 52 });
    await behaviour(sim, "PUT", { unavailable: false });
    expect(await timedSearch(client)).toBeLessThan(1000);
  });
});

describe("SDS fault hook: bad settings", () => {
  it("answers a bad PUT with a JSON problem that says what is accepted, and keeps the behaviour", async () => {
    const sim = await started();
    for (const body of [
      { delayMs: -5 },
      { delayMs: "slow" },
      { unavailable: "yes" },
      { delay: 100 },
      { delayMs: 600_000 },
    ]) {
      const answer = await behaviour(sim, "PUT", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.detail).toMatch(/Send \{"delayMs": 250, "unavailable": false\}/);
    }
    expect((await behaviour(sim, "GET")).body).toMatchObject({
      delayMs: 0,
      unavailable: false,
      setBy: "default",
    });
  });

  it("refuses a scenario whose sds section is wrong, with its line", () => {
    const check = checkScenario(scenarioWith("  delayMs: -1\n  slow: true"), scenariosDir);
    expect(check.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^4: sds\.delayMs: delayMs cannot be negative/),
      expect.stringMatching(/^\d+: sds: unknown key\(s\) slow/),
    ]);
  });
});
