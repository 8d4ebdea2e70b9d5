import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { SimError } from "../../src/core/errors.js";

function configFile(text: string, name = "spine-sim.yaml"): string {
  const file = join(mkdtempSync(join(tmpdir(), "spine-sim-config-")), name);
  writeFileSync(file, text);
  return file;
}

function failure(run: () => unknown): SimError {
  try {
    run();
  } catch (error) {
    if (error instanceof SimError) return error;
    throw error;
  }
  throw new Error("expected a SimError");
}

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is given", () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      env: "int",
      scenario: "int",
      httpsPort: 8443,
      ldapPort: 8389,
      ldapsPort: 8636,
      controlPort: 8080,
      host: "127.0.0.1",
      mtls: "on",
      clock: "real",
      validation: "lenient",
      maxBodyBytes: 5 * 1024 * 1024,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("takes flags over environment variables over the config file over defaults", () => {
    const file = configFile("httpsPort: 1111\nldapPort: 2222\nldapsPort: 3333\n");
    const config = loadConfig({
      configFile: file,
      env: { SPINE_SIM_LDAP_PORT: "4444", SPINE_SIM_LDAPS_PORT: "5555" },
      flags: { ldapsPort: "6666" },
    });
    expect(config.httpsPort).toBe(1111); // file
    expect(config.ldapPort).toBe(4444); // env beats file
    expect(config.ldapsPort).toBe(6666); // flag beats env
    expect(config.controlPort).toBe(8080); // default
  });

  it("reads the config file named by SPINE_SIM_CONFIG, in JSON as well as YAML", () => {
    const file = configFile(JSON.stringify({ env: "dep", mtls: "off" }), "c.json");
    expect(loadConfig({ env: { SPINE_SIM_CONFIG: file } })).toMatchObject({ env: "dep", mtls: "off" });
  });

  it("accepts port 0 for every listener", () => {
    const config = loadConfig({ flags: { httpsPort: "0", ldapPort: "0", ldapsPort: "0", controlPort: "0" } });
    expect([config.httpsPort, config.ldapPort, config.ldapsPort, config.controlPort]).toEqual([0, 0, 0, 0]);
  });

  it("names the setting, its source, the value given and what is allowed for a bad flag", () => {
    const error = failure(() => loadConfig({ flags: { httpsPort: "70000" } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("httpsPort (--https-port)");
    expect(error.message).toContain('"70000"');
    expect(error.message).toContain("0 to 65535");
  });

  it("names the environment variable a bad value came from", () => {
    const error = failure(() => loadConfig({ env: { SPINE_SIM_ENV: "live" } }));
    expect(error.message).toContain("env (SPINE_SIM_ENV)");
    expect(error.message).toContain('"live"');
    expect(error.message).toContain("int, dev or dep");
  });

  it("names the config file and key a bad value came from", () => {
    const file = configFile("validation: paranoid\n");
    const error = failure(() => loadConfig({ configFile: file }));
    expect(error.message).toContain(`validation (${file}: validation)`);
    expect(error.message).toContain("lenient, strict or report-only");
  });

  it("reports every bad setting at once", () => {
    const error = failure(() => loadConfig({ flags: { mtls: "maybe", clock: "sundial" } }));
    expect(error.message).toContain("mtls (--mtls)");
    expect(error.message).toContain("clock (--clock)");
  });

  it("refuses an unknown setting in the config file and lists the known ones", () => {
    const error = failure(() => loadConfig({ configFile: configFile("httpPort: 8443\n") }));
    expect(error.message).toContain("unknown setting httpPort");
    expect(error.message).toContain("httpsPort");
  });

  it("refuses a config file that cannot be read or parsed", () => {
    expect(failure(() => loadConfig({ configFile: "/nonexistent/spine-sim.yaml" })).message).toContain(
      "Cannot read config file",
    );
    expect(failure(() => loadConfig({ configFile: configFile("a: [unclosed\n") })).message).toContain(
      "not valid YAML or JSON",
    );
    expect(failure(() => loadConfig({ configFile: configFile("- 1\n- 2\n") })).message).toContain(
      "must hold a mapping",
    );
  });

  it("refuses a control token shorter than 16 characters", () => {
    expect(failure(() => loadConfig({ flags: { controlToken: "short" } })).message).toContain(
      "at least 16 characters",
    );
  });
});

describe("control listener exposure", () => {
  it("refuses a control listener off loopback without a token, and accepts it with one", () => {
    expect(() => loadConfig({ flags: { controlHost: "0.0.0.0" } })).toThrow(
      /not loopback, without a controlToken/,
    );
    expect(
      loadConfig({ flags: { controlHost: "0.0.0.0", controlToken: "a-long-enough-control-token" } })
        .controlHost,
    ).toBe("0.0.0.0");
  });
});
