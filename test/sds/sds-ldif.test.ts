/**
 * LDIF export and import end to end: the real CLI (dist/main.js) against SQLite files, the control
 * route against a running simulator, and ldapts searching what was imported, at once and after a
 * restart that reloads the scenario.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { openSqliteStore } from "../../src/core/store/sqlite-store.js";
import { runCli } from "../support/cli.js";
import { startTestSimulator } from "../support/start-test-simulator.js";
import { ldapClient, searchEntries } from "./sds-clients.js";

const services = "ou=services,o=nhs";
const publicUrl = "https://spine.example.test:8443";

/** A supplier of our own: its nhsAs (with a non-ASCII, long description) and one nhsMhs entry. */
const supplierLdif = `version: 1
# an extract of our own supplier's entries

dn: uniqueIdentifier=999900009001,ou=Services,o=nhs
objectClass: top
objectClass: nhsAs
uniqueIdentifier: 999900009001
nhsIDCode: Z99123
nhsMHSPartyKey: Z99123-0009001
nhsAsSvcIA: urn:nhs:names:services:psis:REPC_IN150016UK05
nhsAsSvcIA: urn:nhs:names:services:psis:MCCI_IN010000UK13
nhsRequestorURP: SYSTEM
nhsDateRequested: 20240101000000
nhsApproverURP: SYSTEM
nhsDateApproved: 20240101000000
description:: ${Buffer.from(`Zoë's imported practice system — ${"a long description ".repeat(6)}`).toString("base64")}

