import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCli, startCli } from "../support/cli.js";
import { sharedCertsDir } from "../support/start-test-simulator.js";

const ports = ["--https-port", "0", "--ldap-port", "0", "--ldaps-port", "0", "--control-port", "0"];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "spine-sim-cli-"));
}

describe("spine-sim CLI", () => {
  it("has --help on every command", async () => {
    for (const command of [[], ["start"], ["certs"], ["scenario", "check"], ["endpoint", "add"]]) {
      const result = await runCli([...command, "--help"]);
      expect(result.code, command.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage: spine-sim");
    }
    const start = await runCli(["start", "--help"]);
    for (const flag of [
      "--env",
      "--scenario",
      "--db",
      "--data-dir",
      "--certs-dir",
      "--host",
      "--https-port",
      "--ldap-port",
      "--ldaps-port",
      "--control-port",
      "--mtls",
      "--clock",
      "--validation",
      "--ready-file",
    ]) {
      expect(start.stdout).toContain(flag);
    }
  });

  it("starts, writes the ready file, prints the banner and stops cleanly on SIGTERM", async () => {
    const dir = tempDir();
    const readyFile = join(dir, "ready.json");
    const running = await startCli(
      [...ports, "--db", ":memory:", "--certs-dir", sharedCertsDir, "--log-level", "warn"],
      readyFile,
    );
    const ready = running.ready as {
      https: string;
      ldap: string;
      ldaps: string;
      control: string;
      caFile: string;
      endpoints: Record<string, string>[];
    };
    expect(ready.https).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.ldap).toMatch(/^ldap:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.ldaps).toMatch(/^ldaps:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(ready.caFile)).toBe(true);
    const endpoint = ready.endpoints[0];
    expect(endpoint).toBeDefined();
    for (const key of ["odsCode", "partyKey", "asid", "url", "certFile", "keyFile"])
      expect(endpoint?.[key], key).toBeTruthy();
    expect(existsSync(endpoint?.certFile ?? "")).toBe(true);

    const banner = running.stdout();
    for (const value of [
      ready.https,
      ready.ldap,
      ready.ldaps,
      ready.control,
      ready.caFile,
      endpoint?.partyKey,
      endpoint?.asid,
      endpoint?.odsCode,
      endpoint?.certFile,
    ]) {
      expect(banner).toContain(value);
    }
    expect(await running.stop("SIGTERM")).toBe(0);
    expect(existsSync(readyFile)).toBe(false); // a stale ready file would point suites at a dead simulator
  });

  it("exits with code 2 and names the setting for a bad flag", async () => {
    const result = await runCli(["start", "--https-port", "https"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('httpsPort (--https-port): got "https"');
  });

  it("exits with code 2 for an unknown scenario and lists the shipped ones", async () => {
    const result = await runCli(["start", "--scenario", "nope", "--db", ":memory:"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No scenario "nope"');
    expect(result.stderr).toContain("int");
  });

  it("checks the shipped scenario and reports a broken one with file and line", async () => {
    const ok = await runCli(["scenario", "check", "int"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/OK \(\d+ organisations, \d+ systems, \d+ people, \d+ patients\)/);

    const dir = tempDir();
    writeFileSync(join(dir, "bad.yaml"), "name: bad\nseed:\n  people: [missing.json]\nbehaviours: nope\n");
    const bad = await runCli(["scenario", "check", join(dir, "bad.yaml")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(dir, "bad.yaml")}:4:13: behaviours:`);
  });

  it("reports a corrupt database clearly and leaves it untouched", async () => {
    const dir = tempDir();
    const db = join(dir, "broken.db");
    writeFileSync(db, "garbage ".repeat(512));
    const before = readFileSync(db);
    const result = await runCli(["start", "--db", db, ...ports, "--certs-dir", sharedCertsDir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("is not a readable SQLite database");
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it("reports an unwritable certs directory", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    const result = await runCli(["certs", "--certs-dir", join(dir, "file", "certs")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Cannot write certificates to ${join(dir, "file", "certs")}`);
  });

  it("says which port and setting clash when a port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = String((blocker.address() as { port: number }).port);
    const result = await runCli([
      "start",
      "--db",
      ":memory:",
      "--certs-dir",
      sharedCertsDir,
      ...ports.slice(0, 6),
      "--control-port",
      port,
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 (--control-port) is already in use`);
  });

  it("registers a supplier endpoint that the next start lists with its certificate", async () => {
    const dir = tempDir();
    const db = join(dir, "sim.db");
    const added = await runCli([
      "endpoint",
      "add",
      "--ods",
      "z99123",
      "--url",
      "https://my-mhs.example.test:9443/inbound",
      "--interaction",
      "MCCI_IN010000UK13",
      "--db",
      db,
      "--certs-dir",
      sharedCertsDir,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const registered = JSON.parse(added.stdout) as Record<string, unknown>;
    expect(registered).toMatchObject({
      odsCode: "Z99123",
      fqdn: "my-mhs.example.test",
      url: "https://my-mhs.example.test:9443/inbound",
    });
    expect(registered.asid).toMatch(/^9999\d{8}$/);
    expect(registered.partyKey).toBe(`Z99123-${String(registered.asid).slice(-7)}`);
    expect(existsSync(String(registered.certFile))).toBe(true);

    const running = await startCli(
      [...ports, "--db", db, "--certs-dir", sharedCertsDir, "--log-level", "warn"],
      join(dir, "ready.json"),
    );
    const endpoints = (running.ready as { endpoints: { partyKey: string }[] }).endpoints;
    expect(endpoints.map((e) => e.partyKey)).toContain(registered.partyKey);
    expect(await running.stop()).toBe(0);

    const refused = await runCli([
      "endpoint",
      "add",
      "--ods",
      "Z99123",
      "--url",
      "http://insecure.example.test/",
      "--db",
      db,
      "--certs-dir",
      sharedCertsDir,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("must use https");
  });
});
