// `make bench`: this SDK against a floor of fetch + a minimal SSE split + JSON.parse, on
// loopback against the Python benchmark server (the same payloads as the Python SDK's
// benchmark), interleaved rounds, each measurement in a fresh process; then the size of
// the minified, gzipped ESM bundle and the import time. Prints one table.
import { execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const server = spawn(
  join(root, "../python/.venv/bin/python"),
  ["-m", "benchmarks._server", "--max-events", "100000"],
  {
    cwd: join(root, "../python"),
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const { port } = await new Promise((resolve) =>
  server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))),
);

async function measure(scenario, impl, ...args) {
  const { stdout } = await run(
    process.execPath,
    [join(here, "worker.mjs"), scenario, impl, String(port), ...args.map(String)],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const scenarios = [
  [
    "one stream, 100,000 events (events/s)",
    "stream",
    [100000, 1],
    "eventsPerSecond",
    ">= 0.95x",
    (r) => r >= 0.95,
  ],
  [
    "200 concurrent streams x 2,000 events (events/s)",
    "stream",
    [2000, 200],
    "eventsPerSecond",
    ">= 0.9x",
    (r) => r >= 0.9,
  ],
  [
    "200 concurrent streams: memory growth (MiB)",
    "stream",
    [2000, 200],
    "memoryGrowthMiB",
    "<= 1.2x",
    (r) => r <= 1.2,
  ],
  [
    "GET /v1/agents/{id}, median of 1,000 (ms)",
    "get",
    [1000],
    "medianMs",
    "<= 1.05x",
    (r) => r <= 1.05,
  ],
];
const results = new Map();
for (let round = 0; round < rounds; round++) {
  for (const [label, scenario, args] of scenarios) {
    const order = round % 2 ? ["floor", "ours"] : ["ours", "floor"];
    for (const impl of order) {
      const key = `${scenario}:${args.join(",")}:${impl}`;
      if (!results.has(key)) results.set(key, []);
      if (label.includes("memory")) continue; // measured with the concurrent run
      results.get(key).push(await measure(scenario, impl, ...args));
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
server.stdin.end();
server.kill();

const rows = [["scenario", "ours", "floor", "ratio", "target", ""]];
for (const [label, scenario, args, field, target, ok] of scenarios) {
  const pick = (impl) =>
    median(results.get(`${scenario}:${args.join(",")}:${impl}`).map((r) => r[field]));
  const ours = pick("ours");
  const floor = pick("floor");
  const ratio = ours / floor;
  rows.push([
    label,
    ours.toFixed(2),
    floor.toFixed(2),
    `${ratio.toFixed(3)}x`,
    target,
    ok(ratio) ? "ok" : "MISSED",
  ]);
}

const bundle = await build({
  entryPoints: [join(root, "dist/index.mjs")],
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
  platform: "neutral",
});
const bytes = bundle.outputFiles[0].contents;
rows.push(["ESM bundle, minified (KiB)", (bytes.length / 1024).toFixed(1), "", "", "", ""]);
rows.push([
  "ESM bundle, minified + gzipped (KiB)",
  (gzipSync(bytes).length / 1024).toFixed(1),
  "",
  "",
  "",
  "",
]);
const importTimes = [];
for (let i = 0; i < 5; i++) {
  const { stdout } = await run(process.execPath, [
    "--input-type=module",
    "-e",
    `const t = performance.now(); await import(${JSON.stringify(join(root, "dist/index.mjs"))}); console.log(performance.now() - t);`,
  ]);
  importTimes.push(Number(stdout));
}
rows.push([
  "import time, median of 5 fresh processes (ms)",
  median(importTimes).toFixed(2),
  "",
  "",
  "",
  "",
]);

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const [i, row] of rows.entries()) {
  console.log(`| ${row.map((cell, j) => cell.padEnd(widths[j])).join(" | ")} |`);
  if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
}
console.log(`\n${rounds} interleaved rounds, median per cell; node ${process.version}.`);
