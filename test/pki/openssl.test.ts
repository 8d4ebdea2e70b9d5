/**
 * Checks the generated PKI with the real `openssl` binary: chain verification, CRL checking, fault
 * certificates and PKCS#12. openssl is a hard requirement here; without it these tests fail (not skip).
 */
import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../src/config/environments.js";
import { ensurePki, type EndpointCredential, type Pki } from "../../src/tls/pki.js";

interface OpensslResult {
  readonly code: number;
  /** stdout and stderr together: openssl splits its verdicts between the two. */
  readonly output: string;
}

function openssl(args: readonly string[]): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    execFile("openssl", args, { encoding: "utf8" }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
        reject(new Error("openssl is not on PATH; install it with: apt-get install -y openssl"));
        return;
      }
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

let dir: string;
let pki: Pki;
let endpoint: EndpointCredential;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spine-sim-openssl-"));
  pki = await ensurePki({ certsDir: dir, env: environments.int });
  endpoint = pki.ensureEndpoint("mhs.supplier.example.nhs.uk");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `openssl verify` against our root, with the intermediate as untrusted chain material. */
function verify(certFile: string, ...extra: string[]): Promise<OpensslResult> {
  const { rootCa, subCa } = pki.paths;
  return openssl(["verify", "-CAfile", rootCa, "-untrusted", subCa, ...extra, certFile]);
}

describe("openssl verify", () => {
  it("is installed", async () => {
    const result = await openssl(["version"]);
    expect(result.output).toMatch(/^OpenSSL \d/);
  });

  it.each([
    ["server.pem", () => pki.paths.serverCert, "sslserver"],
    ["msg-out.pem", () => pki.paths.msgOutCert, "sslclient"],
    ["the endpoint certificate as a client", () => endpoint.cert, "sslclient"],
    ["the endpoint certificate as a server", () => endpoint.cert, "sslserver"],
  ])("accepts %s chained to our root", async (_name, file, purpose) => {
    const result = await verify(file(), "-purpose", purpose);
    expect(result.output).toContain(": OK");
    expect(result.code).toBe(0);
  });

  it("accepts the valid certificates with CRL checking on, for the leaf and for the whole chain", async () => {
    const { crl, rootCrl } = pki.paths;
    for (const file of [pki.paths.serverCert, pki.paths.msgOutCert, endpoint.cert]) {
      const leafOnly = await verify(file, "-crl_check", "-CRLfile", crl);
      expect(leafOnly.output, file).toContain(": OK");
      const wholeChain = await verify(file, "-crl_check_all", "-CRLfile", crl, "-CRLfile", rootCrl);
      expect(wholeChain.output, file).toContain(": OK");
    }
  });

  it("rejects the revoked fault certificate with CRL checking, and only because of the CRL", async () => {
    const revoked = pki.paths.faults.revoked.cert;
    const checked = await verify(revoked, "-crl_check", "-CRLfile", pki.paths.crl);
    expect(checked.code).not.toBe(0);
    expect(checked.output).toContain("certificate revoked");
    expect((await verify(revoked)).output).toContain(": OK");
  });

  it("rejects the expired fault certificate as expired", async () => {
    const result = await verify(pki.paths.faults.expired.cert);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("certificate has expired");
  });

  it("rejects the not-yet-valid fault certificate as not yet valid", async () => {
    const result = await verify(pki.paths.faults.notYetValid.cert);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("certificate is not yet valid");
  });

  it("rejects the foreign-CA leaf, which its own root would accept", async () => {
    const { foreignCa, foreignRoot } = pki.paths.faults;
    const result = await verify(foreignCa.cert);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("unable to get local issuer certificate");
    const own = await openssl(["verify", "-CAfile", foreignRoot, foreignCa.cert]);
    expect(own.output).toContain(": OK");
  });
});

