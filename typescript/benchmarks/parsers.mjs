// Decoder only, in process: our SSE decoder vs eventsource-parser on the Python
// benchmark's 100,000 pre-rendered events in 64 KiB chunks (bytes -> text -> events),
// interleaved rounds, median. `make bench` shows it as one row of its table; run alone,
// `node benchmarks/parsers.mjs` prints that row.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { createParser } from "eventsource-parser";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Median milliseconds to decode the events: `{ ours, theirs }`. */
export async function compareParsers(rounds = 7) {
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

  const ours = () => {
    const decoder = new SSEDecoder();
    let n = 0;
    for (const chunk of chunks) n += decoder.feed(chunk).length;
    return n;
  };
  const theirs = () => {
    let n = 0;
    const parser = createParser({ onEvent: () => n++ });
    const text = new TextDecoder();
    for (const chunk of chunks) parser.feed(text.decode(chunk, { stream: true }));
    return n;
  };
  const times = { ours: [], theirs: [] };
  const fns = { ours, theirs };
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? ["theirs", "ours"] : ["ours", "theirs"]) {
      const started = performance.now();
      const count = fns[name]();
      times[name].push(performance.now() - started);
      if (count !== 100000) throw new Error(`${name} decoded ${count} events`);
    }
  }
  return { ours: median(times.ours), theirs: median(times.theirs) };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { ours, theirs } = await compareParsers();
  console.log(
    `| SSE decoding only, 100,000 events (ms) | ours ${ours.toFixed(0)} | eventsource-parser ${theirs.toFixed(0)} | ${(ours / theirs).toFixed(2)}x the time |`,
  );
}
