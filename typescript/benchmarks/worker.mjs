// One benchmark process: `node worker.mjs <scenario> <port> [args...]`, printing one JSON
// line. `ours` is the built ESM bundle; the floor is fetch + a minimal SSE split +
// JSON.parse (streams) or fetch + response.json() (GET).
//
// - `throughput <port> <events> <streams> <rounds>`: ours and the floor alternate in this
//   one process (warmed up first, the order flipped each round): events/s of each run.
// - `memory <impl> <port> <events> <streams>`: one run in a fresh process: peak RSS
//   growth (sampled every 10 ms) over the process's own baseline.
// - `get <port> <requests>`: ours, ours with `timeout: Infinity`, the floor and the floor
//   with a timeout signal alternate request by request on this one process's
//   connections: the median latency of each,
//   and the medians of ten blocks of consecutive requests (for the spread).
import { Everruns } from "../dist/index.mjs";

const [scenario, ...rest] = process.argv.slice(2);
const impl = scenario === "memory" ? rest.shift() : undefined;
const [port, ...numbers] = rest;
const [a, b, c] = numbers.map(Number);
const base = `http://127.0.0.1:${port}/api`;
const sessionFor = (count) => `session_${count.toString(16).padStart(32, "0")}`;
const AGENT_ID = "agent_01933b5a000070008000a1b2c3d4e5f7";
const client = new Everruns({ apiKey: "evr_bench", baseUrl: base, maxRetries: 0 });
const untimed = client.withOptions({ timeout: Number.POSITIVE_INFINITY });

/** The floor: fetch, a minimal SSE split on blank lines, JSON.parse of each data line. */
async function floorStream(count) {
  const response = await fetch(`${base}/v1/sessions/${sessionFor(count)}/sse`, {
    headers: { Accept: "text/event-stream", Authorization: "evr_bench" },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    let start = 0;
    while (end >= 0) {
      const frame = buffer.slice(start, end);
      const at = frame.indexOf("data: ");
      if (at >= 0 && !frame.startsWith("retry")) {
        const event = JSON.parse(frame.slice(at + 6));
        if (event.type) seen++;
      }
      start = end + 2;
      end = buffer.indexOf("\n\n", start);
    }
    buffer = buffer.slice(start);
    if (seen >= count) break;
  }
  await reader.cancel();
  return seen;
}

async function oursStream(count) {
  let seen = 0;
  for await (const event of client.events.stream(sessionFor(count))) {
    if (event.type) seen++;
    if (seen >= count) break;
  }
  return seen;
}

const streamImpls = { ours: oursStream, floor: floorStream };

/** `streams` concurrent streams of `count` events each: events, seconds, peak RSS growth. */
async function streamRun(run, count, streams) {
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: streams }, () => run(count)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const events = counts.reduce((x, y) => x + y, 0);
  if (events !== count * streams)
    throw new Error(`expected ${count * streams} events, got ${events}`);
  return { events, seconds, memoryGrowthMiB: (peak - rss0) / 2 ** 20 };
}

async function throughput(count, streams, rounds) {
  const result = { ours: [], floor: [] };
  for (const impl of ["ours", "floor"]) await streamRun(streamImpls[impl], 2000, 1); // warm up
  for (let round = 0; round < rounds; round++) {
    for (const impl of round % 2 ? ["floor", "ours"] : ["ours", "floor"]) {
      const { events, seconds } = await streamRun(streamImpls[impl], count, streams);
      result[impl].push(events / seconds);
    }
  }
  return result;
}

async function get(requests) {
  const once = {
    ours: () => client.agents.get(AGENT_ID),
    // Ours without a per-attempt timeout (and no caller signal): fetch gets no signal.
    oursNoTimeout: () => untimed.agents.get(AGENT_ID),
    floor: async () => {
      const response = await fetch(`${base}/v1/agents/${AGENT_ID}`, {
        headers: { Accept: "application/json", Authorization: "evr_bench" },
      });
      return response.json();
    },
    // The floor plus what every attempt of ours must have: a timeout that aborts it.
    floorTimeout: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const response = await fetch(`${base}/v1/agents/${AGENT_ID}`, {
          headers: { Accept: "application/json", Authorization: "evr_bench" },
          signal: controller.signal,
        });
        return await response.json();
      } finally {
        clearTimeout(timer);
      }
    },
  };
  const impls = Object.keys(once);
  for (let i = 0; i < 200; i++) for (const impl of impls) await once[impl](); // warm up
  const times = Object.fromEntries(impls.map((impl) => [impl, []]));
  for (let i = 0; i < requests; i++) {
    for (const impl of i % 2 ? [...impls].reverse() : impls) {
      const t = performance.now();
      await once[impl]();
      times[impl].push(performance.now() - t);
    }
  }
  const median = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
  const blocks = (v) =>
    Array.from({ length: 10 }, (_, i) =>
      median(v.slice((i * v.length) / 10, ((i + 1) * v.length) / 10)),
    );
  return {
    ...Object.fromEntries(impls.map((impl) => [impl, median(times[impl])])),
    blocks: Object.fromEntries(impls.map((impl) => [impl, blocks(times[impl])])),
  };
}

let result;
if (scenario === "throughput") result = await throughput(a, b, c);
else if (scenario === "memory") result = await streamRun(streamImpls[impl], a, b);
else if (scenario === "get") result = await get(a);
else throw new Error(`unknown scenario ${scenario}`);
console.log(JSON.stringify(result));
