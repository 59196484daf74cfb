import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateInstance, naiveScore } from '../core/scheduling/testSupport.js';

// The installed command, from the build the test runner brings up to date (not the sources through tsx,
// which transpiled all of src/ again in each command's process).
const cli = fileURLToPath(new URL('../../bin/convene.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'convene-unconference-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'unconference', 'solve', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('convene unconference solve', () => {
  it('writes the schedule file and prints score, bound, gap and unplaced sessions', async () => {
    const instance = generateInstance({ sessions: 9, slots: 2, rooms: 4, people: 20, seed: 'cli' });
    const input = join(dir, 'instance.json');
    const output = join(dir, 'schedule.json');
    writeFileSync(input, JSON.stringify(instance));
    const { code, stdout, stderr } = await run([
      '--in',
      input,
      '--out',
      output,
      '--iterations',
      '2000',
      '--threads',
      '1',
    ]);
    assert.equal(code, 0, stderr);
    const schedule = JSON.parse(readFileSync(output, 'utf8'));
    assert.deepEqual(Object.keys(schedule), ['assignments', 'unplaced', 'score', 'upperBound']);
    assert.equal(schedule.assignments.length + schedule.unplaced.length, 9);
    assert.ok(schedule.unplaced.length >= 1, 'nine sessions, eight rooms in all');
    assert.equal(schedule.score, naiveScore(instance, schedule.assignments));
    assert.match(stdout, new RegExp(`^score ${schedule.score}$`, 'm'));
    assert.match(stdout, new RegExp(`^upper bound ${schedule.upperBound}`, 'm'));
    assert.match(stdout, /^gap \d+\.\d\d%$/m);
    assert.match(stdout, new RegExp(`unplaced ${schedule.unplaced[0]}: `));
  });

  it('exits with 2 and names the field and position of a bad file', async () => {
    const instance = generateInstance({ sessions: 3, slots: 2, rooms: 2, people: 4, seed: 'cli-bad' }) as any;
    instance.sessions[2].allowedSlots = ['t01', 't07'];
    const input = join(dir, 'bad.json');
    writeFileSync(input, JSON.stringify(instance));
    const bad = await run(['--in', input, '--out', join(dir, 'never.json'), '--iterations', '10']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /sessions\[2\]\.allowedSlots\[1\]: unknown slot "t07"/);

    writeFileSync(input, '{"name": ');
    const broken = await run(['--in', input, '--out', join(dir, 'never.json')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not valid JSON/);

    const flag = await run(['--in', input, '--out', join(dir, 'never.json'), '--seconds', 'soon']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--seconds: must be a positive number/);
  });
});
