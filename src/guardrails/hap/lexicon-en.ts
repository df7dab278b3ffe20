/**
 * @module guardrails/hap/lexicon-en
 * English lexicon for hate, abuse and profanity, written for Keel (not copied from a list).
 * Entries are regular-expression fragments matched on whole words of normalised text. Slurs
 * are hate whoever they target; identity-targeted hate without a slur is found by the rules in
 * `identity-hate.ts`.
 */

export interface LexiconEntry {
  pattern: string;
  category: 'hate' | 'abuse' | 'profanity';
  score: number;
}

export const englishProfanity: readonly LexiconEntry[] = [
  {
    pattern: 'f+u+c+k+\\w*|motherf\\w+|fck\\w*|fuk\\w*|f\\*+k\\w*|wtf|stfu|gtfo',
    category: 'profanity',
    score: 0.8,
  },
  { pattern: 'sh[i1]+t\\w*|bullsh[i1]t\\w*|crap(?:py)?', category: 'profanity', score: 0.65 },
  {
    pattern:
      'bitch(?:es|y|ing)?|bastards?|assholes?|arseholes?|dickheads?|douche(?:bags?)?|pricks?|twats?|wankers?|jackass(?:es)?|dumbass(?:es)?',
    category: 'abuse',
    score: 0.8,
  },
  { pattern: 'cunts?|cocksuckers?|sons? of a bitch|piece of shit|pos', category: 'abuse', score: 0.9 },
  {
    pattern: 'damn(?:ed|it)?|goddamn\\w*|hell(?= of| no| yes|,|!)|bloody|piss(?:ed)?(?: off)?',
    category: 'profanity',
    score: 0.45,
  },
  {
    pattern: 'dicks?|cocks?|pussy|pussies|tits|boobs|blowjobs?|handjobs?|cum(?:shot)?s?|jizz|porn\\w*|horny',
    category: 'profanity',
    score: 0.6,
  },
  {
    pattern:
      'idiots?|morons?|imbeciles?|stupid|dumb|losers?|scumbags?|lowlifes?|pathetic|worthless|shithead\\w*|dipshit\\w*',
    category: 'abuse',
    score: 0.55,
  },
  {
    pattern: 'shut up|go to hell|screw you|get lost|kys|kill yourself|go die',
    category: 'abuse',
    score: 0.8,
  },
];

/** Slurs: hate, unless used as a self-description or a homonym (handled by the detector). */
export const englishSlurs: readonly LexiconEntry[] = [
  {
    pattern: 'n[i1]gg(?:er|a|ah|uh)s?|nigg\\w+|coons?|jungle bunn(?:y|ies)|porch monkeys?|spear chuckers?',
    category: 'hate',
    score: 0.95,
  },
  {
    pattern: 'fag(?:g?ot)?s?|faggy|dykes?|trann(?:y|ies)|shemales?|he-shes?|homos?|lesbos?',
    category: 'hate',
    score: 0.9,
  },
  { pattern: 'retard(?:s|ed)?|spazz?(?:es)?|cripples?|mongs?|mongoloids?', category: 'hate', score: 0.85 },
  { pattern: 'kikes?|hymies?|yids?|sheenies?', category: 'hate', score: 0.95 },
  {
    pattern:
      'spics?|wetbacks?|beaners?|chinks?|gooks?|japs?|pakis?|ragheads?|towelheads?|sand ?n[i1]gg\\w+|camel ?f\\w*ers?|muzzies?|jihadis?|rapefugees?|chingchong',
    category: 'hate',
    score: 0.95,
  },
  { pattern: 'sluts?|whores?|skanks?|hoes?|thots?', category: 'hate', score: 0.8 },
];

/** Words that, when they are the only match, mean something else ("a dyke by the sea", "queer feeling"). */
export const englishHomonymContexts: readonly RegExp[] = [
  /\bdykes?\b.{0,30}\b(?:water|sea|beach|river|flood|build|built|dam|canal|dutch|holland)|\b(?:water|sea|beach|river|flood|build|built|dam|canal|dutch)\b.{0,30}\bdykes?\b/i,
  /\bfags?\b.{0,20}\b(?:cigarette|smoke|lighter|packet)|\b(?:smoke|smoking|light|lit|packet of)\b.{0,10}\bfags?\b/i,
  /\b(?:hoes?)\b.{0,20}\b(?:garden|rake|shovel|soil|weeds?)|\b(?:garden|rake|shovel)\b.{0,20}\bhoes?\b/i,
  /\bcoons?\b.{0,20}\b(?:raccoon|hunt|tail|forest|animal)/i,
  /\bcripple[ds]?\b.{0,20}\b(?:by|with)\b.{0,20}\b(?:debt|pain|fear|anxiety|costs?|the (?:economy|injury|strike))/i,
  /\bretard(?:ed|ant|ation)?\b.{0,25}\b(?:growth|flame|fire|progress|development|process)|\bflame[- ]retard/i,
];

/** A slur used about oneself or in-group with warmth ("I love being a …", "this … a genius"). */
export const englishReclaimed: readonly RegExp[] = [
  /\b(?:i(?:'m| am)|being|as) (?:a |an )?(?:proud |happy |queer )?\w+\b.{0,20}\b(?:proud|love|happy|pride)\b|\b(?:proud|love|happy|pride)\b.{0,30}\b(?:i(?:'m| am)|being|as) (?:a |an )?\w+/i,
  /\b(?:my|this|that) n[i1]gg(?:a|ah|uh)\b.{0,30}\b(?:genius|best|brother|love|proud|king|goat|fire|legend)|\b(?:ya?ll|y'all)\b/i,
];
