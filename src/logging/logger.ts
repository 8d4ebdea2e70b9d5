/**
 * pino, JSON by default and pretty on a TTY; one child logger per component; secrets redacted.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import pinoPretty from "pino-pretty";
import type { SimulatorConfig } from "../config/config-schema.js";

export type { Logger } from "pino";

const redact = {
  paths: [
    "controlToken",
    "*.controlToken",
    "passcode",
    "*.passcode",
    "password",
    "*.password",
    "headers.authorization",
    "req.headers.authorization",
    "*.key",
  ],
  censor: "[redacted]",
};

export function createLogger(
  config: Pick<SimulatorConfig, "logLevel" | "logFormat">,
  destination?: DestinationStream,
): Logger {
  const pretty = config.logFormat === "pretty" || (config.logFormat === "auto" && process.stdout.isTTY);
  const options = { name: "spine-sim", level: config.logLevel, redact };
  if (destination !== undefined) return pino(options, destination);
  if (pretty) {
    // A synchronous pretty stream rather than a transport: no worker thread to spin up at start.
    return pino(options, pinoPretty({ colorize: true, ignore: "pid,hostname", sync: true }));
  }
  return pino(options);
}
