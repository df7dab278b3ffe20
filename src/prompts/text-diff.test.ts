import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff.js';
import { diffValues } from './template-diff.js';

/** Length of the longest common subsequence, by dynamic programming (the reference). */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('diffLines', () => {
  it('shows a changed line as removed then added, keeping the rest equal', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc\nd')).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'remove', text: 'b' },
      { op: 'add', text: 'B' },
      { op: 'equal', text: 'c' },
      { op: 'add', text: 'd' },
    ]);
    expect(diffLines('same', 'same')).toEqual([{ op: 'equal', text: 'same' }]);
  });

  it('rebuilds both texts and is a minimal edit (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', '가', ''), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a.join('\n'), b.join('\n'));
        const before = ops.filter((op) => op.op !== 'add').map((op) => op.text);
        const after = ops.filter((op) => op.op !== 'remove').map((op) => op.text);
        expect(before.join('\n')).toBe(a.join('\n'));
        expect(after.join('\n')).toBe(b.join('\n'));
        const x = a.join('\n').split('\n');
        const y = b.join('\n').split('\n');
        expect(ops.filter((op) => op.op === 'equal').length).toBe(lcs(x, y));
      }),
      { numRuns: 300 },
    );
  });
});

describe('diffValues', () => {
  it('reports fields by path, matches named lists by name, and line-diffs text', () => {
    const changes = diffValues(
      {
        mode: 'freeform',
        text: 'one\ntwo',
        variables: [{ name: 'a' }, { name: 'b', type: 'string' }],
        parameters: { max_new_tokens: 10, stop_sequences: ['x'] },
      },
      {
        mode: 'freeform',
        text: 'one\n2',
        variables: [{ name: 'new' }, { name: 'a' }, { name: 'b', type: 'integer' }],
        parameters: { max_new_tokens: 10, stop_sequences: ['x', 'y'] },
        output_schema: { type: 'object' },
      },
    );
    expect(changes).toEqual([
      {
        path: ['text'],
        kind: 'changed',
        from: 'one\ntwo',
        to: 'one\n2',
        lines: [
          { op: 'equal', text: 'one' },
          { op: 'remove', text: 'two' },
          { op: 'add', text: '2' },
        ],
      },
      {
        path: ['variables', 'b', 'type'],
        kind: 'changed',
        from: 'string',
        to: 'integer',
        lines: [
          { op: 'remove', text: 'string' },
          { op: 'add', text: 'integer' },
        ],
      },
      { path: ['variables', 'new'], kind: 'added', to: { name: 'new' } },
      { path: ['parameters', 'stop_sequences', 1], kind: 'added', to: 'y' },
      { path: ['output_schema'], kind: 'added', to: { type: 'object' } },
    ]);
    expect(diffValues({ a: 1, b: [1] }, { b: [1], a: 1 })).toEqual([]);
  });
});
