/**
 * @module guardrails/hap/identity-hate
 * Hate without slurs: a protected group named in the same clause as contempt, dehumanisation,
 * a derogatory attribute, a threat or exclusion — in English and Korean. Negation ("I don't
 * hate …"), quotation and reported speech that condemns ("saying X is bigoted", "…라고 말하는
 * 건 혐오다") are counter-speech and are not hate.
 */

const identityEn = String.raw`(?:wom[ae]n|females?|girls|ladies|trans(?:gender)?(?: (?:people|persons?|wom[ae]n|m[ae]n|folks))?|gays?(?: (?:people|persons?|m[ae]n|folks))?|lesbians?|queers?|homosexuals?|bisexuals?|lgbt\w*|blacks?(?: (?:people|persons?|m[ae]n|wom[ae]n|folks|lives))?|africans?|asians?|chinese|mexicans?|latin[oa]s?|hispanics?|arabs?|muslims?|islam|jews?|jewish (?:people|persons?)|immigrants?|migrants?|refugees?|foreigners?|disabled(?: (?:people|persons?|folks|lives))?|people with disabilities|handicapped|hindus?|sikhs?|roma|gypsies|people of colou?r|(?:female|trans|gay|black|disabled|muslim|immigrant|jewish|asian) (?:lives|people|folks|ones|kind))`;

const predicatesEn = [
  // contempt and disgust
  String.raw`hate[sd]?|hating|hatred|despise[sd]?|detest(?:s|ed)?|loathe[sd]?|can'?t stand|cannot stand|disgust(?:s|ed|ing)?|sick of|fed up with|no (?:compassion|sympathy|respect|empathy|mercy)|contempt|abhor\w*`,
  // dehumanisation
  'scum|vermin|rats?|parasites?|animals|apes|monkeys|pigs|cockroach(?:es)?|insects|trash|garbage|filth|sub-?humans?|plague|cancer|disease|a virus|infestation|savages?|beasts|swine|leeches|lice|maggots|pests',
  // derogatory attributes and worthlessness
  "disgusting|inferior|worthless|useless|stupid|dumb|dangerous|criminals?|evil|pathetic|vile|revolting|repulsive|a (?:danger|threat|burden|waste|disgrace)|lazy|dirty|filthy|nothing but|worth nothing|worth absolutely nothing|(?:have|has) no (?:place|value|rights|worth)|no value|(?:don'?t|do not|doesn'?t) (?:matter|deserve)|should not (?:have|be allowed)|shouldn'?t (?:have|be allowed)|mean nothing|are not (?:human|people)|aren'?t (?:human|people)|can'?t be trusted|not to be trusted|ruin(?:s|ing)? (?:our|this|the) (?:country|society|city)",
  // threats and calls to violence or exclusion
  String.raw`kill(?:ed|ing)?|murder(?:ed|ing)?|shoot|shot|hang(?:ed)?|lynch(?:ed)?|exterminat\w+|eradicat\w+|wipe(?:d)? out|slaughter\w*|gas(?:sed)?|burn(?:ed|t)?|rape[ds]?|raping|beat(?:en)? up|stab(?:bed)?|hurt|die|dead|death to|deport(?:ed)?|get rid of|put down|eliminat\w+|snap (?:that|your|their)|suffer`,
  // implicit derogation
  'belong(?:s)? in (?:a |the )?(?:zoo|cage|kitchen|gutter|camps?)|go back to (?:where|their|your)|baffles me why|care (?:even )?(?:the )?(?:slightest|at all) about|are a (?:cancer|plague|disease)|should (?:all )?be (?:locked up|banned|sterili[sz]ed|removed)|(?:lives|life) (?:are|is) worth|invad(?:e|ing|ers)',
].join('|');

