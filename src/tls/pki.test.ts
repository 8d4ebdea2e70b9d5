import { X509Certificate } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments, serviceHostnames } from "../config/environments.js";
import { SimError } from "../core/errors.js";
import { ensurePki, type Pki } from "./pki.js";

const int = environments.int;
const DAY = 86_400_000;
const temporaryDirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "spine-sim-pki-"));
  temporaryDirs.push(dir);
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** Every file's content and mtime, keyed by path relative to `dir`. */
function snapshot(dir: string): Map<string, { content: string; mtimeMs: number }> {
  return new Map(
    files(dir).map((path) => [
      relative(dir, path),
      { content: readFileSync(path).toString("base64"), mtimeMs: statSync(path).mtimeMs },
    ]),
  );
}

function changedFiles(before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((name) => {
      const a = before.get(name);
      const b = after.get(name);
      return a?.content !== b?.content || a?.mtimeMs !== b?.mtimeMs;
    })
    .sort();
}

function x509(path: string): X509Certificate {
  return new X509Certificate(readFileSync(path));
}

let template: string;
let first: Pki;
let firstGenerationMs: number;

/** A copy of the first generated set, so each test starts from a complete tree of its own. */
function copyOfTemplate(): string {
  const dir = freshDir();
  cpSync(template, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

beforeAll(async () => {
  template = freshDir();
  const started = performance.now();
  first = await ensurePki({ certsDir: template, env: int });
  firstGenerationMs = performance.now() - started;
});

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

describe("ensurePki on an empty directory", () => {
  it("writes the documented layout and reports generated", () => {
    expect(first.generated).toBe(true);
    const written = files(template).map((path) => relative(template, path));
    expect(written).toEqual(
      [
        "ca/root-ca.crl.pem",
        "ca/root-ca.der",
        "ca/root-ca.key.pem",
        "ca/root-ca.pem",
        "int/ca-bundle.pem",
        "int/crl.pem",
        "int/faults/expired.key.pem",
        "int/faults/expired.pem",
        "int/faults/foreign-ca.key.pem",
        "int/faults/foreign-ca.pem",
        "int/faults/foreign-root.pem",
        "int/faults/not-yet-valid.key.pem",
        "int/faults/not-yet-valid.pem",
        "int/faults/revoked.key.pem",
        "int/faults/revoked.pem",
        "int/msg-out.key.pem",
        "int/msg-out.pem",
        "int/server.key.pem",
        "int/server.pem",
        "int/sub-ca.der",
        "int/sub-ca.key.pem",
        "int/sub-ca.pem",
      ].sort(),
    );
    const { paths } = first;
    for (const path of [paths.rootCa, paths.subCa, paths.serverCert, paths.crl, paths.faults.revoked.cert]) {
      expect(existsSync(path), path).toBe(true);
    }
  });

  it("makes keys owner-only and certificates world-readable", () => {
    for (const path of files(template)) {
      const mode = statSync(path).mode & 0o777;
      expect(mode, path).toBe(path.endsWith(".key.pem") ? 0o600 : 0o644);
    }
  });

  it("does not take pathologically long", () => {
    // Typically ~1.4 s on two slow cores, dominated by six native RSA key generations; the bound is loose
    // because parallel test workers compete for the CPU, and only catches e.g. a switch to pure-JS keygen.
    expect(firstGenerationMs).toBeLessThan(15_000);
  });

  it("names and shapes the chain like NHS PTL", () => {
    const { paths } = first;
    const root = x509(paths.rootCa);
    const subCa = x509(paths.subCa);
    expect(root.subject).toBe("O=nhs\nOU=CA\nCN=SPINE-SIM TEST ONLY NHS PTL Root Authority");
    expect(root.issuer).toBe(root.subject);
    expect(root.ca).toBe(true);
    expect(subCa.subject).toBe("O=nhs\nOU=CA\nCN=SPINE-SIM TEST ONLY NHS INT Level 1C");
    expect(subCa.issuer).toBe(root.subject);
    expect(subCa.verify(root.publicKey)).toBe(true);
    expect(readFileSync(paths.rootCaDer)).toEqual(root.raw);
    expect(readFileSync(paths.subCaDer)).toEqual(subCa.raw);
    expect(readFileSync(paths.caBundle, "utf8")).toBe(
      readFileSync(paths.subCa, "utf8") + readFileSync(paths.rootCa, "utf8"),
    );
    const lifetimeYears = (Date.parse(root.validTo) - Date.parse(root.validFrom)) / (365.25 * DAY);
    expect(Math.round(lifetimeYears)).toBe(20);
  });

  it("puts every environment host name, localhost and the loopback addresses in the server SANs", () => {
    const server = x509(first.paths.serverCert);
    const sans = server.subjectAltName?.split(", ") ?? [];
    for (const host of serviceHostnames(int)) expect(sans).toContain(`DNS:${host}`);
    expect(sans).toContain("DNS:localhost");
    expect(sans).toContain("IP Address:127.0.0.1");
    expect(sans).toContain("IP Address:0:0:0:0:0:0:0:1");
    expect(server.subject).toContain(`CN=${int.hosts.messaging}`);
    expect(server.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(server.checkHost("msg.int.spine2.ncrs.nhs.uk")).toBe("msg.int.spine2.ncrs.nhs.uk");
    expect(server.checkIP("127.0.0.1")).toBe("127.0.0.1");
  });

  it("gives msg-out a client-and-server certificate named after the outbound host", () => {
    const msgOut = x509(first.paths.msgOutCert);
    expect(msgOut.subject).toContain(`CN=${int.hosts.messagingOut}`);
    expect([...msgOut.keyUsage].sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(msgOut.checkIssued(x509(first.paths.subCa))).toBe(true);
  });

  it("returns PEM material for tls.createServer that matches the files", () => {
    const options = first.tlsServerOptions();
    const { paths } = first;
    expect(options.cert).toBe(readFileSync(paths.serverCert, "utf8"));
    expect(options.key).toBe(readFileSync(paths.serverKey, "utf8"));
    expect(options.ca).toBe(readFileSync(paths.caBundle, "utf8"));
    expect(options.crl).toEqual([readFileSync(paths.crl, "utf8"), readFileSync(paths.rootCrl, "utf8")]);
  });
});

describe("ensurePki on an existing directory", () => {
  it("reuses everything: generated=false, no file rewritten, in a few milliseconds", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    const started = performance.now();
    const pki = await ensurePki({ certsDir: dir, env: int });
    const elapsed = performance.now() - started;
    expect(pki.generated).toBe(false);
    expect(changedFiles(before, snapshot(dir))).toEqual([]);
    expect(elapsed).toBeLessThan(250); // typically 5-20 ms; the bound only catches accidental regeneration
  });

  it("regenerates only server.pem when it is deleted, keeping its key", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    rmSync(join(dir, "int/server.pem"));
    const pki = await ensurePki({ certsDir: dir, env: int });
    expect(pki.generated).toBe(true);
    expect(changedFiles(before, snapshot(dir))).toEqual(["int/server.pem"]);
    const server = x509(pki.paths.serverCert);
    expect(server.checkIssued(x509(pki.paths.subCa))).toBe(true);
    expect(server.serialNumber).not.toBe(x509(join(template, "int/server.pem")).serialNumber);
  });

  it("replaces an unparsable certificate and a missing key", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    writeFileSync(join(dir, "int/msg-out.pem"), "not a certificate\n");
    rmSync(join(dir, "int/msg-out.key.pem"));
    const pki = await ensurePki({ certsDir: dir, env: int });
    expect(changedFiles(before, snapshot(dir))).toEqual(["int/msg-out.key.pem", "int/msg-out.pem"]);
    expect(x509(pki.paths.msgOutCert).subject).toContain(`CN=${int.hosts.messagingOut}`);
  });

  it("reissues the server certificate when the extra host names change", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    const pki = await ensurePki({
      certsDir: dir,
      env: int,
      extraHostnames: ["spine.test.local", "10.1.2.3"],
    });
    expect(changedFiles(before, snapshot(dir))).toEqual(["int/server.pem"]);
    const sans = x509(pki.paths.serverCert).subjectAltName ?? "";
    expect(sans).toContain("DNS:spine.test.local");
    expect(sans).toContain("IP Address:10.1.2.3");
    const again = await ensurePki({
      certsDir: dir,
      env: int,
      extraHostnames: ["SPINE.test.local.", "10.1.2.3"],
    });
    expect(again.generated).toBe(false);
  });

  it("creates certs/dev for another environment while reusing the root and leaving int alone", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    const dev = await ensurePki({ certsDir: dir, env: environments.dev });
    expect(dev.generated).toBe(true);
    const changed = changedFiles(before, snapshot(dir));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((name) => name.startsWith("dev/"))).toBe(true);
    expect(dev.paths.envDir).toBe(join(dir, "dev"));
    const subCa = x509(dev.paths.subCa);
    expect(subCa.subject).toContain("CN=SPINE-SIM TEST ONLY NHS DEV Level 1C");
    expect(subCa.verify(x509(join(dir, "ca/root-ca.pem")).publicKey)).toBe(true);
    const sans = x509(dev.paths.serverCert).subjectAltName ?? "";
    for (const host of serviceHostnames(environments.dev)) expect(sans).toContain(`DNS:${host}`);
    expect(sans).not.toContain("int.spine2");
  });

  it("renews certificates close to expiry and refreshes the CRL, keeping the CAs", async () => {
    const dir = copyOfTemplate();
    const before = snapshot(dir);
    const later = new Date(Date.now() + 380 * DAY); // leaves live 397 days and renew 30 days ahead
    const pki = await ensurePki({ certsDir: dir, env: int, now: () => later });
    const changed = changedFiles(before, snapshot(dir));
    expect(changed).toEqual(
      expect.arrayContaining([
        "int/server.pem",
        "int/msg-out.pem",
        "int/crl.pem",
        "ca/root-ca.crl.pem",
        "int/faults/revoked.pem",
        "int/faults/not-yet-valid.pem",
      ]),
    );
    expect(changed).not.toContain("ca/root-ca.pem");
    expect(changed).not.toContain("int/sub-ca.pem");
    expect(changed).not.toContain("int/faults/expired.pem"); // still expired
    expect(changed.filter((name) => name.endsWith(".key.pem"))).toEqual([]);
    expect(Date.parse(x509(pki.paths.serverCert).validTo)).toBeGreaterThan(later.getTime() + 300 * DAY);
  });

  it("serialises concurrent first runs on one directory so both see the same chain", async () => {
    const dir = freshDir();
    const [a, b] = await Promise.all([
      ensurePki({ certsDir: dir, env: int }),
      ensurePki({ certsDir: dir, env: int }),
    ]);
    expect([a.generated, b.generated].sort()).toEqual([false, true]);
    expect(a.tlsServerOptions()).toEqual(b.tlsServerOptions());
    expect(existsSync(join(dir, ".spine-sim-pki.lock"))).toBe(false);
  });
});

