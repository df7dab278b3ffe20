/**
 * @module guardrails/injection/rule-scanner
 * Runs the injection rules only where they can match. One pass over the text finds the cues of
 * all rules (see `InjectionRule.cues`); each rule is then tried only from the few characters
 * before its cues. The matches are exactly those of a global scan of each rule over the whole
 * text: such a scan reports, after each match, the leftmost match that starts at or after its
 * end, and every start it could report lies in a range tried here, in the same order.
 */
import { isWhitespace } from '../text/normalize.js';
import type { InjectionRule } from './injection-patterns.js';

export type RuleMatch = (rule: InjectionRule, start: number, end: number) => void;

/** Characters a rule may try beyond its lead from one cue, before the next attempt. */
const SLACK = 8;

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A scanner for `rules`; matches are reported rule by rule, each rule's in text order. */
export function createRuleScanner(rules: readonly InjectionRule[]): (text: string, found: RuleMatch) => void {
  const rulesOfCue = new Map<string, number[]>();
  const words: string[] = [];
  const others: string[] = [];
  rules.forEach((rule, index) => {
    if (!rule.pattern.flags.includes('i')) throw new Error(`injection rule without flag i: ${rule.pattern}`);
    for (const cue of rule.cues.split(' ')) {
      if (!rulesOfCue.has(cue)) {
        rulesOfCue.set(cue, []);
        (/^[a-z]+$/.test(cue) ? words : others).push(cue);
      }
      rulesOfCue.get(cue)!.push(index);
    }
  });
  // One cue found at each position: whole words cannot overlap at one start, and no other cue
  // may begin another (the scan reports one alternative per position).
  for (const cue of others)
    if (others.some((other) => other !== cue && other.startsWith(cue)))
      throw new Error(`injection cue ${cue} begins another cue`);
  const cues = new RegExp(String.raw`\b(?:${words.join('|')})\b|${others.map(escapeRegExp).join('|')}`, 'gi');
  // `[\s\S]{0,n}?(rule)`, sticky: the leftmost match of the rule starting within n characters.
  const finders = rules.map((rule) => {
    const flags = rule.pattern.flags.replace(/[gy]/g, '');
    return new RegExp(
      String.raw`[\s\S]{0,${(rule.lead ?? 0) + SLACK}}?(${rule.pattern.source})`,
      `${flags}y`,
    );
  });

  return (text, found) => {
    const hits: number[][] = rules.map(() => []);
    cues.lastIndex = 0;
    for (let cue = cues.exec(text); cue; cue = cues.exec(text)) {
      for (const rule of rulesOfCue.get(cue[0].toLowerCase())!) hits[rule]!.push(cue.index);
      cues.lastIndex = cue.index + 1;
    }
    rules.forEach((rule, index) => {
      const finder = finders[index]!;
      const reach = (rule.lead ?? 0) + SLACK;
      // Where the previous match ended: the global scan goes on from there.
      let last = 0;
      for (const cue of hits[index]!) {
        let from = cue;
        while (from > 0 && isWhitespace(text.charCodeAt(from - 1))) from--;
        from = Math.max(last, from - (rule.lead ?? 0));
        while (from <= cue) {
          finder.lastIndex = from;
          const match = finder.exec(text);
          if (!match) {
            from += reach + 1;
            continue;
          }
          const start = from + match[0].length - match[1]!.length;
          if (match[1]!.length === 0) last = start + 1;
          else {
            last = start + match[1]!.length;
            found(rule, start, last);
          }
          from = last;
        }
      }
    });
  };
}