describe("openssl on the CA certificates and the CRL", () => {
  it("shows the root as a critical CA with keyCertSign and cRLSign, RSA 2048, sha256", async () => {
    const { output } = await openssl(["x509", "-in", pki.paths.rootCa, "-noout", "-text"]);
    expect(output).toContain("Subject: O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS PTL Root Authority");
    expect(output).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(output).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(output).toContain("Subject Key Identifier");
    expect(output).toContain("Public-Key: (2048 bit)");
    expect(output).toContain("Signature Algorithm: sha256WithRSAEncryption");
  });

  it("shows the intermediate with pathlen 0 and an authority key identifier", async () => {
    const { output } = await openssl(["x509", "-in", pki.paths.subCa, "-noout", "-text"]);
    expect(output).toContain("Subject: O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS INT Level 1C");
    expect(output).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(output).toContain("Authority Key Identifier");
  });

  it("reads the DER copy of the root as the same certificate", async () => {
    const { output } = await openssl([
      "x509",
      "-inform",
      "DER",
      "-in",
      pki.paths.rootCaDer,
      "-noout",
      "-fingerprint",
      "-sha256",
    ]);
    const fingerprint = new X509Certificate(readFileSync(pki.paths.rootCa)).fingerprint256;
    expect(output).toContain(fingerprint);
  });

  it("verifies the CRL's signature with the intermediate and lists the revoked serial", async () => {
    const result = await openssl([
      "crl",
      "-in",
      pki.paths.crl,
      "-CAfile",
      pki.paths.caBundle,
      "-noout",
      "-text",
      "-verify",
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain("verify OK");
    expect(result.output).toContain("Issuer: O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS INT Level 1C");
    const serial = new X509Certificate(readFileSync(pki.paths.faults.revoked.cert)).serialNumber;
    expect(result.output).toContain(`Serial Number: ${serial}`);
    expect(result.output).toMatch(/Next Update: /);
  });

  it("verifies the root's empty CRL with the root", async () => {
    const result = await openssl([
      "crl",
      "-in",
      pki.paths.rootCrl,
      "-CAfile",
      pki.paths.rootCa,
      "-noout",
      "-text",
      "-verify",
    ]);
    expect(result.output).toContain("verify OK");
    expect(result.output).toContain(
      "Issuer: O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS PTL Root Authority",
    );
    expect(result.output).toContain("No Revoked Certificates");
  });

  it("refuses the CRL against a CA that did not sign it", async () => {
    const result = await openssl([
      "crl",
      "-in",
      pki.paths.crl,
      "-CAfile",
      pki.paths.faults.foreignRoot,
      "-noout",
      "-verify",
    ]);
    expect(result.output).not.toContain("verify OK");
  });
});

describe("PKCS#12", () => {
  it("opens with the password spine-sim and holds the leaf, the intermediate and the root", async () => {
    expect(endpoint.p12Password).toBe("spine-sim");
    const result = await openssl(["pkcs12", "-in", endpoint.p12, "-passin", "pass:spine-sim", "-nokeys"]);
    expect(result.code).toBe(0);
    const subjects = [...result.output.matchAll(/^subject=(.*)$/gm)].map((match) => match[1]);
    expect(subjects).toEqual([
      "O = nhs, OU = SPINE-SIM TEST ONLY, CN = mhs.supplier.example.nhs.uk",
      "O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS INT Level 1C",
      "O = nhs, OU = CA, CN = SPINE-SIM TEST ONLY NHS PTL Root Authority",
    ]);
    expect(result.output).toContain("friendlyName: mhs.supplier.example.nhs.uk");
  });

  it("holds the endpoint's private key", async () => {
    const result = await openssl([
      "pkcs12",
      "-in",
      endpoint.p12,
      "-passin",
      "pass:spine-sim",
      "-nocerts",
      "-nodes",
    ]);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(result.output)?.[0];
    expect(keyPem).toBeDefined();
    const fromP12 = createPrivateKey(keyPem ?? "").export({ format: "jwk" });
    const fromFile = createPrivateKey(readFileSync(endpoint.key)).export({ format: "jwk" });
    expect(fromP12.n).toBe(fromFile.n);
    expect(fromP12.d).toBe(fromFile.d);
  });

  it("refuses a wrong password", async () => {
    const result = await openssl(["pkcs12", "-in", endpoint.p12, "-passin", "pass:wrong", "-nokeys"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/mac verify failure|invalid password/i);
  });
});
