// SQLite's write-ahead log is copied into the database file by checkpoints. Left to SQLite, the commit that makes the
// log pass 1,000 pages runs one itself: it copies the pages and syncs the file on the thread that committed, the
// server's event loop (a CPU profile of `invite` showed commits taking 17% of the process's busy time, two thirds of
// it checkpoints). So a file store checkpoints from a worker thread of its own, on its own connection, a few times a
// second (PASSIVE: it never waits for the writers, nor they for it), and the store's own connection checkpoints only
// when the log has grown far past that (WAL_AUTOCHECKPOINT_PAGES), should the worker fall behind or die.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 250;

/** The store's own connection checkpoints past this many log pages (4 KiB each): only when the worker does not. */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

// The worker's code, evaluated as a script: it needs no loader whatever runs the server (tsx, the compiled dist/).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
const checkpoint = () => {
  try {
    db ??= new Database(workerData.path, { fileMustExist: true });
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy or missing file: the next tick tries again (and the store's own connection checkpoints past its bound).
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db?.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints once more, closes the worker's connection and ends it. */
  stop(): Promise<void>;
}

/** Starts the checkpoints of the SQLite file at `path` (in WAL mode, opened by the store first). */
export function startCheckpointer(path: string, everyMs = CHECKPOINT_EVERY_MS): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, module, everyMs } });
  // Never what keeps a process alive (the CLI ends when its work does); an error ends only the checkpoints.
  worker.unref();
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
