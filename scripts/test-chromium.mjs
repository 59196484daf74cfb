// The one Chromium the browser test files share. Launching Chromium costs about a second and a half
// of CPU; the runner (run-tests.mjs) starts this once per run instead of once per browser file, and
// each file connects to it and works in browser contexts of its own (a connection's contexts are
// closed when it disconnects, so files still share no cookies, storage or pages).
//
// `node scripts/test-chromium.mjs` prints the endpoint to connect to on its first line of output and
// keeps Chromium running until its standard input closes (the runner ending, for whatever reason)
// or it gets SIGTERM; then it closes Chromium and exits, so that its CPU time includes Chromium's.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, with the flags this machine's closed network needs. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the shared Chromium listens, for the browser files: set by the runner when it started one. */
export const SHARED_CHROMIUM_ENV = 'CONVENE_TEST_CHROMIUM_WS';

export function assertChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium`);
}

async function serve() {
  assertChromium();
  const { chromium } = await import('playwright-core');
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  process.stdout.write(`${server.wsEndpoint()}\n`);
  let closing;
  const close = () => {
    closing ??= server.close().then(() => process.exit(0));
    return closing;
  };
  process.stdin.on('end', close);
  process.stdin.on('error', close);
  process.stdin.resume();
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve();
