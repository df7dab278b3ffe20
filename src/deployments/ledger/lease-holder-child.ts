/**
 * @module deployments/ledger/lease-holder-child
 * A replica for the ledger's kill test (`ledger.postgres.test.ts`): a Ledger on a PostgreSQL
 * database that serves one call, keeps a second in flight, waits for its flush to write both,
 * says so on stdout (one JSON line) and then holds its lease until it is killed (SIGKILL).
 *
 *   node --import tsx src/deployments/ledger/lease-holder-child.ts <database-url> <project-id>
 *
 * It runs on the default heartbeat (decision 0044), as a replica in production would.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noAudit } from '../../audit/index.js';
import { createPostgresDatabase } from '../../storage/postgres/index.js';
import { Ledger } from './ledger.js';
import { LimitStore } from './limit-store.js';

async function main(): Promise<void> {
  const [url, projectId] = process.argv.slice(2);
  const db = await createPostgresDatabase({ connectionString: url!, max: 2 });
  const ledger = new Ledger({ db, limits: new LimitStore(db, noAudit) });
  const scope = { projectId: projectId!, keyId: null, deploymentId: null };
  await (await ledger.reserve(scope, { tokens: 16, cost: 0 })).settle({ tokens: 16, cost: 0 });
  await ledger.reserve(scope, { tokens: 16, cost: 0 });
  // Held until the flush has booked the settled call and the call in flight.
  for (;;) {
    const { rows } = await db.query<{ held: number }>('SELECT held FROM ledger_leases');
    if (rows.length && Number(rows[0]!.held) === 16) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`${JSON.stringify({ event: 'holding' })}\n`);
  // Keeps its heartbeat and its lease until killed.
  setInterval(() => undefined, 60_000);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
