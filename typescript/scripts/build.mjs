// Builds dist/: one ESM and one CommonJS bundle of src/index.ts (esbuild), the
// declarations (tsc), and an ESM declaration entry that re-exports them.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

const common = {
  entryPoints: [join(root, "src/index.ts")],
  bundle: true,
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
};
await build({ ...common, format: "esm", outfile: join(dist, "index.mjs") });
await build({ ...common, format: "cjs", outfile: join(dist, "index.cjs") });

execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
writeFileSync(join(dist, "index.d.mts"), 'export * from "./types/index.js";\n');