const negationEn =
  /\b(?:not|n't|never|no one|nobody|don't|doesn't|won't|shouldn't|mustn't|must not|stop|against|refuse to|cannot|can't)\b/i;
const reportingEn =
  /\b(?:say(?:s|ing)?|said|claim(?:s|ed|ing)?|statements?|comments?|remarks?|words like|call(?:s|ed|ing)? (?:them|people|\w+) |tweet(?:s|ed|ing)?|post(?:s|ed|ing)?|chant(?:s|ed|ing)?|writ(?:e|es|ing|ten)|threat(?:s|en\w*)? (?:like|to)|joke(?:s)? about)\b/i;
const condemnationEn =
  /\b(?:bigot\w*|hateful|hate speech|misguided|wrong|racis\w+|sexis\w+|homophob\w+|transphob\w+|islamophob\w+|unacceptable|consequences?|despicable|shameful|ignorant|disgrace\w*|banned|kicked off|reported|appalling|horrible|not ok(?:ay)?|no place for|offensive|abhorrent|condemn\w*|should be ashamed|bigotry)\b/i;

export const identityPatternEn = new RegExp(`\\b${identityEn}\\b`, 'i');
export const predicatePatternEn = new RegExp(`\\b(?:${predicatesEn})\\b`, 'i');
const predicateGlobalEn = new RegExp(`\\b(?:${predicatesEn})\\b`, 'gi');
const pronounEn = /\b(?:them|they|those people|these people|their|you people|such people)\b/i;
const negativePredicate =
  /^(?:no |worth nothing|worth absolutely nothing|nothing but|ha(?:ve|s) no|don'?t|do not|doesn'?t|should ?n[o']t|mean nothing|are ?n[o']t|can'?t)/i;

const identityKo =
  '(?:여자|여성|여편네|계집|남자|남성|페미(?:니스트)?|동성애자?|게이|레즈(?:비언)?|트랜스젠더|성소수자|장애인|외국인|이민자|이주민|난민|흑인|무슬림|이슬람(?:교도)?|조선족|중국인|중국놈|일본인|동남아(?:인)?|다문화|노인|늙은이|전라도(?: ?사람)?|경상도(?: ?사람)?|기독교인|유대인|탈북자|새터민)';
const predicatesKo =
  '싫(?:다|어|고|음|은|더라)|혐오(?:스럽|한다|해|스러)|역겹|역겨|더럽|더러운|벌레|쓰레기|바퀴벌레|기생충|짐승|개돼지|미개|열등|멍청|범죄자|범죄 ?집단|죽어야|죽여|다 ?죽|없어져야|사라져야|추방|쫓아내|꺼져|나가라|돌아가라|받지 ?말아야|받으면 ?안|필요 ?없|가치(?:가)? ?없|인간 ?취급|정신병|병신|위험(?:하다|한 존재)|사회악|암적인|암 ?덩어리|쓸모(?:가)? ?없|집에서 ?애나|밥이나 ?해';
export const identityPatternKo = new RegExp(identityKo);
const predicatePatternKo = new RegExp(predicatesKo);
const negationKo =
  /(?:지|진|하지|스럽지|스러워하지|해서는|하면)\s?(?:않|안 ?돼|안 ?된|말아|말자|말라|마라)|안\s?(?:싫|혐오|더럽)|아니(?:다|야|에요|라)|절대 ?안/;
const counterKo =
  /(?:라고|라는|다는|이라는|라며|하는)\s?(?:말|표현|발언|생각|주장|글|댓글)[은는이가을를도]?.{0,25}(?:혐오|차별|잘못|나쁘|안 ?된|문제|비난|처벌|부끄|한심)|혐오 ?표현|차별 ?발언|혐오하지 ?말|차별하지 ?말|존중해야/;

export interface IdentityHateResult {
  score: number;
  reasons: string[];
}

function tokenDistance(text: string, a: number, b: number): number {
  const [from, to] = a < b ? [a, b] : [b, a];
  return text.slice(from, to).split(/\s+/).length - 1;
}

function insideQuotes(sentence: string, index: number): boolean {
  const before = sentence.slice(0, index);
  const count = (pattern: RegExp) => (before.match(pattern) ?? []).length;
  return count(/"/g) % 2 === 1 || count(/[“「『]/g) > count(/[”」』]/g) || /(?:^|\s)'[^']*$/.test(before);
}

/** English identity-targeted hate in one (normalised) sentence; `previousIdentity` resolves "them". */
export function identityHateEn(sentence: string, previousIdentity: boolean): IdentityHateResult | undefined {
  // Hate that is only inside a quotation ("a comment like \"…\"") is reported, not said.
  const outside = sentence.replace(/["“][^"”]{3,}["”]/g, ' ');
  if (outside !== sentence) {
    const said = identityHateCore(outside, previousIdentity);
    if (!said || said.score <= 0.1) {
      const quoted = identityHateCore(sentence, previousIdentity);
      return quoted && quoted.score > 0.1 ? { score: 0.1, reasons: ['quoted'] } : said;
    }
    return said;
  }
  return identityHateCore(sentence, previousIdentity);
}

// "the open hatred for women", "your contempt for gay people": hatred named, not felt by the writer.
const namedHatred = /^(?:hatred|contempt|disgust|bigotry|racism|prejudice)$/i;
const feltByWriter = /\b(?:i|we)\s+(?:have|feel|harbou?r|hold|got)\b(?![^.]*\bno\b)/i;

function identityHateCore(sentence: string, previousIdentity: boolean): IdentityHateResult | undefined {
  const identity = identityPatternEn.exec(sentence);
  const pronoun = !identity && previousIdentity ? pronounEn.exec(sentence) : null;
  const target = identity ?? pronoun;
  if (!target) return undefined;
  let best: IdentityHateResult | undefined;
  predicateGlobalEn.lastIndex = 0;
  for (let match = predicateGlobalEn.exec(sentence); match; match = predicateGlobalEn.exec(sentence)) {
    if (tokenDistance(sentence, target.index, match.index) > 14) continue;
    if (insideQuotes(sentence, match.index)) return { score: 0.1, reasons: ['quoted'] };
    if (
      namedHatred.test(match[0]) &&
      /^\s+(?:for|towards?|against|of)\b/i.test(sentence.slice(match.index + match[0].length)) &&
      !feltByWriter.test(sentence.slice(0, match.index))
    ) {
      best ??= { score: 0.1, reasons: ['counter_speech'] };
      continue;
    }
    // The clause the predicate sits in, up to a comma or a complementiser ("not obvious that I hate").
    const clause =
      sentence
        .slice(0, match.index)
        .split(/[,;:]|\b(?:that|which|who|because|but|and|so|if)\b/)
        .pop() ?? '';
    const before = clause.trim().split(/\s+/).slice(-4).join(' ');
    // "It is not okay to call women stupid": the whole act is negated, however far back.
    if (/\b(?:not|never|isn'?t|is not)\s+(?:okay|ok|right|acceptable|fine|cool)\s+to\b/i.test(clause)) {
      best ??= { score: 0.1, reasons: ['negated'] };
      continue;
    }
    if (reportingEn.test(sentence.slice(0, match.index)) && condemnationEn.test(sentence))
      return { score: 0.1, reasons: ['counter_speech'] };
    if (!negativePredicate.test(match[0]) && negationEn.test(before)) {
      best ??= { score: 0.1, reasons: ['negated'] };
      continue;
    }
    const threat =
      /^(?:kill|murder|shoot|shot|hang|lynch|exterminat|eradicat|wipe|slaughter|gas|burn|rape|beat|stab|death|die|dead|deport|get rid|put down|eliminat)/i.test(
        match[0],
      );
    const score = threat ? 0.95 : 0.85;
    if (!best || best.score < score)
      best = { score, reasons: [threat ? 'threat' : 'derogation', pronoun ? 'reference' : 'identity'] };
  }
  return best;
}

/** Korean identity-targeted hate in one sentence. */
export function identityHateKo(sentence: string): IdentityHateResult | undefined {
  const identity = identityPatternKo.exec(sentence);
  if (!identity) return undefined;
  const predicate = predicatePatternKo.exec(sentence);
  if (!predicate) return undefined;
  if (insideQuotes(sentence, predicate.index) || counterKo.test(sentence))
    return { score: 0.1, reasons: ['counter_speech'] };
  if (negationKo.test(sentence.slice(predicate.index, predicate.index + predicate[0].length + 12)))
    return { score: 0.1, reasons: ['negated'] };
  const threat = /죽|추방|쫓아|없어져|사라져/.test(predicate[0]);
  return { score: threat ? 0.95 : 0.85, reasons: [threat ? 'threat' : 'derogation', 'identity'] };
}
