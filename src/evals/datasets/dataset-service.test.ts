import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { parseDatasetFile } from './parse-file.js';
import { sampleOrdinals } from './sampling.js';

let keel: TestKeel;
const caller = () => ({ projectId: keel.services.installation.defaultProjectId, actor: null });
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  keel = await createTestKeel();
});
afterAll(() => keel.close());

async function failure(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('datasets', () => {
  it('maps CSV columns to items, versions by content hash, previews', async () => {
    const csv = 'question,answer,alt\n"Capital of France?",Paris,"[""Paris, France""]"\nTwo plus two?,4,\n';
    const input = {
      name: 'qa',
      mapping: { input: ['question'], reference: ['answer', 'alt'] },
      file: { bytes: bytes(csv), format: 'csv' as const },
    };
    const first = await keel.services.evals.datasets.add(caller(), input);
    expect(first.created).toBe(true);
    expect(first.version.version).toBe(1);
    expect(first.version.row_count).toBe(2);
    const again = await keel.services.evals.datasets.add(caller(), input);
    expect(again.created).toBe(false);
    expect(again.version.content_hash).toBe(first.version.content_hash);
    const preview = await keel.services.evals.datasets.preview(caller().projectId, 'qa', { limit: 1 });
    expect(preview.items).toEqual([
      expect.objectContaining({
        input: { question: 'Capital of France?' },
        references: ['Paris', 'Paris, France'],
      }),
    ]);
    const changed = await keel.services.evals.datasets.add(caller(), {
      ...input,
      file: { bytes: bytes(`${csv}Three?,3,\n`), format: 'csv' },
    });
    expect(changed.version.version).toBe(2);
  });

  it('reports ragged rows with their line numbers, a missing reference column, and non-UTF-8 bytes', async () => {
    const ragged = await failure(parseDatasetFile(bytes('a,b\n1,2\n3\n4,5,6\n'), 'csv'));
    expect(ragged.code).toBe('invalid_dataset');
    expect(ragged.issues?.map((issue) => [issue.code, issue.path[1]])).toEqual([
      ['ragged_row', 3],
      ['ragged_row', 4],
    ]);
    const missing = await failure(
      keel.services.evals.datasets.add(caller(), {
        name: 'x',
        mapping: { reference: 'gold' },
        rows: [{ q: 'a', answer: 'b' }],
      }),
    );
    expect(missing.issues?.[0]?.code).toBe('missing_reference_column');
    const latin1 = await failure(
      parseDatasetFile(new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xe9, 0x2c, 0x31]), 'csv'),
    );
    expect(latin1.code).toBe('invalid_encoding');
    expect(latin1.data).toEqual({ offset: 4 });
  });

  it('reads JSONL and Parquet, assigns seeded random splits and samples', async () => {
    const jsonl = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ text: `t${i}`, label: i % 2 ? 'a' : 'b' }),
    ).join('\n');
    const split = { fractions: { train: 0.5, test: 0.5 }, seed: 7 };
    const one = await keel.services.evals.datasets.add(caller(), {
      name: 'cls',
      mapping: { input: ['text'], label: 'label' },
      splits: split,
      file: { bytes: bytes(jsonl), format: 'jsonl' },
    });
    expect(Object.values(one.version.splits).reduce((a, b) => a + b, 0)).toBe(40);
    const two = await keel.services.evals.datasets.add(caller(), {
      name: 'cls',
      mapping: { input: ['text'], label: 'label' },
      splits: split,
      file: { bytes: bytes(jsonl), format: 'jsonl' },
    });
    expect(two.created).toBe(false);
    const ordinals = Array.from({ length: 40 }, (_, i) => i);
    expect(sampleOrdinals(ordinals, { size: 5, seed: 3 })).toEqual(
      sampleOrdinals(ordinals, { size: 5, seed: 3 }),
    );
    expect(sampleOrdinals(ordinals, { size: 5, seed: 3 })).toHaveLength(5);

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const directory = await mkdtemp(path.join(keel.dataDir, 'pq-'));
    const file = path.join(directory, 'set.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT 'q' || i AS question, ['a' || i, 'b' || i] AS answers FROM range(3) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const parquet = await keel.services.evals.datasets.add(caller(), {
      name: 'pq',
      mapping: { input: ['question'], reference: 'answers' },
      file: { bytes: await readFile(file), format: 'parquet' },
    });
    expect(parquet.version.row_count).toBe(3);
    const items = await keel.services.evals.datasets.preview(caller().projectId, 'pq');
    expect(items.items[2]).toMatchObject({ input: { question: 'q2' }, references: ['a2', 'b2'] });
  });
});
