/**
 * @module core/text/korean-morphology
 * Light Korean stemming without a dictionary: strips the particle (조사) or the verbal ending
 * (어미) from an eojeol (space-separated word) and the light verb 하다/되다/시키다 from
 * Sino-Korean predicates, so '페미니즘은' → '페미니즘' and '설립되었다' → '설립'. Particles that
 * depend on the preceding sound (은/는, 이/가, 을/를, 과/와, 으로/로) are stripped only after a
 * syllable of the right shape, which keeps '국가' and '나이' whole.
 */

/** Particles that follow a syllable with a final consonant (받침). */
const afterConsonant = new Set([
  '은',
  '이',
  '을',
  '과',
  '으로',
  '이나',
  '이랑',
  '이라는',
  '이라고',
  '이란',
  '이며',
  '이고',
  '이든',
  '으로서',
  '으로써',
  '으로는',
  '으로도',
  '으로의',
  '으로부터',
  '이라도',
  '이다',
  '이었다',
  '이었던',
  '이었으며',
  '이야',
  '이여',
]);
/** Particles that follow a syllable without a final consonant. */
const afterVowel = new Set(['는', '가', '를', '와', '랑', '라는', '라고', '란', '였다', '였던', '였으며']);
/** Particles after any syllable (로 also follows ㄹ). */
const anywhere = [
  '에서부터',
  '에서는',
  '에서도',
  '에서의',
  '에서만',
  '에게서',
  '에게는',
  '에게도',
  '에게만',
  '로부터',
  '로서는',
  '에서',
  '에게',
  '에는',
  '에도',
  '에만',
  '에의',
  '께서',
  '한테',
  '부터',
  '까지',
  '마저',
  '조차',
  '처럼',
  '만큼',
  '보다',
  '와의',
  '과의',
  '로서',
  '로써',
  '로는',
  '로도',
  '로의',
  '로만',
  '까지의',
  '부터의',
  '만의',
  '밖에',
  '마다',
  '에',
  '의',
  '도',
  '만',
  '로',
  '께',
  '엔',
  '들',
  '들의',
  '들은',
  '들이',
  '들을',
  '들과',
  '들에',
  '들도',
  '들에게',
  '입니다',
  '이라',
];

/** One-syllable particles that may leave a one-syllable stem (책을 → 책); the others need two (화가, 결과, 도로). */
const shortStemParticles = new Set(['은', '는', '이', '을', '를', '와', '에']);

/**
 * Verbal and adjectival endings, light verbs included (하였다 = 하 + 였다). Stripping them leaves
 * the predicate's root; for 하다/되다 verbs that is the Sino-Korean noun (설립하였다 → 설립).
 */
const endings = [
  '하였습니다',
  '되었습니다',
  '시켰습니다',
  '하였으며',
  '되었으며',
  '하였는데',
  '하였지만',
  '되었지만',
  '하였으나',
  '되었으나',
  '이었으며',
  '하였다',
  '되었다',
  '시켰다',
  '하였고',
  '되었고',
  '했습니다',
  '됐습니다',
  '합니다',
  '됩니다',
  '습니다',
  '하였던',
  '되었던',
  '하면서',
  '되면서',
  '했으며',
  '됐으며',
  '하였나',
  '되었나',
  '하였는가',
  '되었는가',
  '했는가',
  '됐는가',
  '하였을까',
  '되었을까',
  '했을까',
  '하는가',
  '되는가',
  '입니까',
  '습니까',
  '합니까',
  '됩니까',
  '했다',
  '됐다',
  '한다',
  '된다',
  '하는',
  '되는',
  '하고',
  '되고',
  '하며',
  '되며',
  '하여',
  '되어',
  '해서',
  '돼서',
  '했던',
  '됐던',
  '하게',
  '되게',
  '하지',
  '되지',
  '했고',
  '됐고',
  '했나',
  '됐나',
  '하나요',
  '되나요',
  '한가',
  '인가',
  '인가요',
  '인지',
  '는가',
  '는지',
  '을까',
  '하다',
  '되다',
  '시키다',
  '시킨다',
  '시킨',
  '시켜',
  '시키는',
  '시키고',
  '시키며',
  '시킬',
  '하기',
  '되기',
  '하면',
  '되면',
  '하므로',
  '되므로',
  '하였을',
  '되었을',
  '했을',
  '됐을',
  '할',
  '될',
  '한',
  '된',
  '함',
  '됨',
  '해',
  '돼',
  '었다',
  '았다',
  '었던',
  '았던',
  '었으며',
  '았으며',
  '었고',
  '았고',
  '었나',
  '았나',
  '으며',
  '으나',
  '지만',
  '면서',
  '는데',
  '다고',
  '었는가',
  '았는가',
  '었을까',
  '았을까',
  '으면',
  '으므로',
  '이다',
  '인데',
  '이며',
  '이고',
];

