/**
 * @module guardrails/injection/rule-scanner
 * Runs the injection rules only where they can match. One pass over the text finds the cues of
 * all rules (see `InjectionRule.cues`); each rule is then tried only from the few characters
 * before its cues. The matches are exactly those of a global scan of each rule over the whole
 * text: such a scan reports, after each match, the leftmost match that starts at or after its
 * end, and every start it could report lies in a range tried here, in the same order.
 */

import { registerAnchorWords } from '../text/anchor-words.js';
import type { LiteralHits } from '../text/literal-scanner.js';
import { isWhitespace } from '../text/normalize.js';
import type { InjectionRule } from './injection-patterns.js';

export type RuleMatch = (rule: InjectionRule, start: number, end: number) => void;

/** Where each rule's cues are in a text: positions per rule, ascending. */
export type CueHits = readonly (readonly number[])[];

export interface RuleScanner {
  /**
   * Reports every rule match in `text`. `cues` may say where the cues are (a superset does no
   * harm: each rule is still tried from every real cue, in order); without it they are found here.
   */
  scan(text: string, found: RuleMatch, cues?: CueHits): void;
  /**
   * The cues of `window` (the part of a text at `offset`) from the shared anchor-word scan of the
   * whole text. Whole-word cues at the window's edges are decided there by its neighbours in the
   * text, where a scan of the window alone sees its edge: those near the edges are found again in
   * the window itself. When the rules read `folded` (the window with some characters folded one
   * for one), cues around the folded characters are found again in it too.
   */
  cuesIn(anchors: LiteralHits<string>, offset: number, window: string, folded?: string): CueHits;
}

let registered = 0;
/** The anchor-word groups of each rule's cues. */
const ruleGroups = new Map<InjectionRule, string[]>();
/** Characters at each edge of a window whose cues are found again in the window itself. */
const EDGE = 48;

/** Characters a rule may try beyond its lead from one cue, before the next attempt. */
const SLACK = 8;

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A scanner for `rules`; matches are reported rule by rule, each rule's in text order. */
export function createRuleScanner(rules: readonly InjectionRule[]): RuleScanner {
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
  // No empty alternative: a scanner with only word cues (or only others) must not match everywhere.
  const alternatives = [
    ...(words.length ? [String.raw`\b(?:${words.join('|')})\b`] : []),
    ...others.map(escapeRegExp),
  ];
  const cues = new RegExp(alternatives.join('|') || '(?!)', 'gi');
  // The same cues in the anchor-word scan every detector shares: per rule, one group of whole
  // words and one of the others.
  // A rule in several scanners registers its groups once.
  const groupsOf = rules.map((rule) => {
    const known = ruleGroups.get(rule);
    if (known) return known;
    const prefix = `injection${registered++}`;
    const groups: Record<string, string[]> = {};
    const options: Record<string, { caseless: true; wholeWord?: true }> = {};
    for (const cue of rule.cues.split(' ')) {
      const word = /^[a-z]+$/.test(cue);
      const group = word ? 'words' : 'others';
      groups[group] = [...(groups[group] ?? []), cue];
      options[group] = word ? { caseless: true, wholeWord: true } : { caseless: true };
    }
    registerAnchorWords(prefix, groups, options);
    const names = Object.keys(groups).map((group) => `${prefix}.${group}`);
    ruleGroups.set(rule, names);
    return names;
  });
  const findCues = (text: string): number[][] => {
    const hits: number[][] = rules.map(() => []);
    cues.lastIndex = 0;
    for (let cue = cues.exec(text); cue; cue = cues.exec(text)) {
      for (const rule of rulesOfCue.get(cue[0].toLowerCase())!) hits[rule]!.push(cue.index);
      cues.lastIndex = cue.index + 1;
    }
    return hits;
  };
  // `[\s\S]{0,n}?(rule)`, sticky: the leftmost match of the rule starting within n characters.
  const finders = rules.map((rule) => {
    const flags = rule.pattern.flags.replace(/[gy]/g, '');
    return new RegExp(
      String.raw`[\s\S]{0,${(rule.lead ?? 0) + SLACK}}?(${rule.pattern.source})`,
      `${flags}y`,
    );
  });

  const cuesIn = (anchors: LiteralHits<string>, offset: number, window: string, folded = window): CueHits => {
    const end = offset + window.length;
    // Stretches read again: the edges, and around each folded character.
    const stretches = [0, Math.max(0, window.length - EDGE)];
    if (folded !== window)
      for (let i = 0; i < window.length; i++)
        if (folded.charCodeAt(i) !== window.charCodeAt(i)) stretches.push(Math.max(0, i - EDGE / 2));
    // Folded all over (a Greek or full-width passage): read it all.
    if (stretches.length > 64) return findCues(folded);
    const again = stretches.map((start) => ({ start, hits: findCues(folded.slice(start, start + EDGE)) }));
    return rules.map((_, index) => {
      const positions: number[] = again.flatMap(({ start, hits }) => hits[index]!.map((at) => at + start));
      for (const group of groupsOf[index]!)
        for (const at of anchors[group] ?? []) if (at >= offset && at < end) positions.push(at - offset);
      return [...new Set(positions)].sort((a, b) => a - b);
    });
  };

  const scan = (text: string, found: RuleMatch, given?: CueHits) => {
    const hits = given ?? findCues(text);
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

  return { scan, cuesIn };
}
