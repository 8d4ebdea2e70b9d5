/**
 * Fills the configuration from flags > SPINE_SIM_* environment variables > an optional config file
 * > defaults, validates it once and freezes it. A bad value fails with the setting's name, where the
 * value came from, the value given and what is allowed.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { SimError } from "../core/errors.js";
import {
  configSchema,
  envVarName,
  flagName,
  settingNames,
  type SettingName,
  type SimulatorConfig,
} from "./config-schema.js";

export interface ConfigSources {
  /** Values from command-line flags, keyed by setting name; undefined entries are ignored. */
  readonly flags?: Readonly<Partial<Record<string, unknown>>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A JSON or YAML config file; also taken from SPINE_SIM_CONFIG. */
  readonly configFile?: string | undefined;
}

type Origin = { kind: "flag" | "env" | "file" | "default"; name: string };

export function loadConfig(sources: ConfigSources = {}): SimulatorConfig {
  const env = sources.env ?? {};
  const raw: Record<string, unknown> = {};
  const origins = new Map<string, Origin>();
  const put = (key: string, value: unknown, origin: Origin): void => {
    if (value === undefined) return;
    raw[key] = value;
    origins.set(key, origin);
  };

  const configFile = sources.configFile ?? env.SPINE_SIM_CONFIG;
  if (configFile !== undefined) {
    for (const [key, value] of Object.entries(readConfigFile(configFile))) {
      put(key, value, { kind: "file", name: `${configFile}: ${key}` });
    }
  }
  for (const setting of settingNames) {
    put(setting, env[envVarName(setting)], { kind: "env", name: envVarName(setting) });
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    const known = settingNames.includes(key as SettingName);
    put(key, value, { kind: "flag", name: known ? flagName(key as SettingName) : `--${key}` });
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const origin = origins.get(key);
      const where = origin === undefined ? key : `${key} (${origin.name})`;
      if (issue.code === "unrecognized_keys") {
        return `unknown setting${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; known settings: ${settingNames.join(", ")}`;
      }
      return `${where}: got ${JSON.stringify(raw[key])}, expected ${issue.message}`;
    });
    throw new SimError("CONFIG_INVALID", `Invalid configuration:\n  ${problems.join("\n  ")}`, {
      hint: "Run `spine-sim start --help` for every setting and its allowed values.",
      details: { problems },
    });
  }
  const config = result.data;
  if (!isLoopback(config.controlHost) && config.controlToken === undefined) {
    throw new SimError(
      "CONFIG_INVALID",
      `Invalid configuration:\n  controlHost: got ${JSON.stringify(config.controlHost)}, which is not loopback, without a controlToken`,
      {
        hint: "Set --control-token (SPINE_SIM_CONTROL_TOKEN) so that only your tests can drive the simulator.",
      },
    );
  }
  return Object.freeze(config);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new SimError("CONFIG_INVALID", `Cannot read config file ${file}: ${(error as Error).message}`, {
      details: { setting: "configFile", value: file },
    });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text); // YAML is a superset of JSON, so one parser reads both
  } catch (error) {
    throw new SimError(
      "CONFIG_INVALID",
      `Config file ${file} is not valid YAML or JSON: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SimError(
      "CONFIG_INVALID",
      `Config file ${file} must hold a mapping of setting names to values`,
    );
  }
  return parsed as Record<string, unknown>;
}
