import { openContext } from '../app.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../http/context.js';

/** Opens the configured database for one CLI command and always closes it afterwards. */
export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(loadConfig());
  try {
    return await work(ctx);
  } finally {
    await ctx.database.close();
  }
}

export const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
