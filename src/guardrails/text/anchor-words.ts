/**
 * @module guardrails/text/anchor-words
 * One literal scan per text for the anchor words of every detector. A detector registers its
 * groups of words when its module loads (names prefixed with its own, `pii.`, `hap.`) and reads
 * their hits from `anchorHits(text)` — through a `TextScope`, so when several detectors examine
 * the same text the characters are read once for all of them.
 */
import {
  type CharacterContexts,
  type GroupOptions,
  type LiteralHits,
  LiteralScanner,
} from './literal-scanner.js';

const groups: Record<string, readonly string[]> = {};
const groupOptions: Record<string, GroupOptions> = {};
let contexts: CharacterContexts<string> | undefined;
let scanner: LiteralScanner<string> | undefined;

/**
 * Character contexts reported by the same scan (see LiteralScanner), in `${prefix}.contexts` and
 * `${prefix}.repeats`. One detector registers them, once.
 */
export function registerCharacterContexts(
  prefix: string,
  spec: Omit<CharacterContexts<string>, 'group' | 'repeats'>,
): void {
  if (contexts) throw new Error(`character contexts registered twice (${prefix})`);
  contexts = { ...spec, group: `${prefix}.contexts`, repeats: `${prefix}.repeats` };
  scanner = undefined;
}

/**
 * Adds groups of anchor words, named `${prefix}.${group}`, each matched as its options say
 * (word start, whole word, either case: see LiteralScanner).
 */
export function registerAnchorWords(
  prefix: string,
  words: Readonly<Record<string, readonly string[]>>,
  options: Readonly<Record<string, GroupOptions>> = {},
): void {
  for (const [name, list] of Object.entries(words)) {
    const key = `${prefix}.${name}`;
    if (groups[key]) throw new Error(`anchor words ${key} registered twice`);
    groups[key] = list;
    if (options[name]) groupOptions[key] = options[name];
  }
  scanner = undefined;
}

/** Where every registered group's words start in `text`, by `${prefix}.${group}`. */
export function anchorHits(text: string): LiteralHits<string> {
  scanner ??= new LiteralScanner(
    contexts ? { ...groups, [contexts.group]: [], [contexts.repeats]: [] } : groups,
    groupOptions,
    contexts,
  );
  return scanner.scan(text);
}
