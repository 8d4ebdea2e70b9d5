// OpenLDAP's slapd beside spine-sim, for the SDS bench: found (never installed) here, configured in a
// temporary directory with slapd.conf, given an OpenLDAP schema file generated from spine-sim's own
// SDS schema (src/core/directory/sds-schema.json) on top of Debian's core, cosine and inetorgperson,
// loaded with spine-sim's `sds export-ldif` output by slapadd, and started on loopback ports.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { Client } from "ldapts";

const candidates = ["/usr/sbin/slapd", "/usr/local/libexec/slapd", "/usr/libexec/slapd"];
const schemaDir = "/etc/ldap/schema";
const baseSchemas = ["core", "cosine", "inetorgperson"];

/** Paths of slapd, slapadd and the base schemas, or `{ missing }`: why not, and how to install it. */
export function findSlapd() {
  const slapd = candidates.find((p) => existsSync(p));
  if (slapd === undefined) {
    return {
      missing:
        "slapd is not installed (install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y slapd)",
    };
  }
  const slapadd = join(slapd, "..", "slapadd");
  const schemas = baseSchemas.map((name) => join(schemaDir, `${name}.schema`));
  const absent = [slapadd, ...schemas].filter((p) => !existsSync(p));
  if (absent.length > 0)
    return {
      missing: `slapd found at ${slapd}, but ${absent.join(", ")} missing (reinstall the slapd package)`,
    };
  const module = ["/usr/lib/ldap/back_mdb.la", "/usr/lib/ldap/back_mdb.so"].some((p) => existsSync(p));
  return { slapd, slapadd, schemas, modulePath: module ? "/usr/lib/ldap" : undefined };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, log) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`slapd exited (${child.exitCode}) before listening:\n${log()}`);
    const open = await new Promise((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port} within 20 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function conf({ dir, found, extraSchema, dbDir, tls }) {
  return [
    ...found.schemas.map((s) => `include ${s}`),
    ...(extraSchema === undefined ? [] : [`include ${extraSchema}`]),
    `pidfile ${join(dir, "slapd.pid")}`,
    `argsfile ${join(dir, "slapd.args")}`,
    ...(found.modulePath === undefined ? [] : [`modulepath ${found.modulePath}`, "moduleload back_mdb"]),
    // As on the real SDS: 500 entries without paging (sds-ldap.md L5), read access for everyone.
    "sizelimit 500",
    ...(tls === undefined
      ? []
      : [
          `TLSCACertificateFile ${tls.caFile}`,
          `TLSCertificateFile ${tls.certFile}`,
          `TLSCertificateKeyFile ${tls.keyFile}`,
          // Mutual TLS as spine-sim's LDAPS (--mtls on): a client certificate from our CA is required.
          "TLSVerifyClient demand",
        ]),
    "database mdb",
    'suffix "o=nhs"',
    `directory ${dbDir}`,
    "maxsize 1073741824",
    // Equality indexes on what the route look-ups filter by, as a production directory would have.
    "index objectClass eq",
    ...(extraSchema === undefined
      ? []
      : ["index uniqueIdentifier,nhsIDCode,nhsMHSPartyKey,nhsAsSvcIA,nhsMhsSvcIA eq"]),
    "",
  ].join("\n");
}

function startProcess(found, confFile, urls) {
  let log = "";
  const child = spawn(found.slapd, ["-f", confFile, "-h", urls.join(" "), "-d", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (c) => (log += c));
  child.stderr.on("data", (c) => (log += c));
  return { child, log: () => log };
}

async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

const quoted = (s) => s.match(/'([^']*)'/g)?.map((q) => q.slice(1, -1)) ?? [];
const oidOf = (definition) => /^\(\s*([\w.-]+)/.exec(definition)?.[1];
function namesOf(definition) {
  const m = /\sNAME\s+(\([^)]*\)|'[^']*')/.exec(definition);
  return m === null ? [] : quoted(m[1]);
}

/** What a slapd with only the base schemas knows: read from its own cn=Subschema. */
async function knownSchema(found, dir) {
  const bootDir = join(dir, "bootstrap");
  mkdirSync(join(bootDir, "db"), { recursive: true });
  const confFile = join(bootDir, "slapd.conf");
  writeFileSync(confFile, conf({ dir: bootDir, found, dbDir: join(bootDir, "db") }));
  const port = await freePort();
  const { child, log } = startProcess(found, confFile, [`ldap://127.0.0.1:${port}/`]);
  try {
    await waitForPort(port, child, log);
    const client = new Client({ url: `ldap://127.0.0.1:${port}` });
    const { searchEntries } = await client.search("cn=Subschema", {
      scope: "base",
      filter: "(objectClass=subschema)",
      attributes: ["attributeTypes", "objectClasses", "matchingRules", "ldapSyntaxes"],
    });
    await client.unbind();
    const entry = searchEntries[0] ?? {};
    const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    const known = new Set();
    for (const d of [
      ...list(entry.attributeTypes),
      ...list(entry.objectClasses),
      ...list(entry.matchingRules),
    ]) {
      known.add(oidOf(d));
      for (const n of namesOf(d)) known.add(n.toLowerCase());
    }
    const syntaxes = new Set(list(entry.ldapSyntaxes).map(oidOf));
    return { known, syntaxes };
  } finally {
    await stopProcess(child);
  }
}

/**
 * An OpenLDAP schema file with every attribute type and object class of spine-sim's SDS schema that
 * slapd does not already define (the NHS ones and the few standard ones outside core, cosine and
 * inetorgperson). Rules or syntaxes slapd lacks are left out of a definition rather than failing it.
 */
export function openLdapSchema(sdsSchema, { known, syntaxes }) {
  const lines = [
    "# Generated by bench/lib/slapd.mjs from spine-sim's src/core/directory/sds-schema.json.",
    "# Definitions slapd's core, cosine and inetorgperson schemas already give are left out.",
  ];
  const isKnown = (d) => known.has(oidOf(d)) || namesOf(d).some((n) => known.has(n.toLowerCase()));
  for (const d of sdsSchema.attributeTypes) {
    // Operational types (entryDN, entryUUID, …) are slapd's own business.
    const usage = /\sUSAGE\s+(\w+)/.exec(d)?.[1] ?? "userApplications";
    if (isKnown(d) || usage !== "userApplications") continue;
    let text = d;
    for (const keyword of ["EQUALITY", "SUBSTR", "ORDERING"]) {
      text = text.replace(new RegExp(`\\s${keyword}\\s+([\\w.-]+)`), (all, rule) =>
        known.has(rule.toLowerCase()) || known.has(rule) ? all : "",
      );
    }
    text = text.replace(/\sSYNTAX\s+([\d.]+)(\{\d+\})?/, (all, oid) =>
      syntaxes.has(oid) ? all : " SYNTAX 1.3.6.1.4.1.1466.115.121.1.15",
    );
    lines.push(`attributetype ${text}`);
  }
  for (const d of sdsSchema.objectClasses) {
    if (isKnown(d)) continue;
    lines.push(`objectclass ${d}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Configures, loads and starts slapd in `dir`; resolves to its URLs and a stop function.
 * `ldif` is the directory to load (spine-sim's export); `tls` the server certificate, key and CA.
 */
export async function startSlapd({ found, dir, ldif, sdsSchema, tls }) {
  const { known, syntaxes } = await knownSchema(found, dir);
  const schemaFile = join(dir, "spine-sim-sds.schema");
  writeFileSync(schemaFile, openLdapSchema(sdsSchema, { known, syntaxes }));
  const dbDir = join(dir, "db");
  mkdirSync(dbDir, { recursive: true });
  const confFile = join(dir, "slapd.conf");
  writeFileSync(confFile, conf({ dir, found, extraSchema: schemaFile, dbDir, tls }));
  const ldifFile = join(dir, "sds.ldif");
  // slapadd (2.5) takes no RFC 2849 `version: 1` line (it reads it as an attribute, or as an entry
  // without a DN); spine-sim reads it. The export is otherwise loaded as written.
  writeFileSync(ldifFile, ldif.replace(/^version: 1\n/, ""));
  // slapadd checks every entry against the schema as it loads (no -s): a refusal fails the bench.
  const added = spawnSync(found.slapadd, ["-q", "-f", confFile, "-l", ldifFile], { encoding: "utf8" });
  if (added.status !== 0)
    throw new Error(`slapadd refused spine-sim's export:\n${added.stderr}${added.stdout}`);
  const ldapPort = await freePort();
  const ldapsPort = await freePort();
  const { child, log } = startProcess(found, confFile, [
    `ldap://127.0.0.1:${ldapPort}/`,
    ...(tls === undefined ? [] : [`ldaps://127.0.0.1:${ldapsPort}/`]),
  ]);
  await waitForPort(ldapPort, child, log);
  if (tls !== undefined) await waitForPort(ldapsPort, child, log);
  const version = spawnSync(found.slapd, ["-VV"], { encoding: "utf8" });
  return {
    ldap: `ldap://127.0.0.1:${ldapPort}`,
    ldaps: tls === undefined ? undefined : `ldaps://127.0.0.1:${ldapsPort}`,
    version: /slapd ([\d.]+)/.exec(`${version.stdout}${version.stderr}`)?.[1] ?? "unknown",
    pid: child.pid,
    log,
    stop: () => stopProcess(child),
  };
}

export function readSdsSchema(root) {
  return JSON.parse(readFileSync(join(root, "src", "core", "directory", "sds-schema.json"), "utf8"));
}
