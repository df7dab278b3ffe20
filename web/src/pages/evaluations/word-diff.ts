/**
 * A word-level diff of a model output against its reference (longest common subsequence over
 * whitespace-separated words), for the per-item drill-down. Whitespace is kept with each word.
 */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many words on a side, the diff is skipped (the table would be n×m). */
const limit = 2000;

function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

/** `removed`: only in the reference; `added`: only in the output. */
export function wordDiff(reference: string, output: string): DiffPart[] | null {
  const a = words(reference);
  const b = words(output);
  if (a.length > limit || b.length > limit) return null;
  const key = (word: string) => word.trim();
  // lengths[i][j]: the LCS of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] =
        key(a[i]!) === key(b[j]!)
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (key(a[i]!) === key(b[j]!)) {
      push('same', b[j]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < a.length) push('removed', a[i++]!);
  while (j < b.length) push('added', b[j++]!);
  return parts;
}
