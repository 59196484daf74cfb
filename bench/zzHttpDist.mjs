import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const src = process.env.SRC === '1';
const base = src ? '../src/' : '../dist/';
const ext = src ? '.ts' : '.js';
const { buildServer } = await import(`${base}server${src ? '.js' : ext}`);
const { openContext } = await import(`${base}app${src ? '.js' : ext}`);
const { loadConfig } = await import(`${base}config${src ? '.js' : ext}`);
const name = `zzhttp${process.pid}`;
const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
let c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`CREATE DATABASE ${name}`);
await c.end();
const config = loadConfig({
  env: { LOG_LEVEL: 'silent' },
  cwd: '/nonexistent',
  overrides: {
    databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`,
    'intra42.webhooks': 'scale_team.create:bench-create-secret',
    'notifications.email.smtpUrl': 'smtp://127.0.0.1:9',
  },
});
const ctx = await openContext(config, { longRunning: true });
const app = await buildServer(ctx, { logger: false });
await app.ready();
const origin = await app.listen({ host: '127.0.0.1', port: 0 });
const run = async (n, first) => {
  const c0 = process.cpuUsage();
  const { stdout } = await promisify(execFile)('npx', [
    'tsx',
    'bench/webhookClient.ts',
    origin,
    String(n),
    '32',
    String(first),
  ]);
  const d = process.cpuUsage(c0);
  console.log(
    src ? 'tsx ' : 'dist',
    stdout.trim().split('\n').at(-1),
    'server cpu ms/event',
    ((d.user + d.system) / 1000 / n).toFixed(3),
  );
};
await run(1000, 1_000_000);
await run(Number(process.env.N ?? 3000), 2_000_000);
await app.close();
await ctx.database.close();
c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
await c.end();
