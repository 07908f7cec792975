// `make bench`: this SDK against a floor of fetch + a minimal SSE split + JSON.parse (and
// fetch + response.json() for a GET), on loopback against the Python benchmark server
// (the same payloads as the Python SDK's benchmark). Ours and the floor run side by side
// in one process, interleaved (the order flipped every round), median per cell; memory
// growth is measured in fresh processes (one run each, alternating). Then our SSE decoder
// against eventsource-parser, the size of the minified, gzipped ESM bundle of the core
// client and its import time. Prints one table.
//
// BENCH_ROUNDS (default 5) sets the rounds of each throughput and memory row.
import { execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { compareParsers } from "./parsers.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const progress = (text) => process.stderr.write(`${text}\n`);

const server = spawn(
  join(root, "../python/.venv/bin/python"),
  ["-m", "benchmarks._server", "--max-events", "100000"],
  { cwd: join(root, "../python"), stdio: ["pipe", "pipe", "inherit"] },
);
const { port } = await new Promise((resolve) =>
  server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))),
);

async function worker(...args) {
  const { stdout } = await run(process.execPath, [join(here, "worker.mjs"), ...args.map(String)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout);
}

const rows = [];
/** `min-max` of the ratios of the pairs (ours / floor, one pair per round or block). */
const spreadOf = (ours, floor) => {
  const ratios = ours.map((value, i) => value / floor[i]);
  return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
};
const row = (label, ours, floor, digits, target, ok, spread = "") => {
  const ratio = ours / floor;
  rows.push([
    label,
    ours.toFixed(digits),
    floor.toFixed(digits),
    `${ratio.toFixed(3)}x`,
    spread,
    target,
    ok === undefined ? "" : ok(ratio) ? "ok" : "MISSED",
  ]);
};

try {
  progress("one stream ...");
  const one = await worker("throughput", port, 100000, 1, rounds);
  row(
    "one stream, 100,000 events (events/s)",
    median(one.ours),
    median(one.floor),
    0,
    ">= 0.95x",
    (r) => r >= 0.95,
    spreadOf(one.ours, one.floor),
  );
  progress("200 concurrent streams ...");
  const many = await worker("throughput", port, 1000, 200, rounds);
  row(
    "200 concurrent streams x 1,000 events (events/s)",
    median(many.ours),
    median(many.floor),
    0,
    ">= 0.9x",
    (r) => r >= 0.9,
    spreadOf(many.ours, many.floor),
  );
  progress("memory ...");
  const memory = { ours: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    for (const impl of round % 2 ? ["floor", "ours"] : ["ours", "floor"]) {
      memory[impl].push((await worker("memory", impl, port, 1000, 200)).memoryGrowthMiB);
    }
  }
  row(
    "200 concurrent streams: peak RSS growth (MiB)",
    median(memory.ours),
    median(memory.floor),
    1,
    "<= 1.2x",
    (r) => r <= 1.2,
    spreadOf(memory.ours, memory.floor),
  );
  progress("GET ...");
  const get = await worker("get", port, 2000);
  row(
    "GET /v1/agents/{id}, median of 2,000 (ms)",
    get.ours,
    get.floor,
    3,
    "<= 1.05x",
    (r) => r <= 1.05,
    spreadOf(get.blocks.ours, get.blocks.floor),
  );
  row(
    "GET, same run: ours with timeout: Infinity (fetch given no signal) vs the floor (ms)",
    get.oursNoTimeout,
    get.floor,
    3,
    "(no target)",
    undefined,
    spreadOf(get.blocks.oursNoTimeout, get.blocks.floor),
  );
  row(
    "GET, same run: ours vs fetch + a timeout AbortSignal (ms)",
    get.ours,
    get.floorTimeout,
    3,
    "(no target)",
    undefined,
    spreadOf(get.blocks.ours, get.blocks.floorTimeout),
  );
  row(
    "GET, same run: fetch + a timeout AbortSignal vs the floor (ms)",
    get.floorTimeout,
    get.floor,
    3,
    "(no target)",
    undefined,
    spreadOf(get.blocks.floorTimeout, get.blocks.floor),
  );
} finally {
  server.stdin.end();
  server.kill();
}

progress("SSE parsers ...");
const parsers = await compareParsers();
rows.push([
  "SSE decoding only, 100,000 events (ms; floor: eventsource-parser)",
  parsers.ours.toFixed(0),
  parsers.theirs.toFixed(0),
  `${(parsers.ours / parsers.theirs).toFixed(3)}x`,
  "",
  "(decides)",
  "",
]);

const bundle = await build({
  entryPoints: [join(root, "dist/index.mjs")],
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
  platform: "neutral",
});
const bytes = bundle.outputFiles[0].contents;
rows.push(["ESM bundle, minified (KiB)", (bytes.length / 1024).toFixed(1), "", "", "", "", ""]);
rows.push([
  "ESM bundle, minified + gzipped (KiB)",
  (gzipSync(bytes).length / 1024).toFixed(1),
  "",
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
  median(importTimes).toFixed(1),
  "",
  "",
  "",
  "",
  "",
]);

const header = ["scenario", "ours", "floor", "ratio", "spread", "target", ""];
const table = [header, ...rows];
const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const [i, cells] of table.entries()) {
  console.log(`| ${cells.map((cell, j) => cell.padEnd(widths[j])).join(" | ")} |`);
  if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
}
console.log(
  `\n${rounds} interleaved rounds per row, median per cell, ratio = ours / floor; spread = the lowest and highest ratio of one round's pair (GET: of ten blocks of 200 requests); node ${process.version}.`,
);
