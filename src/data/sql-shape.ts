/**
 * @module data/sql-shape
 * The shape of a literal SQL query ("simple parameterisation", as PostgreSQL's and SQL Server's
 * plan caches do it): the text with each plain comparison constant replaced by `$n`, and the
 * constants themselves. A point query sent again with another value has the same shape, so its
 * checked plan and prepared statement can be reused with the value bound (shape-plan.ts).
 *
 * The tokenizer follows DuckDB's scanner (PostgreSQL's `scan.l`) for what decides token
 * boundaries: `'…'` strings with `''` escapes, `"…"` identifiers, `--` and nested `/* *\/`
 * comments, operators, numbers. A constant is replaced only where its value cannot change what
 * the query means, only what it selects:
 * - a standard string (no prefix such as `E`, `X`, `DATE`, no backslash) or a bare decimal
 *   integer (no `.`, exponent, `_`, `0x` or trailing letter),
 * - right after a comparison operator (`=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`) whose left side ends
 *   in a column name or `)`, and followed by the end of an expression (`AND`, `OR`, `)`, a clause
 *   keyword, the end),
 * - inside WHERE, ON, HAVING or QUALIFY, where every enclosing parenthesis is a grouping or a
 *   subquery in WHERE/ON/HAVING/QUALIFY/FROM/WITH — never a function's arguments (so not a table
 *   function's path, a `FILTER`, an `OVER`), never a select list (column names stay the same), never
 *   LIMIT, ORDER BY, GROUP BY or a type.
 * Queries holding parameters already, dollar-quoted text, NUL, PIVOT or anything unterminated get
 * no shape: they take the full path. Whatever is not replaced stays verbatim in the shape's text.
 */

export type LiteralKind = 'integer' | 'string';

/** One replaced constant: its kind and value (a string's content unescaped, an integer's digits). */
export interface ShapeSlot {
  kind: LiteralKind;
  value: string;
}

export interface SqlShape {
  /** The SQL with `$1`, `$2`, … in place of the replaced constants. */
  text: string;
  /** The constants' kinds, in order: part of the shape's identity (`id = 5` ≠ `id = '5'`). */
  kinds: string;
  slots: ShapeSlot[];
}

type TokenType = 'word' | 'quoted' | 'string' | 'integer' | 'number' | 'op' | 'punct';

interface Token {
  type: TokenType;
  start: number;
  end: number;
  /** Upper-cased text of a word; the operator or punctuation itself. */
  text: string;
  /** A string that is eligible as a constant (no prefix, no backslash). */
  plain?: boolean;
}

const OPERATOR_CHARS = new Set('+-*/<>=~!@#%^&|`?:');
const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=']);
/** What may follow a replaced constant: the end of the comparison's expression. */
const FOLLOWERS = new Set([
  'AND',
  'OR',
  'ORDER',
  'GROUP',
  'LIMIT',
  'OFFSET',
  'HAVING',
  'WINDOW',
  'QUALIFY',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WHERE',
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'FULL',
  'CROSS',
  'NATURAL',
]);
/** Keywords that start a clause of the query at their parenthesis level. */
const CLAUSES: Record<string, string> = {
  SELECT: 'SELECT',
  FROM: 'FROM',
  JOIN: 'FROM',
  WHERE: 'WHERE',
  ON: 'ON',
  USING: 'USING',
  GROUP: 'GROUP',
  HAVING: 'HAVING',
  QUALIFY: 'QUALIFY',
  WINDOW: 'WINDOW',
  ORDER: 'ORDER',
  LIMIT: 'LIMIT',
  OFFSET: 'OFFSET',
  WITH: 'WITH',
  VALUES: 'VALUES',
  UNION: 'SET',
  EXCEPT: 'SET',
  INTERSECT: 'SET',
  RETURNING: 'RETURNING',
};
/** Clauses a constant may sit in, and clauses an enclosing subquery may sit in. */
const OWN_CLAUSES = new Set(['WHERE', 'ON', 'HAVING', 'QUALIFY']);
const ENCLOSING_CLAUSES = new Set([...OWN_CLAUSES, 'FROM', 'WITH', '']);
/** Words after which `(` opens a grouping or a subquery, not a function's (or type's) arguments. */
const GROUPING_WORDS = new Set([
  'AS',
  'IN',
  'EXISTS',
  'AND',
  'OR',
  'NOT',
  'WHERE',
  'ON',
  'HAVING',
  'QUALIFY',
  'FROM',
  'JOIN',
]);
const REFUSED_WORDS = new Set(['PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER']);