function bySuffixEnd(list: Iterable<string>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const suffix of list) {
    const key = suffix[suffix.length - 1]!;
    const bucket = map.get(key) ?? [];
    bucket.push(suffix);
    map.set(key, bucket);
  }
  for (const bucket of map.values()) bucket.sort((a, b) => b.length - a.length);
  return map;
}

const particleIndex = bySuffixEnd([...afterConsonant, ...afterVowel, ...anywhere]);
const endingIndex = bySuffixEnd(endings);

/** 0 when the syllable has no final consonant, 8 for ㄹ, other positive values for the rest; -1 when not a syllable. */
function finalConsonant(code: number): number {
  if (code < 0xac00 || code > 0xd7a3) return -1;
  return (code - 0xac00) % 28;
}

function particleFits(particle: string, previous: number, stemLength: number): boolean {
  const final = finalConsonant(previous);
  if (final < 0) return false;
  // One-syllable particles that also end many nouns (회의, 정도, 결과, 화가) need a longer stem.
  if (particle.length === 1 && stemLength < 2 && !shortStemParticles.has(particle)) return false;
  if (afterConsonant.has(particle)) return final > 0 && (!particle.startsWith('으') || final !== 8);
  if (afterVowel.has(particle)) return final === 0;
  if (particle.startsWith('로')) return final === 0 || final === 8;
  return true;
}

export interface KoreanStem {
  stem: string;
  /** What was stripped: a particle, an ending, or nothing. */
  removed: 'particle' | 'ending' | 'none';
}

/**
 * Strips one particle or one ending from a Hangul word (NFKC-normalised, no spaces).
 *
 * @example
 * stripKorean('페미니즘은') // { stem: '페미니즘', removed: 'particle' }
 * stripKorean('설립되었다') // { stem: '설립', removed: 'ending' }
 */
export function stripKorean(word: string): KoreanStem {
  const last = word[word.length - 1];
  if (last === undefined || word.length < 2) return { stem: word, removed: 'none' };
  for (const ending of endingIndex.get(last) ?? []) {
    if (word.length - ending.length < 2 || !word.endsWith(ending)) continue;
    return { stem: word.slice(0, word.length - ending.length), removed: 'ending' };
  }
  for (const particle of particleIndex.get(last) ?? []) {
    const stemLength = word.length - particle.length;
    if (stemLength < 1 || !word.endsWith(particle)) continue;
    if (!particleFits(particle, word.charCodeAt(stemLength - 1), stemLength)) continue;
    // '-주의' is the suffix '-ism' (민주주의), not 주 + the genitive 의.
    if (particle === '의' && word.endsWith('주의')) break;
    let stem = word.slice(0, stemLength);
    // A plural 들 before the particle goes too (학생들은 → 학생).
    if (stem.length > 2 && stem.endsWith('들')) stem = stem.slice(0, -1);
    return { stem, removed: 'particle' };
  }
  return { stem: word, removed: 'none' };
}

/** Function words and question words: no evidence about a document's topic. */
export const koreanStopwords = new Set([
  '무엇',
  '누구',
  '언제',
  '어디',
  '어느',
  '어떤',
  '무슨',
  '몇',
  '왜',
  '어떻게',
  '얼마',
  '얼마나',
  '뭐',
  '무얼',
  '그',
  '이',
  '저',
  '것',
  '수',
  '등',
  '및',
  '또는',
  '그리고',
  '그러나',
  '하지만',
  '또한',
  '즉',
  '위해',
  '대해',
  '대한',
  '통해',
  '따라',
  '의해',
  '인해',
  '관한',
  '있',
  '있다',
  '있는',
  '있었',
  '없',
  '없는',
  '않',
  '않은',
  '않는',
  '하',
  '되',
  '이런',
  '그런',
  '저런',
  '이러한',
  '그러한',
  '때문',
  '한편',
  '있었다',
  '있었던',
  '있으며',
  '있고',
  '없었다',
  '없다',
  '않았다',
  '하였다',
  '되었다',
  '했다',
  '된다',
  '한다',
  '이다',
  '것이다',
  '것은',
  '것을',
  '것이',
]);