dn: uniqueIdentifier=S99990000900101,ou=Services,o=nhs
objectClass: top
objectClass: nhsMhs
uniqueIdentifier: S99990000900101
nhsMhsCPAId: S99990000900101
nhsIDCode: Z99123
nhsMHSPartyKey: Z99123-0009001
nhsMhsSvcIA: urn:nhs:names:services:psis:MCCI_IN010000UK13
nhsMHsSN: urn:nhs:names:services:psis
nhsMHsIN: MCCI_IN010000UK13
nhsMHSEndPoint: https://supplier.example.test/reliablemessaging/inbound
nhsMHSIsAuthenticated: transient
nhsProductKey: 999
nhsRequestorURP: SYSTEM
nhsDateRequested: 20240101000000
nhsApproverURP: SYSTEM
nhsDateApproved: 20240101000000
nhsDNSApprover: SYSTEM
nhsDateDNSApproved: 20240101000000
nhsEPInteractionType: ebXML
nhsContractPropertyTemplateKey: 14
nhsMhsFQDN: supplier.example.test
nhsMHSAckRequested: always
nhsMHSRetries: 2
`;

/** The same file with four mistakes, each on a line of its own. */
const badLdif = supplierLdif
  .replace("nhsIDCode: Z99123\nnhsMHSPartyKey: Z99123-0009001\nnhsAsSvcIA", "nhsIDCode: Z99123\nnhsAsSvcIA") // line 4: nhsAs lacks its party key
  .replace("nhsProductKey: 999", "nhsProductKey: 999\nnhsProductKey: 998") // two values of a SINGLE-VALUE type
  .replace("nhsMhsFQDN: supplier.example.test", "nhsMhsFQDM: supplier.example.test") // a misspelt name
  .replace(
    "dn: uniqueIdentifier=S99990000900101,ou=Services,o=nhs",
    "dn: uniqueIdentifier=S99990000900101,ou=Gone,o=nhs",
  ); // no parent

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "spine-sim-ldif-"));
}

/** The CLI with a database of its own in `dir`. */
function cli(dir: string, db: string, ...args: string[]) {
  return runCli(["sds", ...args, "--db", join(dir, db), "--data-dir", dir]);
}

const f2 = (partyKey: string, svcIA: string): string =>
  `(&(objectClass=nhsMhs)(nhsMHSPartyKey=${partyKey})(nhsMhsSvcIA=${svcIA}))`;

describe("spine-sim sds export-ldif / import-ldif", () => {
  it(
    "round-trips: export, import into a fresh database, export again gives the same bytes",
    { timeout: 90_000 },
    async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "supplier.ldif"), supplierLdif);
      const imported = await cli(dir, "a.db", "import-ldif", join(dir, "supplier.ldif"));
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/imported 2 SDS entries/);

      const first = await cli(dir, "a.db", "export-ldif", join(dir, "first.ldif"), "--public-url", publicUrl);
      expect(first.code, first.stderr).toBe(0);
      const text = readFileSync(join(dir, "first.ldif"), "utf8");
      // Every entry of the int scenario plus ours, Spine's endpoints under the public URL, base64 and folding used.
      expect(text.match(/^dn: /gm)?.length).toBeGreaterThan(300);
      expect(text.replace(/\n /g, "")).toContain(
        `nhsMHSEndPoint: ${publicUrl}/reliablemessaging/reliablerequest\n`,
      );
      expect(text).toContain("dn: uniqueIdentifier=999900009001,ou=Services,o=nhs\n");
      expect(text).toMatch(/^description:: /m);
      expect(text).toMatch(/\n [^\n]/);
      for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(76);
      const dns = [...text.matchAll(/^dn: (.*)$/gm)].map((m) => m[1]);
      expect(dns.indexOf("ou=Services,o=nhs")).toBeLessThan(
        dns.indexOf("uniqueIdentifier=999900009001,ou=Services,o=nhs"),
      );

      const again = await cli(dir, "b.db", "import-ldif", join(dir, "first.ldif"));
      expect(again.code, again.stderr).toBe(0);
      const second = await cli(dir, "b.db", "export-ldif", "--public-url", publicUrl);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe(text);
    },
  );

  it(
    "reports every problem with the file and its line, exits 2 and imports nothing",
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const file = join(dir, "bad.ldif");
      writeFileSync(file, badLdif);
      const result = await cli(dir, "c.db", "import-ldif", file);
      expect(result.code).toBe(2);
      const lines = badLdif.split("\n");
      const lineOf = (prefix: string): number => lines.findIndex((l) => l.startsWith(prefix)) + 1;
      expect(result.stderr).toContain(
        `${file}:${lineOf("dn: uniqueIdentifier=999900009001")}: uniqueIdentifier=999900009001,ou=Services,o=nhs lacks nhsMHSPartyKey, which object class nhsAs requires (MUST)`,
      );
      expect(result.stderr).toContain(
        `${file}:${lineOf("dn: uniqueIdentifier=S99990000900101")}: the parent ou=Gone,o=nhs`,
      );
      expect(result.stderr).toContain(
        `${file}:${lineOf("nhsProductKey: 998")}: nhsProductKey is single-valued`,
      );
      expect(result.stderr).toContain(
        `${file}:${lineOf("nhsMhsFQDM")}: unknown attribute type nhsMhsFQDM: not in the SDS schema (did you mean nhsMhsFQDN?)`,
      );
      expect(result.stderr).toMatch(/has 5 problem\(s\); nothing was imported/);
      expect(result.stderr).toMatch(/Fix every line listed/);

      const store = openSqliteStore(join(dir, "c.db"));
      onTestFinished(() => store.close());
      expect(store.importedDirectoryEntries()).toEqual([]);
      expect(store.journal({ limit: 1000 }).find((e) => e.kind === "sds.ldif.refused")?.summary).toMatch(
        /5 problem\(s\)/,
      );
    },
  );

  it("says what to do when the file cannot be read", async () => {
    const dir = tempDir();
    const result = await cli(dir, "d.db", "import-ldif", join(dir, "missing.ldif"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Cannot read .*missing\.ldif[\s\S]*Give the path of an LDIF file/);
  });

  it("has --help for both commands", async () => {
    for (const command of ["export-ldif", "import-ldif"]) {
      const help = await runCli(["sds", command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: spine-sim sds ${command}`);
      expect(help.stdout).toContain("--db");
    }
    expect((await runCli(["sds", "export-ldif", "--help"])).stdout).toContain("--public-url");
  });
});

