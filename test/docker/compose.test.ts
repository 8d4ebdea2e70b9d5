/**
 * The Docker packaging, checked without a Docker engine (none runs on these machines): the real
 * `docker-compose config` validates and normalises docker-compose.yml, and the test reads what it
 * printed; the Dockerfile gets plain text checks. Nothing here builds or starts an image.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { environments, serviceHostnames } from "../../src/config/environments.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

const INT_HOSTNAMES = [
  "msg.int.spine2.ncrs.nhs.uk",
  "ldap.nis1.national.ncrs.nhs.uk",
  "gas.nis1.national.ncrs.nhs.uk",
  "sbapi.nis1.national.ncrs.nhs.uk",
  "portal.nis1.national.ncrs.nhs.uk",
];

interface Service {
  image?: string;
  build?: unknown;
  user?: string;
  healthcheck?: {
    test?: string[] | string;
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  networks?: Record<string, { aliases?: string[] } | null>;
  ports?: (string | { target: number | string; published?: number | string; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, string | null> | string[];
}

interface ComposeModel {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Runs the real docker-compose; a missing binary is a failure with the fix, never a skip. */
async function composeConfig(): Promise<string> {
  try {
    const { stdout } = await run("docker-compose", ["-f", "docker-compose.yml", "config"], {
      cwd: root,
      // Only what docker-compose needs: no COMPOSE_* or variables from the caller leak into the result.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" },
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("docker-compose is not installed: install it with: apt-get install -y docker-compose");
    }
    const { stderr } = error as { stderr?: string };
    throw new Error(`docker-compose -f docker-compose.yml config failed:\n${stderr ?? String(error)}`);
  }
}

function service(model: ComposeModel, name: string): Service {
  const found = model.services[name];
  if (found === undefined)
    throw new Error(`no service ${name}; services: ${Object.keys(model.services).join(", ")}`);
  return found;
}

/** Container ports published on the host, from the short ("443:443") or long ({ target, published }) form. */
function published(
  ports: Service["ports"],
): { target: number; published: number; hostIp: string | undefined }[] {
  return (ports ?? []).map((port) => {
    if (typeof port === "object") {
      return { target: Number(port.target), published: Number(port.published), hostIp: port.host_ip };
    }
    const parts = port.replace(/\/(tcp|udp)$/, "").split(":");
    const target = Number(parts.at(-1));
    const hostPort = Number(parts.at(-2));
    return { target, published: hostPort, hostIp: parts.length === 3 ? parts[0] : undefined };
  });
}

/** Named-volume mounts as { source, target, readOnly }, from the short or long form. */
function mounts(volumes: Service["volumes"]): { source: string; target: string; readOnly: boolean }[] {
  return (volumes ?? []).map((volume) => {
    if (typeof volume === "object") {
      return { source: volume.source ?? "", target: volume.target, readOnly: volume.read_only === true };
    }
    const [source = "", target = "", mode = "rw"] = volume.split(":");
    return { source, target, readOnly: mode.split(",").includes("ro") };
  });
}

function environmentOf(svc: Service): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => [entry.split("=")[0] ?? "", entry.split("=").slice(1).join("=")]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value ?? ""]));
}

