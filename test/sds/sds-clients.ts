/**
 * Real LDAP clients for the SDS tests: ldapts (the client most Node suppliers use) and the real
 * `ldapsearch` binary from Debian's ldap-utils. Both trust only our CA; verification is never off.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { Client, type Entry, type SearchOptions } from "ldapts";
import { onTestFinished } from "vitest";
import type { ReadyInfo } from "../../src/simulator.js";

export interface ClientChoice {
  /** LDAPS instead of plain LDAP. */
  readonly secure?: boolean;
  /** Present the ready-made endpoint's certificate (LDAPS only); default true. */
  readonly clientCertificate?: boolean;
}

/** An ldapts client for one test, unbound when the test finishes. */
export function ldapClient(ready: ReadyInfo, choice: ClientChoice = {}): Client {
  const endpoint = ready.endpoints[0];
  if (endpoint === undefined) throw new Error("the scenario has no ready-made endpoint");
  const client = new Client({
    url: choice.secure === true ? ready.ldaps : ready.ldap,
    timeout: 10_000,
    connectTimeout: 5_000,
    ...(choice.secure === true
      ? {
          tlsOptions: {
            ca: [readFileSync(ready.caFile)],
            servername: "localhost",
            ...(choice.clientCertificate === false
              ? {}
              : { cert: readFileSync(endpoint.certFile), key: readFileSync(endpoint.keyFile) }),
          },
        }
      : {}),
  });
  onTestFinished(async () => {
    await client.unbind().catch(() => undefined);
  });
  return client;
}

/**
 * Real clients strip the spaces the reference shows between filter components before encoding
 * (ldap3, JNDI); ldapts's parser does not, so the tests do it as those clients would.
 */
export function asSent(filter: string): string {
  return filter.replace(/\)\s+\(/g, ")(");
}

/**
 * The entries of a search as the server sent them. ldapts adds every requested attribute the entry
 * lacks as an empty array, under the requested spelling; those are dropped here so that the tests
 * see exactly the attributes on the wire.
 */
export async function searchEntries(client: Client, base: string, options: SearchOptions): Promise<Entry[]> {
  const { searchEntries: entries } = await client.search(base, options);
  return entries.map(
    (entry) =>
      Object.fromEntries(
        Object.entries(entry).filter(([, value]) => !(Array.isArray(value) && value.length === 0)),
      ) as Entry,
  );
}

/** The attribute names of an entry other than dn, in the order the server sent them. */
export function attributeNames(entry: Entry): string[] {
  return Object.keys(entry).filter((name) => name !== "dn");
}

export function ldapsearchBinary(): string {
  const found = (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, "ldapsearch"))
    .find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error("ldapsearch is not installed; install it with: apt-get install -y ldap-utils");
  }
  return found;
}

export interface LdapsearchResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The entries of the LDIF output, attribute names as sent by the server. */
  readonly entries: readonly { dn: string; attributes: Record<string, string[]> }[];
}

/** Runs the real ldapsearch (`-x`: simple/anonymous bind, as every SDS client does; `-LLL`: bare LDIF). */
export function ldapsearch(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<LdapsearchResult> {
  const binary = ldapsearchBinary();
  return new Promise((resolve) => {
    execFile(
      binary,
      ["-x", "-LLL", "-o", "ldif-wrap=no", ...args],
      { env: { ...process.env, LDAPTLS_REQCERT: "demand", ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ exitCode, stdout, stderr, entries: parseLdifOutput(stdout) });
      },
    );
  });
}

/** LDAPS environment for ldapsearch: our CA, and the endpoint's certificate unless told otherwise. */
export function ldapsearchTls(ready: ReadyInfo, clientCertificate = true): Record<string, string> {
  const endpoint = ready.endpoints[0];
  if (endpoint === undefined) throw new Error("the scenario has no ready-made endpoint");
  return {
    LDAPTLS_CACERT: ready.caFile,
    ...(clientCertificate ? { LDAPTLS_CERT: endpoint.certFile, LDAPTLS_KEY: endpoint.keyFile } : {}),
  };
}

function parseLdifOutput(text: string): { dn: string; attributes: Record<string, string[]> }[] {
  const entries: { dn: string; attributes: Record<string, string[]> }[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    const first = lines.shift();
    if (first?.startsWith("dn:") !== true) continue;
    const attributes: Record<string, string[]> = {};
    for (const line of lines) {
      const base64 = /^([^:]+):: (.*)$/.exec(line);
      const plain = /^([^:]+): ?(.*)$/.exec(line);
      const match = base64 ?? plain;
      if (match === null) continue;
      const name = match[1] ?? "";
      const value =
        base64 === null ? (match[2] ?? "") : Buffer.from(match[2] ?? "", "base64").toString("utf8");
      (attributes[name] ??= []).push(value);
    }
    const dn = first.startsWith("dn:: ")
      ? Buffer.from(first.slice(5), "base64").toString("utf8")
      : first.slice(3).trim();
    entries.push({ dn, attributes });
  }
  return entries;
}