describe("POST /_control/sds/ldif", () => {
  const post = async (url: string, body: string) => {
    const response = await request(url, { method: "POST", headers: { "content-type": "text/plain" }, body });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
  };

  it("imports into the running simulator: an ldapts search finds the entries at once", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const client = ldapClient(sim.ready);
    const filter = f2("Z99123-0009001", "urn:nhs:names:services:psis:MCCI_IN010000UK13");
    expect(await searchEntries(client, services, { filter })).toEqual([]);

    const { status, body } = await post(
      `${sim.ready.control}/_control/sds/ldif?source=supplier.ldif`,
      supplierLdif,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: "supplier.ldif", imported: 2, replaced: 0 });

    const found = await searchEntries(client, services, {
      filter,
      attributes: ["nhsMHSEndPoint", "nhsMhsCPAId"],
    });
    expect(found).toEqual([
      {
        dn: "uniqueIdentifier=S99990000900101,ou=Services,o=nhs",
        nhsMHSEndPoint: "https://supplier.example.test/reliablemessaging/inbound",
        nhsMhsCPAId: "S99990000900101",
      },
    ]);
    const as = await searchEntries(client, services, {
      filter: "(uniqueIdentifier=999900009001)",
      attributes: ["description"],
    });
    expect(as[0]?.description).toMatch(/^Zoë's imported practice system/);
    expect(sim.journal.list({ limit: 1000 }).map((e) => e.kind)).toContain("sds.ldif.imported");
  });

  it("answers a bad body with a JSON problem listing each line, and changes nothing", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const before = sim.directory().length;
    const { status, body } = await post(`${sim.ready.control}/_control/sds/ldif`, badLdif);
    expect(status).toBe(400);
    expect(body.type).toBe("urn:spine-sim:error:LDIF_INVALID");
    const problems = body.problems as { line: number; message: string }[];
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a - b));
    expect(problems.find((p) => p.message.includes("nhsMhsFQDM"))?.line).toBe(
      badLdif.split("\n").findIndex((l) => l.startsWith("nhsMhsFQDM")) + 1,
    );
    expect(sim.directory()).toHaveLength(before);
    const client = ldapClient(sim.ready);
    expect(await searchEntries(client, services, { filter: "(uniqueIdentifier=999900009001)" })).toEqual([]);
  });

  it("refuses JSON instead of LDIF with a problem that says what to send", async () => {
    const sim = await startTestSimulator();
    onTestFinished(() => sim.stop());
    const response = await request(`${sim.ready.control}/_control/sds/ldif`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ldif: "dn: o=nhs" }),
    });
    expect(response.statusCode).toBe(400);
    expect(((await response.body.json()) as { detail: string }).detail).toMatch(
      /--data-binary @entries\.ldif/,
    );
  });
});

describe("imported entries after a restart", () => {
  it(
    "serves entries imported with the CLI at the next start, even after the scenario reloads, and lets them replace scenario entries",
    { timeout: 90_000 },
    async () => {
      const dir = tempDir();
      // Our own version of the ready-made supplier's nhsAs entry, from an export of the scenario.
      const exported = await cli(dir, "e.db", "export-ldif");
      expect(exported.code, exported.stderr).toBe(0);
      const practice = exported.stdout
        .split("\n\n")
        .find((record) => record.startsWith("dn: uniqueIdentifier=918999198993,ou=Services,o=nhs\n"));
      expect(practice).toBeDefined();
      const changed = (practice ?? "").replace(/^nhsProductName: .*$/m, "nhsProductName: Imported GP System");
      writeFileSync(join(dir, "mine.ldif"), `${supplierLdif}\n${changed}\n`);
      const imported = await cli(dir, "e.db", "import-ldif", join(dir, "mine.ldif"));
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/imported 3 SDS entries .*\(1 replace an entry with the same DN\)/);

      // A scenario of another name: starting with it reloads the scenario data in e.db.
      const scenarioFile = join(dir, "int-again.yaml");
      writeFileSync(scenarioFile, "name: int-again\nextends: int\n");
      const sim = await startTestSimulator({ db: join(dir, "e.db"), dataDir: dir, scenario: scenarioFile });
      onTestFinished(() => sim.stop());
      expect(sim.store.loadedScenario()?.name).toBe("int-again");

      const client = ldapClient(sim.ready);
      const found = await searchEntries(client, services, {
        filter: f2("Z99123-0009001", "urn:nhs:names:services:psis:MCCI_IN010000UK13"),
        attributes: ["nhsMhsCPAId"],
      });
      expect(found.map((e) => e.nhsMhsCPAId)).toEqual(["S99990000900101"]);
      const practiceAs = await searchEntries(client, services, {
        filter: "(&(nhsIDCode=A20047)(objectClass=nhsAs))",
        attributes: ["nhsProductName"],
      });
      expect(practiceAs).toEqual([
        { dn: "uniqueIdentifier=918999198993,ou=Services,o=nhs", nhsProductName: "Imported GP System" },
      ]);
    },
  );
});
