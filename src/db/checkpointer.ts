import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How often the background thread copies the write-ahead log back into the database file. Short
 * enough that the log stays small (each pass has little to copy); a pass with nothing to copy
 * costs next to nothing.
 */
const EVERY_MS = 20;

/**
 * The checkpoint thread's whole program. It is plain CommonJS run with `eval`, so it needs no
 * loader or build step whether Convene runs from src/ (tsx) or dist/; better-sqlite3 is resolved
 * by the main thread and passed in.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
// A failure that repeats is reported once (until a pass succeeds), not fifty times a second.
let failing = null;
const pass = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = null;
  } catch (error) {
    const message = String((error && error.message) || error);
    if (message !== failing) parentPort.postMessage({ error: message });
    failing = message;
  }
};
const timer = setInterval(pass, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  pass();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs one last pass and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Keeps SQLite's checkpoints off the event loop. With SQLite's own automatic checkpoints, the
 * commit that crosses the limit copies the log into the database and syncs it before it returns,
 * and every request waits behind it: measured on vote toggles (bench:http), the server managed
 * about 2,700–2,900 a second that way and 4,200–4,600 with this thread. A second connection on a thread of its own does the copying instead (PASSIVE: it never
 * blocks a writer or a reader); the main connection keeps a high automatic limit only as a safety
 * net, should this thread ever fall behind.
 */
export function startCheckpointer(path: string, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(PROGRAM, { eval: true, workerData: { path, driver, everyMs: EVERY_MS } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(message.error);
  });
  worker.on('error', (error) => onError(error.message));
  // A background helper: it never keeps the process alive on its own (after the listeners, which
  // would otherwise hold it again).
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it finishes its last pass, or the process could end before it has.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
