// Bundles the CLI and library entry points with esbuild (type-checking is `npm run typecheck`).
// Dependencies are bundled too: resolving and reading hundreds of small files from node_modules
// roughly doubled start-up time (bench/results/cold-start.json). Kept external: better-sqlite3
// (native addon), pino with pino-pretty (they load worker files by path at run time) and ldapjs
// (sloppy-mode CommonJS that breaks when bundled into a strict ES module).
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts", "src/index.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pino", "pino-pretty", "thread-stream", "ldapjs"],
  sourcemap: true,
  logLevel: "warning",
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __spineSimRequire } from 'node:module'; const require = __spineSimRequire(import.meta.url);",
  },
});
