/**
 * `spine-sim card insert` (the built CLI as a child process) against a started simulator's control
 * API, and the control route's refusals: the offline stand-in for a smartcard reader.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { runCli } from "../support/cli.js";
import { httpsAgent } from "../support/http-client.js";
import { startTestSimulator } from "../support/start-test-simulator.js";
import { send } from "./ssb-client.js";

interface SeedPerson {
  uid: string;
  status: string;
  smartcard: { cardId: string; passcode: string };
  orgs: { roles: { roleProfileId: string }[] }[];
}
const people = JSON.parse(
  readFileSync(join(packageRoot, "seed-data", "people.json"), "utf8"),
) as SeedPerson[];
const jane = people.find((p) => p.uid === "999000000003");
const inactive = people.find((p) => p.status !== "1");

async function started() {
  const sim = await startTestSimulator({ mtls: "off" });
  onTestFinished(() => sim.stop());
  const agent = httpsAgent({ caFile: sim.ready.caFile });
  onTestFinished(() => agent.close());
  return { sim, agent, base: sim.ready.https.replace(/\/$/, "") };
}

describe("spine-sim card insert", () => {
  it("signs the card's person on with the chosen role and prints a ticket that RoleAssertion accepts", async () => {
    const { sim, agent, base } = await started();
    if (jane === undefined) throw new Error("seed person 999000000003 is missing");
    const role = jane.orgs[0]?.roles[1]?.roleProfileId ?? "";
    const result = await runCli([
      "card",
      "insert",
      "--card",
      jane.smartcard.cardId,
      "--passcode",
      jane.smartcard.passcode,
      "--role",
      role,
      "--control",
      sim.ready.control,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const ticket = /^sso_ticket: (\S+)$/m.exec(result.stdout)?.[1] ?? "";
    expect(ticket).toMatch(/^AQIC5wM2LY4Sf/);
    expect(result.stdout).toContain(`* ${role}`);
    const assertion = await send(
      agent,
      `${base}/saml/RoleAssertion?token=${encodeURIComponent(ticket)}`,
      "GET",
    );
    expect(assertion.text).toContain("samlp:Success");
    expect(assertion.text).toMatch(
      new RegExp(`AttributeName="ssbSessionRoleUid"[^>]*>\\s*<saml:AttributeValue>${role}<`),
    );
    expect(sim.journal.list({ limit: 100 }).some((e) => e.kind === "ssb.card-inserted")).toBe(true);
  });

  it("refuses a wrong passcode, an unknown card, an inactive person and an unknown role, saying what to do", async () => {
    const { sim } = await started();
    if (jane === undefined || inactive === undefined) throw new Error("seed people are missing");
    const control = sim.ready.control;
    const bad = await runCli([
      "card",
      "insert",
      "--card",
      jane.smartcard.cardId,
      "--passcode",
      "0000000",
      "--control",
      control,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Failed To Validate");
    expect(bad.stderr).toContain("passcode");

    const insert = (path: string, body: unknown) =>
      fetch(new URL(path, control), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const unknown = await insert("/_control/ssb/cards/00000000-0000-0000-0000-000000000000/insert", {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain("seed-data/people.json");
    const asleep = await insert(`/_control/ssb/cards/${inactive.smartcard.cardId}/insert`, {
      passcode: inactive.smartcard.passcode,
    });
    expect(asleep.status).toBe(403);
    expect(((await asleep.json()) as { detail: string }).detail).toContain("nhsPersonStatus");
    const wrongRole = await insert("/_control/ssb/cards/insert", { uid: jane.uid, role: "999200000001" });
    expect(wrongRole.status).toBe(422);

    const neither = await runCli(["card", "insert", "--control", control]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("--card CARDID or --uid UID");
  });

  it("lists who can sign on", async () => {
    const { sim } = await started();
    const result = await runCli(["card", "list", "--control", sim.ready.control]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("FISHER Jane (uid 999000000003)");
    expect(result.stdout).toMatch(/INACTIVE: cannot sign on/);
  });
});
