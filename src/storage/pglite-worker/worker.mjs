// The embedded database's own thread: one PGlite instance, driven by messages from
// `driver.ts`. Plain JavaScript so that it starts the same way from sources, tests and dist/.
// Messages run one at a time; while a transaction is open only its own messages run, the rest
// wait — the single-connection semantics PGlite has in process.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

const db = await PGlite.create({
  ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}),
  ...(workerData.loadDataDir ? { loadDataDir: new Blob([workerData.loadDataDir]) } : {}),
  extensions: { vector },
});

const queue = [];
let activeTransaction = null;
let nextTransaction = 1;
let running = false;

function errorData(error) {
  return {
    message: error?.message ?? String(error),
    code: error?.code,
    constraint: error?.constraint,
    detail: error?.detail,
    name: error?.name,
  };
}

async function run(message) {
  switch (message.type) {
    case 'query': {
      const result = await db.query(message.sql, message.params ?? []);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    }
    case 'exec':
      await db.exec(message.sql);
      return null;
    case 'begin':
      await db.exec('BEGIN');
      activeTransaction = nextTransaction++;
      return activeTransaction;
    case 'commit':
    case 'rollback':
      try {
        await db.exec(message.type === 'commit' ? 'COMMIT' : 'ROLLBACK');
      } finally {
        activeTransaction = null;
      }
      return null;
    case 'dump':
      return new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
    case 'listen':
      // Posted from inside the statement's processing, so it reaches the main thread before
      // the reply of the statement that committed it.
      await db.listen(message.channel, (payload) =>
        parentPort.postMessage({ notification: { channel: message.channel, payload } }),
      );
      return null;
    case 'unlisten':
      await db.unlisten(message.channel);
      return null;
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

function runnable(message) {
  if (activeTransaction === null) return message.tx === undefined;
  return message.tx === activeTransaction;
}

async function pump() {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const index = queue.findIndex(runnable);
      if (index === -1) return;
      const [message] = queue.splice(index, 1);
      try {
        parentPort.postMessage({ id: message.id, ok: true, value: await run(message) });
      } catch (error) {
        // A failed statement inside a transaction leaves it aborted; the caller rolls back.
        parentPort.postMessage({ id: message.id, ok: false, error: errorData(error) });
      }
    }
  } finally {
    running = false;
  }
}

parentPort.on('message', (message) => {
  queue.push(message);
  void pump();
});
parentPort.postMessage({ ready: true });
