/**
 * @module prompts/line-diff
 * Line-level diff of two texts (Myers' O(ND) algorithm, after trimming the common head and tail,
 * which is most of a prompt edit). Very different large texts fall back to "all removed, all
 * added" instead of spending quadratic memory.
 */
export interface LineOp {
  op: 'equal' | 'add' | 'remove';
  text: string;
}

/** Edit distance beyond which the middle is reported as replaced wholesale. */
const MAX_EDIT_DISTANCE = 2000;

/**
 * @example diffLines('a\nb\nc', 'a\nB\nc') // equal a, remove b, add B, equal c
 */
export function diffLines(before: string, after: string): LineOp[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const equal = (text: string): LineOp => ({ op: 'equal', text });
  return [
    ...a.slice(0, head).map(equal),
    ...middle(a.slice(head, endA), b.slice(head, endB)),
    ...a.slice(endA).map(equal),
  ];
}

function middle(a: string[], b: string[]): LineOp[] {
  const removeAll = a.map((text): LineOp => ({ op: 'remove', text }));
  const addAll = b.map((text): LineOp => ({ op: 'add', text }));
  if (a.length === 0 || b.length === 0) return [...removeAll, ...addAll];
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d-1, d+1] as it was before step d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [...removeAll, ...addAll];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], distance: number): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = distance; d > 0; d--) {
    const row = trace[d]!;
    const at = (k: number) => row[k + d + 1]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ op: 'equal', text: a[--x]! });
      y--;
    }
    if (x === previousX) ops.push({ op: 'add', text: b[--y]! });
    else ops.push({ op: 'remove', text: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ op: 'equal', text: a[--x]! });
    y--;
  }
  return ops.reverse();
}