describe("ensurePki errors", () => {
  it("reports a certs directory under a regular file as DIR_UNWRITABLE", async () => {
    const blocker = join(freshDir(), "a-file");
    writeFileSync(blocker, "x");
    const certsDir = join(blocker, "certs");
    const error = await ensurePki({ certsDir, env: int }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SimError);
    const simError = error as SimError;
    expect(simError.code).toBe("DIR_UNWRITABLE");
    expect(simError.message).toMatch(new RegExp(`^Cannot write certificates to ${certsDir}: .+`));
    expect(simError.hint).toBe("Choose another --certs-dir or fix its permissions");
    expect(simError.details).toEqual({ setting: "certsDir", value: certsDir });
    expect(simError.exitCode).toBe(3);
  });

  it("reports a certs directory that is itself a regular file as DIR_UNWRITABLE", async () => {
    const blocker = join(freshDir(), "certs");
    writeFileSync(blocker, "x");
    await expect(ensurePki({ certsDir: blocker, env: int })).rejects.toMatchObject({
      code: "DIR_UNWRITABLE",
      message: `Cannot write certificates to ${blocker}: it exists and is not a directory`,
    });
  });

  it("rejects a malformed extra host name as CONFIG_INVALID", async () => {
    await expect(
      ensurePki({ certsDir: freshDir(), env: int, extraHostnames: ["bad host/name"] }),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID", details: { setting: "extraHostnames" } });
  });
});

describe("ensureEndpoint", () => {
  it("issues a client-and-server certificate, key and PKCS#12 for the FQDN, then reuses them", async () => {
    const dir = copyOfTemplate();
    const pki = await ensurePki({ certsDir: dir, env: int });
    const endpoint = pki.ensureEndpoint("MHS.Supplier.example.nhs.uk");
    expect(endpoint).toMatchObject({
      fqdn: "mhs.supplier.example.nhs.uk",
      cert: join(dir, "int/endpoints/mhs.supplier.example.nhs.uk.pem"),
      key: join(dir, "int/endpoints/mhs.supplier.example.nhs.uk.key.pem"),
      p12: join(dir, "int/endpoints/mhs.supplier.example.nhs.uk.p12"),
      p12Password: "spine-sim",
      generated: true,
    });
    const cert = x509(endpoint.cert);
    expect(cert.subject).toContain("CN=mhs.supplier.example.nhs.uk");
    expect(cert.subjectAltName).toBe("DNS:mhs.supplier.example.nhs.uk");
    expect([...cert.keyUsage].sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(cert.fingerprint256).toBe(endpoint.fingerprint256);
    expect(statSync(endpoint.key).mode & 0o777).toBe(0o600);
    expect(statSync(endpoint.p12).mode & 0o777).toBe(0o600);

    const before = snapshot(dir);
    const again = pki.ensureEndpoint("mhs.supplier.example.nhs.uk");
    expect(again.generated).toBe(false);
    expect(again.fingerprint256).toBe(endpoint.fingerprint256);
    expect(changedFiles(before, snapshot(dir))).toEqual([]);

    rmSync(endpoint.p12);
    expect(pki.ensureEndpoint("mhs.supplier.example.nhs.uk").generated).toBe(true);
    expect(changedFiles(before, snapshot(dir))).toEqual(["int/endpoints/mhs.supplier.example.nhs.uk.p12"]);
  });

  it("adds the loopback addresses for localhost", () => {
    const endpoint = first.ensureEndpoint("localhost");
    expect(x509(endpoint.cert).subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
  });

  it.each(["../escape", "a/b", "", "-bad.example", "host name", "::1"])(
    "rejects %j as ENDPOINT_INVALID",
    (fqdn) => {
      expect(() => first.ensureEndpoint(fqdn)).toThrow(expect.objectContaining({ code: "ENDPOINT_INVALID" }));
    },
  );
});
