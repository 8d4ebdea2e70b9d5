/** The library entry point: embed spine-sim in a test suite. */
export { createSimulator, type Simulator, type ReadyInfo, type ReadyEndpointInfo } from "./simulator.js";
export { loadConfig } from "./config/load-config.js";
export type { SimulatorConfig } from "./config/config-schema.js";
export { SimError } from "./core/errors.js";
