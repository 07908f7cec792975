// One benchmark measurement in a fresh process (clean memory): `node worker.mjs <scenario>
// <impl> <port> [n] [streams]`, printing one JSON line. `ours` is the built ESM bundle.
import { Everruns } from "../dist/index.mjs";

const [scenario, impl, port, nArg, streamsArg] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}/api`;
const n = Number(nArg ?? 100000);
const streams = Number(streamsArg ?? 1);
const sessionFor = (count) => `session_${count.toString(16).padStart(32, "0")}`;
const AGENT_ID = "agent_01933b5a000070008000a1b2c3d4e5f7";
const client = new Everruns({ apiKey: "evr_bench", baseUrl: base, maxRetries: 0 });

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

async function streamScenario() {
  const run = impl === "ours" ? oursStream : floorStream;
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: streams }, () => run(n)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const events = counts.reduce((a, b) => a + b, 0);
  return { events, eventsPerSecond: events / seconds, memoryGrowthMiB: (peak - rss0) / 2 ** 20 };
}

async function getScenario() {
  const once =
    impl === "ours"
      ? () => client.agents.get(AGENT_ID)
      : async () => {
          const response = await fetch(`${base}/v1/agents/${AGENT_ID}`, {
            headers: { Accept: "application/json", Authorization: "evr_bench" },
          });
          return response.json();
        };
  for (let i = 0; i < 100; i++) await once(); // warm up: connections, JIT
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)],
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

const result = scenario === "get" ? await getScenario() : await streamScenario();
console.log(JSON.stringify(result));
