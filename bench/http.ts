/**
 * HTTP benchmark, all in one run: a raw node:http hello-world (the baseline), the cached public
 * proposal list, and vote toggles by many signed-in people (SQLite). Servers run in child processes
 * so the load generator (autocannon, here) does not share their event loop.
 * Run with `npm run bench:http`. Prints one table and writes bench/results/http.json.
 * BENCH_SECONDS (default 10) sets the length of each measured run; each scenario has a 2 s warm-up first.
 * The baseline and the list scenarios run in ROUNDS interleaved rounds; their rows give the median
 * req/s, the median of the per-round ratios to the baseline, and the worst p99.
 * BENCH_PROFILE_DIR=dir writes a CPU profile of the Convene server there (open it in Chrome DevTools).
 * With two or more CPUs and `taskset` (util-linux), the load generator runs on CPU 0 and every server
 * on the others, so neither the baseline nor Convene competes with autocannon for a core; the
 * placement is printed with the results.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createSession } from '../src/features/auth/sessions.js';
import { createTalksEvent, setTalksPhase } from '../src/features/talks/events.js';
import { createProposal } from '../src/features/talks/proposals.js';
import { createEventBody } from '../src/features/talks/schemas.js';
import { newId } from '../src/lib/ids.js';
import { insertBenchPeople } from './people.js';

/** The parts of autocannon's API used here (it ships no type declarations). */
interface LoadOptions {
  url: string;
  connections?: number;
  duration?: number;
  headers?: Record<string, string>;
  requests?: Array<{ method?: string; setupRequest?: (request: any) => any }>;
}
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  statusCodeStats?: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: LoadOptions) => Promise<LoadResult>;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 100;
const VOTERS = 2000;
const PROPOSALS = 30;
const CSRF = 'bench-csrf-token';
/**
 * The baseline and the list scenarios are measured in turn, ROUNDS times, so that a change in the
 * machine's load during the run (it may be shared) weighs on all of them alike.
 */
