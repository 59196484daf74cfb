/**
 * Pairing benchmark: quality against two baselines, and speed/memory at scale.
 * Run with `npm run bench:pairing`. Prints one table and writes bench/results/pairing.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type PairingMember, type PastMeeting, pairRound } from '../src/core/pairing/index.js';
import { makeRoster, type QualityResult, simulate } from './scenarios.js';
import { convene, greedy, type Strategy, shuffle } from './strategies.js';
import { simulateTeams, type TeamQuality, teamScenarios } from './teamQuality.js';

interface SpeedResult {
  scenario: string;
  people: number;
  historyRounds: number;
  rounds: number;
  msPerRoundMean: number;
  msPerRoundMax: number;
  repeatPairs: number;
  peakRssMb: number;
  heapUsedMb: number;
}

interface Row {
  scenario: string;
  people: number;
  rounds: number;
  convene: string;
  greedy: string;
  shuffle: string;
  sameTeam: string;
  msPerRound: string;
  peakRss: string;
  target: string;
  met: string;
}

const MB = 1024 * 1024;
const percent = (x: number): string => `${x.toFixed(x === 0 ? 0 : x < 0.1 ? 3 : 2)}%`;

function randomHistory(members: PairingMember[], rounds: number): PastMeeting[] {
  const rng = createRng(`history-${members.length}`);
  const history: PastMeeting[] = [];
  for (let r = 0; r < rounds; r++) {
    const ids = rng.shuffle(members.map((m) => m.id));
    for (let i = 0; i + 1 < ids.length; i += 2) history.push({ participants: [ids[i]!, ids[i + 1]!], at: r });
  }
  return history;
}

function measureSpeed(people: number, historyRounds: number, rounds: number): SpeedResult {
  const members = makeRoster(people);
  const history = randomHistory(members, historyRounds);
  const times: number[] = [];
  let repeatPairs = 0;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const result = pairRound({ members, history, seed: `speed-${people}-${r}` });
    times.push(performance.now() - started);
    repeatPairs += result.stats.repeatPairs;
  }
  return {
    scenario: `speed-${people}${historyRounds > 5 ? `-history${historyRounds}` : ''}`,
    people,
    historyRounds,
    rounds,
    msPerRoundMean: times.reduce((a, b) => a + b, 0) / times.length,
    msPerRoundMax: Math.max(...times),
    repeatPairs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / MB,
  };
}

/** Same-team and manager–report pairs per scenario: Convene against the best possible and the baselines. */
function teamTable(): TeamQuality[] {
  const results: TeamQuality[] = [];
  const rows: string[][] = [
    [
      'scenario',
      'n',
      'rounds',
      'repeats',
      'clash pairs c/g/s',
      'best/round',
      'early clashes',
      'first clash (latest possible)',
      'ms/round',
      'met',
    ],
  ];
  for (const scenario of teamScenarios()) {
    const [ours, greedyResult, shuffleResult] = [convene, greedy, shuffle].map((s) => simulateTeams(scenario, s)) as [
      TeamQuality,
      TeamQuality,
      TeamQuality,
    ];
    results.push(ours, greedyResult, shuffleResult);
    // Target, per round: no more clashes than the best possible. On stable rosters also no repeat
    // over the n − 1 rounds and the first clash as late as possible.
    const ok =
      ours.clashPairs <= ours.bestClashPairs ||
      (ours.latestFirstClash !== null &&
        ours.repeatPairs === 0 &&
        (ours.firstClashRound === -1 || ours.firstClashRound >= ours.latestFirstClash));
    const rate = (q: TeamQuality): string => `${((100 * q.clashPairs) / Math.max(1, q.pairs)).toFixed(1)}%`;
    rows.push([
      scenario.name,
      String(scenario.rosterAt(0).length),
      String(scenario.rounds),
      String(ours.repeatPairs),
      `${ours.clashPairs} (${rate(ours)}) / ${greedyResult.clashPairs} / ${shuffleResult.clashPairs}`,
      String(ours.bestClashPairs),
      String(ours.earlyClashPairs),
      `${ours.firstClashRound === -1 ? '-' : ours.firstClashRound} (${ours.latestFirstClash ?? '-'})`,
      ours.msPerRound.toFixed(1),
      ok ? 'yes' : 'NO',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('\nTeammates and manager–report pairs ("clash pairs"), stable rosters over n−1 rounds:');
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  return results;
}

function main(): void {
  const started = performance.now();
  if (process.argv.includes('--teams')) {
    teamTable();
    return;
  }
  // Speed first, in a fresh process, so peak RSS reflects the big rounds and not the simulations.
  // The last case: a group of 10,000 with two years of weekly rounds (1M past meetings) in the input.
  const speed = [measureSpeed(1_000, 5, 5), measureSpeed(10_000, 5, 3), measureSpeed(10_000, 100, 2)];

  const scenarios: { name: string; people: number; rounds: number; absent: number; target: number }[] = [
    { name: 'stable-20', people: 20, rounds: 19, absent: 0, target: 0 },
    { name: 'stable-100', people: 100, rounds: 99, absent: 0, target: 0 },
    { name: 'stable-500', people: 500, rounds: 499, absent: 0, target: 0 },
    { name: 'absent20%-50', people: 50, rounds: 50, absent: 0.2, target: 0.1 },
    { name: 'absent20%-200', people: 200, rounds: 50, absent: 0.2, target: 0.1 },
  ];
  const strategies: Strategy[] = [convene, greedy, shuffle];
  const quality: QualityResult[] = [];
  const rows: Row[] = [];
  for (const s of scenarios) {
    const roster = makeRoster(s.people);
    const results = strategies.map((strategy) => simulate(s.name, strategy, roster, s.rounds, s.absent));
    quality.push(...results);
    const [ours, greedyResult, shuffleResult] = results as [QualityResult, QualityResult, QualityResult];
    const ok = ours.droppedMembers === 0 && (s.target === 0 ? ours.repeatPairs === 0 : ours.repeatPercent <= s.target);
    rows.push({
      scenario: s.name,
      people: s.people,
      rounds: s.rounds,
      convene: percent(ours.repeatPercent),
      greedy: percent(greedyResult.repeatPercent),
      shuffle: percent(shuffleResult.repeatPercent),
      sameTeam: `${percent(ours.sameTeamPercent)} / ${percent(greedyResult.sameTeamPercent)} / ${percent(shuffleResult.sameTeamPercent)}`,
      msPerRound: ours.msPerRound.toFixed(1),
      peakRss: '',
      target: s.target === 0 ? 'repeats = 0' : `repeats ≤ ${s.target}%`,
      met: ok ? 'yes' : 'NO',
    });
  }
  for (const r of speed) {
    const budget = r.people <= 1_000 ? 1_000 : 10_000;
    rows.push({
      scenario: r.scenario,
      people: r.people,
      rounds: r.rounds,
      convene: percent((100 * r.repeatPairs) / ((r.people / 2) * r.rounds)),
      greedy: '-',
      shuffle: '-',
      sameTeam: '-',
      msPerRound: `${r.msPerRoundMean.toFixed(0)} (max ${r.msPerRoundMax.toFixed(0)})`,
      peakRss: `${r.peakRssMb.toFixed(0)} MB`,
      target: `≤ ${budget / 1000} s, < 1 GB`,
      met: r.msPerRoundMax <= budget && r.peakRssMb < 1024 ? 'yes' : 'NO',
    });
  }

  const header: Row = {
    scenario: 'scenario',
    people: 0,
    rounds: 0,
    convene: 'repeat% convene',
    greedy: 'greedy',
    shuffle: 'shuffle',
    sameTeam: 'same-team% c/g/s',
    msPerRound: 'convene ms/round',
    peakRss: 'peak RSS',
    target: 'target',
    met: 'met',
  };
  const columns: (keyof Row)[] = [
    'scenario',
    'people',
    'rounds',
    'convene',
    'greedy',
    'shuffle',
    'sameTeam',
    'msPerRound',
    'peakRss',
    'target',
    'met',
  ];
  const cell = (row: Row, key: keyof Row): string => {
    if (row === header && (key === 'people' || key === 'rounds')) return key === 'people' ? 'n' : 'rounds';
    return String(row[key]);
  };
  const widths = columns.map((key) => Math.max(...[header, ...rows].map((row) => cell(row, key).length)));
  const line = (row: Row): string => `| ${columns.map((key, i) => cell(row, key).padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  const teams = teamTable();

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'pairing.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        node: process.version,
        note: 'Repeat = a pair whose members met in an earlier round of the run; a trio counts as 3 pairs. Rosters are in teams of 8 with the first of each team managing the rest.',
        totalSeconds: (performance.now() - started) / 1000,
        quality,
        teams,
        speed,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main();
