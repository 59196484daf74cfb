import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = process.cwd();

test("README's command table lists every top-level command the CLI has", () => {
  const cli = readFileSync(join(root, 'src', 'cli.ts'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands = [...cli.matchAll(/commands: \[([^\]]*)\]/g)].flatMap(([, list]) =>
    [...(list ?? '').matchAll(/'([a-z-]+)'/g)].map(([, name]) => name ?? ''),
  );
  assert.ok(commands.includes('serve') && commands.includes('consume'), `read the commands: ${commands.join(', ')}`);
  const missing = commands.filter((name) => !new RegExp(`^\\| \`convene ${name}\\b`, 'm').test(readme));
  assert.deepEqual(missing, [], 'commands missing from the README table');
});
