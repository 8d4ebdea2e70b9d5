/**
 * The one typed configuration of spine-sim. Every setting has a flag, an environment variable
 * (SPINE_SIM_<UPPER_SNAKE>) and a config-file key; see docs/configuration.md.
 */
import { z } from "zod";

const port = z.coerce
  .number({ error: "a port number from 0 to 65535 (0 picks a free port)" })
  .int("a whole port number from 0 to 65535")
  .min(0, "a port number from 0 to 65535")
  .max(65535, "a port number from 0 to 65535");

const onOff = z.preprocess(
  (value) => (value === true ? "on" : value === false ? "off" : value),
  z.enum(["on", "off"], { error: "on or off" }),
);

export const configSchema = z.strictObject({
  env: z.enum(["int", "dev", "dep"], { error: "int, dev or dep" }).default("int"),
  /** A shipped scenario's name (scenarios/<name>.yaml) or a path to a scenario file. */
  scenario: z.string().min(1, "a scenario name or file").default("int"),
  /** SQLite database file, or :memory:. Relative paths resolve against the working directory. */
  db: z.string().min(1).optional(),
  dataDir: z.string().min(1).default("data"),
  certsDir: z.string().min(1).default("certs"),
  host: z.string().min(1).default("127.0.0.1"),
  httpsPort: port.default(8443),
  ldapPort: port.default(8389),
  ldapsPort: port.default(8636),
  controlPort: port.default(8080),
  /** The control API and console listen on loopback unless told otherwise; off loopback they need a token. */
  controlHost: z.string().min(1).default("127.0.0.1"),
  controlToken: z.string().min(16, "at least 16 characters").optional(),
  /** Mutual TLS on the HTTPS and LDAPS listeners (client certificate chained to our CA). */
  mtls: onOff.default("on"),
  clock: z.enum(["real", "virtual"], { error: "real or virtual" }).default("real"),
  validation: z
    .enum(["lenient", "strict", "report-only"], { error: "lenient, strict or report-only" })
    .default("lenient"),
  /** Where clients reach the HTTPS listener; written into SDS endpoints. Default https://localhost:<httpsPort>. */
  publicUrl: z.url({ error: "an absolute https URL such as https://msg.int.spine2.ncrs.nhs.uk" }).optional(),
  readyFile: z.string().min(1).optional(),
  logLevel: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "fatal, error, warn, info, debug, trace or silent",
    })
    .default("info"),
  logFormat: z.enum(["auto", "json", "pretty"], { error: "auto, json or pretty" }).default("auto"),
  /** Largest request body accepted, in bytes (Spine's limit is 5 MB). */
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1024, "at least 1024 bytes")
    .default(5 * 1024 * 1024),
});

export type ConfigInput = z.input<typeof configSchema>;
export type SimulatorConfig = Readonly<z.output<typeof configSchema>>;
export type SettingName = keyof SimulatorConfig;

export const settingNames = Object.keys(configSchema.shape) as SettingName[];

/** `httpsPort` → `SPINE_SIM_HTTPS_PORT`. */
export function envVarName(setting: SettingName): string {
  return `SPINE_SIM_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `httpsPort` → `--https-port`. */
export function flagName(setting: SettingName): string {
  return `--${setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