describe("docker-compose.yml (validated and normalised by the real docker-compose)", () => {
  let model: ComposeModel;

  beforeAll(async () => {
    model = parseYaml(await composeConfig()) as ComposeModel;
  }, 90_000);

  it("has the simulator and the example supplier-tests service", () => {
    expect(Object.keys(model.services).sort()).toEqual(["spine-sim", "supplier-tests"]);
    const sim = service(model, "spine-sim");
    expect(sim.build).toBeDefined();
    expect(sim.image).toBeTruthy();
  });

  it("healthchecks the simulator on /_health with an interval, timeout, retries and start period", () => {
    const check = service(model, "spine-sim").healthcheck;
    expect(check).toBeDefined();
    const test = Array.isArray(check?.test) ? check.test.join(" ") : (check?.test ?? "");
    expect(test).toContain("/_health");
    expect(test).toMatch(/statusCode ?=== ?200/);
    expect(check?.interval).toBeTruthy();
    expect(check?.timeout).toBeTruthy();
    expect(check?.retries).toBeGreaterThan(0);
    expect(check?.start_period).toBeTruthy();
  });

  it("answers to every INT hostname through network aliases", () => {
    const aliases = Object.values(service(model, "spine-sim").networks ?? {}).flatMap(
      (n) => n?.aliases ?? [],
    );
    expect(aliases).toEqual(expect.arrayContaining(INT_HOSTNAMES));
    // The list above is the INT profile's own: a hostname added there must get an alias too.
    expect(aliases).toEqual(expect.arrayContaining(serviceHostnames(environments.int)));
  });

  it("publishes 443, 389 and 636, and the control port on the host's loopback only", () => {
    const ports = published(service(model, "spine-sim").ports);
    for (const port of [443, 389, 636]) {
      expect(ports).toContainEqual(expect.objectContaining({ target: port, published: port }));
    }
    const control = ports.filter((p) => ![443, 389, 636].includes(p.target));
    expect(control).toHaveLength(1);
    expect(control[0]?.hostIp).toBe("127.0.0.1");
  });

  it("keeps certs and data in named volumes", () => {
    const sim = mounts(service(model, "spine-sim").volumes);
    expect(sim).toContainEqual({
      source: "spine-sim-certs",
      target: "/etc/spine-sim/certs",
      readOnly: false,
    });
    expect(sim).toContainEqual({ source: "spine-sim-data", target: "/var/lib/spine-sim", readOnly: false });
    expect(Object.keys(model.volumes ?? {})).toEqual(
      expect.arrayContaining(["spine-sim-certs", "spine-sim-data"]),
    );
  });

  it("starts supplier-tests only once spine-sim is healthy, with the CA trusted and the ready file readable", () => {
    const tests = service(model, "supplier-tests");
    const dependsOn = tests.depends_on;
    expect(Array.isArray(dependsOn)).toBe(false);
    expect((dependsOn as Record<string, { condition?: string }>)["spine-sim"]?.condition).toBe(
      "service_healthy",
    );

    const env = environmentOf(tests);
    expect(env.NODE_EXTRA_CA_CERTS).toBe("/etc/spine-sim/certs/int/ca-bundle.pem");
    expect(env.SPINE_SIM_READY_FILE).toBe("/var/lib/spine-sim/ready.json");

    // Same paths as in the simulator's container, so the file names in the ready file work as they are.
    const volumes = mounts(tests.volumes);
    expect(volumes).toContainEqual({
      source: "spine-sim-certs",
      target: "/etc/spine-sim/certs",
      readOnly: true,
    });
    expect(volumes).toContainEqual({
      source: "spine-sim-data",
      target: "/var/lib/spine-sim",
      readOnly: true,
    });
    expect(Object.keys(tests.networks ?? {})).toEqual(
      Object.keys(service(model, "spine-sim").networks ?? {}),
    );
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  const instructions = dockerfile
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const runtime = instructions.slice(instructions.findLastIndex((line) => /^FROM\s/i.test(line)));

  it("builds in one stage and runs from a node:20-bookworm-slim runtime stage", () => {
    expect(instructions.filter((line) => /^FROM\s/i.test(line)).length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/node:20-bookworm-slim/);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/--omit=dev/);
  });

  it("has a HEALTHCHECK on the control listener's /_health", () => {
    const healthcheck = runtime.find((line) => /^HEALTHCHECK\s/i.test(line));
    expect(healthcheck).toBeDefined();
    expect(healthcheck).toContain("/_health");
  });

  it("runs as a non-root USER", () => {
    const users = runtime.filter((line) => /^USER\s/i.test(line)).map((line) => line.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/);
  });

  it("copies dist, node_modules, scenarios and seed-data into the runtime image", () => {
    const copies = runtime.filter((line) => /^COPY\s/i.test(line)).join("\n");
    for (const path of ["dist", "node_modules", "scenarios", "seed-data"]) expect(copies).toContain(path);
  });

  it("binds the real Spine ports and writes the ready file into the data volume", () => {
    const env = runtime.filter((line) => /^ENV\s/i.test(line)).join(" ");
    expect(env).toContain("SPINE_SIM_HTTPS_PORT=443");
    expect(env).toContain("SPINE_SIM_LDAP_PORT=389");
    expect(env).toContain("SPINE_SIM_LDAPS_PORT=636");
    expect(env).toContain("SPINE_SIM_DATA_DIR=/var/lib/spine-sim");
    expect(env).toContain("SPINE_SIM_CERTS_DIR=/etc/spine-sim/certs");
    expect(env).toContain("SPINE_SIM_READY_FILE=/var/lib/spine-sim/ready.json");
    expect(env).toContain("SPINE_SIM_PUBLIC_URL=https://msg.int.spine2.ncrs.nhs.uk");
  });
});
