#!/usr/bin/env node
// Runs the compiled CLI; `npm install` builds it (the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'Convene is not built yet. Run `npm run build` (npm install does it for you), then try again.\n',
  );
  process.exit(1);
}
await import(entry.href);