const ROUNDS = 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** One row from the rounds of a scenario: median req/s and ratio, worst p99, summed counts. */
function combine(rounds: Measured[], baselines: Measured[]): Measured {
  const statusCodes: Record<string, number> = {};
  for (const round of rounds)
    for (const [code, count] of Object.entries(round.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    scenario: rounds[0]!.scenario,
    requestsPerSecond: Math.round(median(rounds.map((r) => r.requestsPerSecond))),
    latencyP50Ms: median(rounds.map((r) => r.latencyP50Ms)),
    latencyP99Ms: Math.max(...rounds.map((r) => r.latencyP99Ms)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    statusCodes,
    rounds: rounds.map((r, i) => ({
      requestsPerSecond: r.requestsPerSecond,
      vsBaseline: r.requestsPerSecond / baselines[i]!.requestsPerSecond,
    })),
  };
}

interface Measured {
  scenario: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Interleaved scenarios: req/s of each round, and the ratio to the baseline measured beside it. */
  rounds?: Array<{ requestsPerSecond: number; vsBaseline: number }>;
}

/**
 * Keeps the load generator (this process) on CPU 0 and the servers on the other CPUs, when the
 * machine has them and `taskset` is there; returns how the CPUs were shared, for the report.
 */
function placeProcesses(): { serverPrefix: string[]; placement: string } {
  const count = cpus().length;
  if (count < 2 || process.platform !== 'linux')
    return { serverPrefix: [], placement: 'not pinned (one CPU, or not Linux)' };
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { serverPrefix: [], placement: 'not pinned (taskset is missing)' };
  }
  const servers = count === 2 ? '1' : `1-${count - 1}`;
  return { serverPrefix: ['taskset', '-c', servers], placement: `load generator on CPU 0, servers on CPU ${servers}` };
}

/** Starts a child process and resolves with the URL it prints on its first line matching `ready`. */
function startChild(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  prefix: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const [command, ...rest] = [...prefix, process.execPath, ...args];
  const child = spawn(command!, rest, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(options: LoadOptions): Promise<LoadResult> {
  return autocannon({ connections: CONNECTIONS, ...options });
}

async function measure(scenario: string, options: LoadOptions, warmUp = true): Promise<Measured> {
  if (warmUp) await load({ ...options, duration: 2 });
  const result = await load({ ...options, duration: SECONDS });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = Number((stat as { count: number }).count);
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}

async function prepareDatabase(url: string) {
  const { db, close } = openDatabase(url);
  await migrateToLatest(db);
  const people = Array.from({ length: VOTERS }, (_, i) => ({
    id: newId(),
    username: `voter${i}`,
    email: null,
    name: `Voter ${i}`,
  }));
  const tokens: string[] = [];
  await db.transaction().execute(async (trx) => {
    await insertBenchPeople(trx, people);
    for (const person of people) tokens.push((await createSession(trx, { personId: person.id, days: 1 })).token);
  });
  const speaker = { id: people[0]!.id, role: 'member' as const };
  const event = await createTalksEvent({
    db,
    actorId: null,
    // Voters toggle any proposal, their own included: the event allows it, so no toggle is refused.
    input: createEventBody.parse({
      name: 'Bench talks',
      description: 'Proposals for the **benchmark**.',
      allowSelfVote: true,
    }),
  });
  const proposalIds: string[] = [];
  for (let i = 0; i < PROPOSALS; i++) {
    const proposal = await createProposal({
      db,
      actor: { ...speaker, id: people[i % people.length]!.id },
      eventId: event.id,
      input: {
        title: `Benchmark talk number ${i}`,
        description: `A talk about *benchmarks*, number ${i}.\n\n- measured\n- compared\n- reported`,
      },
    });
    proposalIds.push(proposal.id);
  }
  await setTalksPhase({ db, actorId: null, eventId: event.id, phase: 'voting' });
  await close();
  return { eventId: event.id, proposalIds, tokens };
}

async function checkCounts(url: string) {
  const { db, close } = openDatabase(url);
  const rows = await db
    .selectFrom('votes')
    .select(['proposal_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('proposal_id')
    .execute();
  const counters = await db.selectFrom('proposals').select(['id', 'vote_count']).execute();
  await close();
  const byProposal = new Map(rows.map((row) => [row.proposal_id, Number(row.n)]));
  const mismatched = counters.filter((p) => p.vote_count !== (byProposal.get(p.id) ?? 0));
  return {
    voteRows: rows.reduce((sum, row) => sum + Number(row.n), 0),
    voteCountSum: counters.reduce((sum, p) => sum + p.vote_count, 0),
    proposalsChecked: counters.length,
    proposalsMismatched: mismatched.length,
  };
}

function table(rows: Array<Record<string, string>>): string {
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => r[c]!))),
  ].join('\n');
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'convene-bench-'));
  const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  const children: ChildProcess[] = [];
  try {
    process.stdout.write(`Preparing ${VOTERS} voters with sessions and ${PROPOSALS} proposals…\n`);
    const fixture = await prepareDatabase(databaseUrl);
    const { serverPrefix, placement } = placeProcesses();

    const baseline = await startChild(
      [
        '-e',
        "const s=require('node:http').createServer((q,r)=>{r.setHeader('content-type','text/plain');r.end('hello world')});" +
          "s.listen(0,'127.0.0.1',()=>console.log('ready at http://127.0.0.1:'+s.address().port))",
      ],
      {},
      /ready at (http:\/\/\S+)/,
      serverPrefix,
    );
    children.push(baseline.child);
    const convene = await startChild(
      [
        ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
        '--import',
        'tsx',
        'src/cli.ts',
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-jobs',
      ],
      {
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'silent',
        CONVENE_ADMIN_PASSWORD: 'bench-admin-password-1',
        NODE_ENV: 'production',
      },
      /ready at (http:\/\/\S+)/,
      serverPrefix,
    );
    children.push(convene.child);
    const conveneUrl = convene.url.replace('localhost', '127.0.0.1');

    // The machine may be shared: its load is reported with the results, which are only comparable within a run.
    const loadBefore = loadavg()[0]!;
    process.stdout.write(
      `Measuring: ${SECONDS} s per scenario and round, ${ROUNDS} interleaved rounds, ${CONNECTIONS} connections…\n`,
    );
    // What a signed-out visitor's event page loads: the cookie-free public list.
    const feedUrl = `${conveneUrl}/public/talks/events/${fixture.eventId}/proposals`;
    // The same cached bytes through the API, where every cookie-less request is handed a CSRF cookie.
    const apiUrl = `${conveneUrl}/api/v1/talks/events/${fixture.eventId}/proposals`;
    for (const url of [feedUrl, apiUrl]) {
      const check = await fetch(url);
      if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
    }
    const interleaved: Array<[string, LoadOptions]> = [
      ['node:http hello world (baseline)', { url: baseline.url }],
      ['public list, cookie-free feed (signed-out page)', { url: feedUrl }],
      ['public list via /api/v1, signed out', { url: apiUrl }],
      // What a browser actually sends: the precompressed bytes (for comparison; the target is on the plain feed).
      [
        'public list, cookie-free, Accept-Encoding: gzip, deflate, br',
        { url: feedUrl, headers: { 'accept-encoding': 'gzip, deflate, br' } },
      ],
    ];
    const byScenario: Measured[][] = interleaved.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [scenario, options]] of interleaved.entries())
        byScenario[i]!.push(await measure(scenario, options, round === 0));
    }
    await stopChild(baseline.child);
    const results: Measured[] = byScenario.map((rounds) => combine(rounds, byScenario[0]!));

    let next = 0;
    const toggle = {
      method: 'POST' as const,
      setupRequest: (request: any) => {
        const n = next++;
        const token = fixture.tokens[n % fixture.tokens.length];
        const proposal =
          fixture.proposalIds[(n * 7919 + Math.floor(n / fixture.tokens.length)) % fixture.proposalIds.length];
        request.path = `/api/v1/talks/proposals/${proposal}/vote`;
        request.headers = {
          ...request.headers,
          cookie: `convene_session=${token}; convene_csrf=${CSRF}`,
          'x-csrf-token': CSRF,
        };
        return request;
      },
    };
    results.push(await measure(`vote toggles, ${VOTERS} people (SQLite)`, { url: conveneUrl, requests: [toggle] }));
    await stopChild(convene.child);
    const counts = await checkCounts(databaseUrl);

    const base = results[0]!.requestsPerSecond;
    // Each round's ratio is taken against the baseline measured in that round, just before it.
    const ratio = (r: Measured) =>
      r.rounds ? median(r.rounds.map((round) => round.vsBaseline)) : r.requestsPerSecond / base;
    const [, list, viaApi, compressed, votes] = results as [Measured, Measured, Measured, Measured, Measured];
    const targets = [
      { scenario: results[0]!.scenario, target: '—', met: '—' },
      {
        scenario: list.scenario,
        target: '≥ 0.5× baseline',
        met: ratio(list) >= 0.5 && list.non2xx === 0 ? 'yes' : 'NO',
      },
      { scenario: viaApi.scenario, target: '(for comparison)', met: '—' },
      { scenario: compressed.scenario, target: '(for comparison)', met: '—' },
      {
        scenario: votes.scenario,
        target: '≥ 3000/s, p99 ≤ 50 ms',
        met: votes.requestsPerSecond >= 3000 && votes.latencyP99Ms <= 50 && votes.non2xx === 0 ? 'yes' : 'NO',
      },
    ];
    const rows = results.map((r, i) => ({
      scenario: r.scenario,
      'req/s': r.requestsPerSecond.toLocaleString('en-US'),
      'req/s per round': r.rounds
        ? r.rounds.map((round) => round.requestsPerSecond.toLocaleString('en-US')).join(' / ')
        : '—',
      'vs baseline': `${ratio(r).toFixed(2)}×`,
      'p50 ms': String(r.latencyP50Ms),
      'p99 ms': String(r.latencyP99Ms),
      'non-2xx': String(r.non2xx),
      errors: String(r.errors),
      target: targets[i]!.target,
      met: targets[i]!.met,
    }));
    process.stdout.write(`\n${table(rows)}\n\n`);
    const exact = counts.proposalsMismatched === 0 && counts.voteRows === counts.voteCountSum;
    process.stdout.write(
      `After the run: ${counts.voteRows} vote rows, vote counts sum to ${counts.voteCountSum}; ` +
        `${counts.proposalsMismatched} of ${counts.proposalsChecked} proposals mismatched → ${exact ? 'exact' : 'NOT EXACT'}.\n`,
    );
    const loadAfter = loadavg()[0]!;
    process.stdout.write(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ` +
        `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; ${placement}.\n`,
    );

    const out = join(root, 'bench', 'results', 'http.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverage: { before: loadBefore, after: loadAfter },
          placement,
          connections: CONNECTIONS,
          secondsPerScenario: SECONDS,
          voters: VOTERS,
          proposals: PROPOSALS,
          rounds: ROUNDS,
          results: results.map((r, i) => ({ ...r, vsBaseline: ratio(r), ...targets[i] })),
          counts: { ...counts, exact },
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`Wrote ${out}\n`);
  } finally {
    for (const child of children) await stopChild(child).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
