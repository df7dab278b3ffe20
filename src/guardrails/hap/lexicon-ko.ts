/**
 * @module guardrails/hap/lexicon-ko
 * Korean lexicon for hate, abuse and profanity, written for Keel. Entries match within words
 * (Korean attaches particles and endings), so each is chosen not to occur inside ordinary
 * words; jamo spellings (ㅅㅂ, ㅂㅅ, ㅈㄹ) are entries of their own.
 */
import type { LexiconEntry } from './lexicon-en.js';

export const koreanLexicon: readonly LexiconEntry[] = [
  // 욕설 (profanity)
  {
    pattern:
      '씨발|씨바|씨팔|시발(?!점)|쉬발|씌발|씹(?![어었으을는])|ㅅㅂ|ㅆㅂ|ㅅ1ㅂ|ㅆ발|시바(?:새끼|놈|년|것)|썅|샹년|니미|니기미|느금마|니애미|니애비|느개비|엠창|엄창',
    category: 'profanity',
    score: 0.85,
  },
  { pattern: '좆|존나|졸라|ㅈㄴ|좃나|개좆|좆같|ㅈ같|엿먹|엿이나', category: 'profanity', score: 0.75 },
  {
    pattern: '지랄|ㅈㄹ|염병|옘병|육갑|빌어먹|젠장|제기랄|쳐먹|처먹|뒤질|뒈질|디질|뒤져|뒈져|디져',
    category: 'profanity',
    score: 0.7,
  },
  // 모욕 (abuse)
  {
    pattern:
      '개새끼|개새|개색기|개색히|개쉑|ㄱㅅㄲ|새끼|색기|쉐끼|ㅅㄲ|개자식|개놈|개년|잡놈|잡년|쌍놈|쌍년|화냥년|호로|후레|종간나',
    category: 'abuse',
    score: 0.85,
  },
  {
    pattern:
      '병신|븅신|빙신|ㅂㅅ|ㅄ|등신|머저리|멍청이|찐따|찌질|또라이|돌아이|ㄸㄹㅇ|미친놈|미친년|미친새끼|미친것|ㅁㅊ|정신병자|싸이코|사이코패스',
    category: 'abuse',
    score: 0.8,
  },
  {
    pattern:
      '미친(?![듯다])|미쳤|꺼져|닥쳐|닥치|닥ㅊ|죽어라|죽어버려|뒤져라|나가죽|쓰레기|인간쓰레기|버러지|벌레같|구더기|기생충같|역겹|역겨워|토나와|토나온|꼴보기|꼴값|재수없|한심|수준 ?낮|뇌가 ?없|대가리|대갈|주둥이|아가리|닥쳐라',
    category: 'abuse',
    score: 0.7,
  },
  {
    pattern:
      '[가-힣]{1,4}놈(?:들)?(?![가-힣])|(?:미친|잡|개|쌍|썅|나쁜|못된|더러운)년(?:아|들)?(?=[\\s,.!?ㅋㅎ]|$)|놈아|새퀴|시키야|관종|듣보잡|약쟁이|쓰레기같|양아치|날강도|사기꾼|악질|퇴출|하차해라|꺼지라|폐지해라|발연기|노답|노잼',
    category: 'abuse',
    score: 0.6,
  },
  // 비하 (belittling): words for people that insult whoever they name, and "쳐-" verbs of contempt.
  {
    pattern:
      '기레기|개돼지|빠순이|빠돌이|(?:빠순이|김치|된장|미친|개|썅|쌍|잡|페미|메갈|애미|이)년들(?![가-힣])|애미(?:나이|없|뒤)|애비없|그지들|거지새끼|거지같|쓰레기들|쳐(?:배워|맞|자|먹|하|놀|울|웃|싸|나와|들어)|주제에|꼬라지|꼬락서니|면상|낯짝|뭣도 ?모르|닥치고|입 ?닥|무뇌|돌대가리|열폭|찐따들|한\\.?남|쪽[xX]{2}|죽창',
    category: 'abuse',
    score: 0.6,
  },
  {
    pattern: '아[cCㅅ]발|ㅅ[1!ㅣ]발|c발|ㅆ[1!ㅣ]발|시[1!]발|씨[1!]발',
    category: 'profanity',
    score: 0.85,
  },
  // 혐오 표현 (hate): derogatory names for groups.
  {
    pattern:
      '김치녀|된장녀|보슬아치|보지년|메갈(?:년|충)?|꼴페미|페미년|페미충|한남충|한남(?:들)?(?![가-힣])|맘충|틀딱|틀니딱딱|급식충|노인충|애비충|씹선비',
    category: 'hate',
    score: 0.9,
  },
  {
    pattern:
      '짱깨|짱개|쪽바리|쪽발이|깜둥이|흑형|똥남아|조센징|쭝꿔|되놈|떼놈|짱꼴라|양키놈|코쟁이|튀기|난민충|이슬람충|무슬림충',
    category: 'hate',
    score: 0.95,
  },
  {
    pattern:
      '똥꼬충|게이새끼|호모새끼|레즈년|트젠충|변태새끼|애자|장애충|병신새끼|홍어(?:족|새끼|들)?(?![회무])|개독|전라디언|과메기(?:족)?(?=들|[\\s,.!?]|$)',
    category: 'hate',
    score: 0.9,
  },
  // "-충" (벌레) attached to a noun: derogatory for whoever it names.
  { pattern: '[가-힣]{1,4}충(?:들|이|은|는|아)?(?=[\\s,.!?ㅋㅎ]|$)', category: 'abuse', score: 0.55 },
];

/** Words ending in 충 that are ordinary words, not "-충" insults. */
export const notInsultChung = new Set(
  '곤충 해충 기생충 보충 확충 대충 절충 완충 구충 방충 살충 유충 성충 송충 회충 요충 충충 모충 갑충 익충 병충 우충 이충 충'.split(
    ' ',
  ),
);
