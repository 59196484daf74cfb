/**
 * The webhook bench's sender over real HTTP, in a process of its own (spawned by bench/ingest.ts):
 * `CONCURRENCY` keep-alive connections each posting one scale_team create after another, like a
 * sender with a pool of connections. Prints {"eventsPerSecond", "cpuShare"} (this process's CPU
 * over the wall time: what it took from the machine the server runs on).
 *
 * Arguments: the server's origin, the number of events, the concurrency, the first scale team id,
 * and how many events to send first, untimed (ids after the timed ones): a server process started
 * for the run is warmed up like one that has been running.
 */
import http from 'node:http';
import { BENCH_SECRET, scaleTeamCreate, threeHoursAhead } from './scaleTeams.js';

const [origin, events, concurrency, first, warmUp = '0'] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const url = new URL('/webhooks/42', origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const later = threeHoursAhead();

function post(id: number): Promise<void> {
  const body = scaleTeamCreate(id, later);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-model': 'scale_team',
          'x-event': 'create',
          'x-secret': BENCH_SECRET,
          'x-delivery': `h-${id}`,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new Error(`webhook answered ${response.statusCode}: ${text}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Sends `count` events from scale team id `from`, `concurrency` at a time. */
async function send(from: number, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      for (let i = next++; i < count; i = next++) await post(from + i);
    }),
  );
}

const total = Number(events);
await send(Number(first) + total, Number(warmUp));
const cpu = process.cpuUsage();
const started = performance.now();
await send(Number(first), total);
const wall = performance.now() - started;
const used = process.cpuUsage(cpu);
agent.destroy();
console.log(
  JSON.stringify({
    eventsPerSecond: Math.round((total / wall) * 1000),
    cpuShare: Number(((used.user + used.system) / 1000 / wall).toFixed(2)),
  }),
);
