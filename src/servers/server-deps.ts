/** What every listener receives from the composition root. */
import type { SimulatorConfig } from "../config/config-schema.js";
import type { EnvironmentProfile } from "../config/environments.js";
import type { Clock } from "../core/clock.js";
import type { Journal } from "../core/journal/journal.js";
import type { Store } from "../core/store/store.js";
import type { Logger } from "../logging/logger.js";

export interface Health {
  readonly ready: boolean;
  readonly listeners: Readonly<Record<string, "starting" | "ready" | "stopped">>;
}

export interface ServerDeps {
  readonly config: SimulatorConfig;
  readonly env: EnvironmentProfile;
  readonly store: Store;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly version: string;
  health(): Health;
}
