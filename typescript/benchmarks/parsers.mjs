// Decoder only, in process: our SSE decoder vs eventsource-parser on the Python
// benchmark's 100,000 pre-rendered events in 64 KiB chunks (bytes -> text -> events),
// interleaved rounds. This is what decided to keep our own parser (no runtime dependency).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createParser } from "eventsource-parser";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, ".bench"), { recursive: true });
const out = join(root, ".bench/sse.mjs");
await build({
  entryPoints: [join(root, "src/streaming/sse.ts")],
  bundle: true,
  format: "esm",
  outfile: out,
  logLevel: "warning",
});
const { SSEDecoder } = await import(pathToFileURL(out).href);

const payload = execFileSync(
  join(root, "../python/.venv/bin/python"),
  [
    "-c",
    "import sys; from benchmarks import _payloads; b, _ = _payloads.render_events(100000); sys.stdout.buffer.write(b)",
  ],
  { cwd: join(root, "../python"), maxBuffer: 1 << 30 },
);
const chunks = [];
for (let i = 0; i < payload.length; i += 65536)
  chunks.push(new Uint8Array(payload.subarray(i, i + 65536)));

function ours() {
  const decoder = new SSEDecoder();
  let n = 0;
  for (const chunk of chunks) n += decoder.feed(chunk).length;
  return n;
}

function theirs() {
  let n = 0;
  const parser = createParser({ onEvent: () => n++ });
  const text = new TextDecoder();
  for (const chunk of chunks) parser.feed(text.decode(chunk, { stream: true }));
  return n;
}

const times = { ours: [], "eventsource-parser": [] };
for (let round = 0; round < 5; round++) {
  for (const [name, fn] of round % 2
    ? [
        ["eventsource-parser", theirs],
        ["ours", ours],
      ]
    : [
        ["ours", ours],
        ["eventsource-parser", theirs],
      ]) {
    const started = performance.now();
    const count = fn();
    times[name].push(performance.now() - started);
    if (count !== 100000) throw new Error(`${name} decoded ${count} events`);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const a = median(times.ours);
const b = median(times["eventsource-parser"]);
console.log(
  `| SSE decoding only, 100,000 events (ms) | ours ${a.toFixed(0)} | eventsource-parser ${b.toFixed(0)} | ours takes ${(a / b).toFixed(2)}x the time |`,
);
