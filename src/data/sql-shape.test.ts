import { describe, expect, it } from 'vitest';
import { shapeOf } from './sql-shape.js';

describe('the shape of a literal query', () => {
  it('replaces comparison constants in WHERE, ON, HAVING and QUALIFY, with their values', () => {
    expect(shapeOf("SELECT * FROM t WHERE id = 42 AND name = 'it''s'")).toEqual({
      text: 'SELECT * FROM t WHERE id = $1 AND name = $2',
      kinds: 'integer,string',
      slots: [
        { kind: 'integer', value: '42' },
        { kind: 'string', value: "it's" },
      ],
    });
    const cases: Array<[string, string]> = [
      ['SELECT * FROM t WHERE id=7', 'SELECT * FROM t WHERE id=$1'],
      ['FROM t WHERE t."id" >= 0042;', 'FROM t WHERE t."id" >= $1;'],
      [
        "SELECT a FROM t JOIN u ON t.k = u.k AND u.c <> 'x' WHERE t.v < 3",
        'SELECT a FROM t JOIN u ON t.k = u.k AND u.c <> $1 WHERE t.v < $2',
      ],
      [
        'SELECT k, count(*) FROM t GROUP BY k HAVING count(*) > 1 ORDER BY k',
        'SELECT k, count(*) FROM t GROUP BY k HAVING count(*) > $1 ORDER BY k',
      ],
      [
        "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE c = 'x')",
        'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE c = $1)',
      ],
      [
        'WITH c AS (SELECT * FROM t WHERE id = 1) SELECT * FROM c WHERE (v != 2 OR v = 3)',
        'WITH c AS (SELECT * FROM t WHERE id = $1) SELECT * FROM c WHERE (v != $2 OR v = $3)',
      ],
      [
        'SELECT * FROM (SELECT * FROM t WHERE id = 5) s LIMIT 10',
        'SELECT * FROM (SELECT * FROM t WHERE id = $1) s LIMIT 10',
      ],
      [
        "SELECT * FROM t /* id = 1 */ WHERE name = '-- x /* y */ $$' -- id = 2",
        'SELECT * FROM t /* id = 1 */ WHERE name = $1 -- id = 2',
      ],
      ["SELECT * FROM t WHERE name = '서울 ☃ 😀'", 'SELECT * FROM t WHERE name = $1'],
    ];
    for (const [sql, text] of cases) expect(shapeOf(sql)?.text, sql).toBe(text);
    expect(shapeOf("SELECT 1 WHERE x = '''; DROP TABLE t; --'")?.slots).toEqual([
      { kind: 'string', value: "'; DROP TABLE t; --" },
    ]);
  });

  it('keeps every constant whose value could change what the query means', () => {
    const kept = [
      // select lists (column names), LIMIT, ORDER BY, GROUP BY
      'SELECT id = 1 AS x, 2 FROM t',
      'SELECT (id = 1) FROM t',
      'SELECT (SELECT max(v) FROM u WHERE k = 1) AS m FROM t',
      'SELECT * FROM t LIMIT 5 OFFSET 2',
      'SELECT * FROM t ORDER BY v = 1',
      // table functions, function arguments, FILTER, OVER, lists, types
      "SELECT * FROM read_csv('x.csv') WHERE a = b",
      "SELECT * FROM t WHERE coalesce(a = 'x', false)",
      'SELECT count(*) FILTER (WHERE v = 1) FROM t',
      "SELECT * FROM t WHERE a = [1][1] AND b = {'k': 1}.k",
      'SELECT * FROM t WHERE v::DECIMAL(10, 2) = v',
      // typed, prefixed, escaped, continued, negative and non-integer constants
      "SELECT * FROM t WHERE d = DATE '2024-01-01'",
      "SELECT * FROM t WHERE d = E'a\\'b'",
      "SELECT * FROM t WHERE d = 'a\\b'",
      "SELECT * FROM t WHERE d = 'a'\n'b'",
      "SELECT * FROM t WHERE d = 'a'::DATE",
      'SELECT * FROM t WHERE v = -1 OR v = 1.5 OR v = 1e3 OR v = 0x10 OR v = 1_000',
      'SELECT * FROM t WHERE v = 1 + 2',
      'SELECT * FROM t WHERE v = 1 IS NULL',
      'SELECT * FROM t WHERE CASE WHEN v = 1 THEN true END',
      'SELECT * FROM t WHERE 1 = v',
      'SELECT * FROM t WHERE v BETWEEN 1 AND 2 AND w IN (1, 2)',
    ];
    for (const sql of kept) expect(shapeOf(sql), sql).toBeUndefined();
  });

  it('gives no shape to queries with parameters, dollar quotes, PIVOT, NUL or unterminated text', () => {
    const none = [
      'SELECT * FROM t WHERE id = $1 AND v = 2',
      'SELECT * FROM t WHERE id = ? AND v = 2',
      'SELECT * FROM t WHERE name = $$x$$ AND v = 2',
      'PIVOT t ON k USING sum(v) WHERE v = 2',
      "SELECT * FROM t WHERE v = 2 AND name = 'a\u0000'",
      "SELECT * FROM t WHERE v = 2 AND name = 'open",
      'SELECT * FROM t WHERE v = 2 /* open',
      'SELECT * FROM t WHERE "open = 2',
    ];
    for (const sql of none) expect(shapeOf(sql), sql).toBeUndefined();
  });
});
