// Bundles the CLI and library entry points with esbuild (type-checking is `npm run typecheck`).
// Dependencies stay external: better-sqlite3 is native and the rest load faster from node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts", "src/index.ts"],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  banner: { js: "" },
});