const isWordStart = (char: string) => /[A-Za-z_\u0080-\uffff]/.test(char);
const isWordChar = (char: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(char);

/** DuckDB's tokens of `sql` (comments and spaces dropped), or undefined when a shape is not safe. */
function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    const char = sql[at]!;
    const next = sql[at + 1] ?? '';
    if (/[ \t\n\r\f\v]/.test(char)) {
      at++;
    } else if (char === '-' && next === '-') {
      while (at < sql.length && sql[at] !== '\n' && sql[at] !== '\r') at++;
    } else if (char === '/' && next === '*') {
      // Block comments nest, as in PostgreSQL's scanner.
      let depth = 0;
      do {
        if (sql.startsWith('/*', at)) {
          depth++;
          at += 2;
        } else if (sql.startsWith('*/', at)) {
          depth--;
          at += 2;
        } else at++;
      } while (depth > 0 && at < sql.length);
      if (depth > 0) return undefined;
    } else if (char === "'" || char === '"') {
      const start = at;
      at++;
      for (;;) {
        if (at >= sql.length) return undefined;
        if (sql[at] === char) {
          if (sql[at + 1] === char) at += 2;
          else break;
        } else at++;
      }
      at++;
      const body = sql.slice(start + 1, at - 1);
      const prefixed = start > 0 && isWordChar(sql[start - 1]!);
      tokens.push({
        type: char === "'" ? 'string' : 'quoted',
        start,
        end: at,
        text: body,
        plain: !prefixed && !body.includes('\\'),
      });
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next))) {
      const start = at;
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(at))![0];
      at += match.length;
      const after = sql[at] ?? '';
      const integer = /^\d+$/.test(match) && !isWordChar(after) && after !== '.';
      tokens.push({ type: integer ? 'integer' : 'number', start, end: at, text: match });
    } else if (isWordStart(char)) {
      const start = at;
      while (at < sql.length && isWordChar(sql[at]!)) at++;
      tokens.push({ type: 'word', start, end: at, text: sql.slice(start, at).toUpperCase() });
    } else if (OPERATOR_CHARS.has(char)) {
      // `?` and `$` parameters or dollar quotes: the full path handles them.
      if (char === '?') return undefined;
      const start = at;
      while (at < sql.length && OPERATOR_CHARS.has(sql[at]!)) {
        if (sql.startsWith('--', at) || sql.startsWith('/*', at)) break;
        at++;
      }
      tokens.push({ type: 'op', start, end: at, text: sql.slice(start, at) });
    } else if ('()[]{},;.'.includes(char)) {
      tokens.push({ type: 'punct', start: at, end: at + 1, text: char });
      at++;
    } else {
      // `$`, NUL and anything else this tokenizer does not model.
      return undefined;
    }
  }
  return tokens;
}

interface Level {
  kind: 'group' | 'call' | 'bracket';
  clause: string;
}

/** Which constants (token indexes) may become parameters. */
function replaceable(tokens: readonly Token[]): number[] {
  const found: number[] = [];
  const levels: Level[] = [{ kind: 'group', clause: '' }];
  tokens.forEach((token, index) => {
    const top = levels[levels.length - 1]!;
    const before = tokens[index - 1];
    if (token.type === 'word' && CLAUSES[token.text]) top.clause = CLAUSES[token.text]!;
    else if (token.type === 'punct' && (token.text === '(' || token.text === '[' || token.text === '{')) {
      const grouping =
        token.text === '(' &&
        (!before ||
          before.type === 'op' ||
          (before.type === 'punct' && (before.text === '(' || before.text === ',')) ||
          (before.type === 'word' && GROUPING_WORDS.has(before.text)));
      levels.push({ kind: grouping ? 'group' : token.text === '(' ? 'call' : 'bracket', clause: top.clause });
    } else if (token.type === 'punct' && (token.text === ')' || token.text === ']' || token.text === '}')) {
      if (levels.length > 1) levels.pop();
    } else if ((token.type === 'string' && token.plain) || token.type === 'integer') {
      const left = tokens[index - 2];
      const after = tokens[index + 1];
      const comparedTo =
        before?.type === 'op' &&
        COMPARISONS.has(before.text) &&
        (left?.type === 'word' || left?.type === 'quoted' || (left?.type === 'punct' && left.text === ')'));
      const ends =
        !after ||
        (after.type === 'punct' && (after.text === ')' || after.text === ';')) ||
        (after.type === 'word' && FOLLOWERS.has(after.text));
      const placed =
        OWN_CLAUSES.has(top.clause) &&
        levels.every((level) => level.kind === 'group' && ENCLOSING_CLAUSES.has(level.clause));
      if (comparedTo && ends && placed) found.push(index);
    }
  });
  return found;
}

/**
 * The shape of `sql`, or undefined when it has no replaceable constant or holds something the
 * tokenizer does not model (then the query takes the full path).
 *
 * @example
 * shapeOf("SELECT * FROM t WHERE id = 42 AND name = 'it''s'")
 * // { text: 'SELECT * FROM t WHERE id = $1 AND name = $2', kinds: 'integer,string',
 * //   slots: [{ kind: 'integer', value: '42' }, { kind: 'string', value: "it's" }] }
 */
export function shapeOf(sql: string): SqlShape | undefined {
  // DuckDB reads the SQL text as a C string: a NUL would end it early.
  if (sql.includes('\u0000')) return undefined;
  const tokens = tokenize(sql);
  if (!tokens || tokens.some((token) => token.type === 'word' && REFUSED_WORDS.has(token.text))) {
    return undefined;
  }
  const indexes = replaceable(tokens);
  if (!indexes.length) return undefined;
  let text = '';
  let from = 0;
  const slots: ShapeSlot[] = indexes.map((index, slot) => {
    const token = tokens[index]!;
    text += `${sql.slice(from, token.start)}$${slot + 1}`;
    from = token.end;
    return token.type === 'string'
      ? { kind: 'string', value: token.text.replaceAll("''", "'") }
      : { kind: 'integer', value: token.text };
  });
  text += sql.slice(from);
  return { text, kinds: slots.map((slot) => slot.kind).join(','), slots };
}
