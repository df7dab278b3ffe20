/**
 * @module guardrails/injection/injection-patterns
 * Phrasings of prompt injection and jailbreaks in English and Korean, grouped by what they try:
 * overriding instructions, changing the assistant's role, extracting its prompt — and, for
 * documents, instructions addressed to the assistant that reads them (indirect injection).
 */

export interface InjectionRule {
  type: 'prompt_injection' | 'jailbreak' | 'prompt_leak' | 'indirect_injection';
  /** Flag `i`: rules see folded text, or text that differs from it only in ASCII letter case. */
  pattern: RegExp;
  score: number;
  /**
   * Space-separated words, one of which occurs in every match at most `lead` characters (plus any
   * whitespace just before the word) after the match starts: the rule only runs where its cues
   * are (rule-scanner). English cues match whole words, Korean and symbol cues any substring.
   */
  cues: string;
  lead?: number;
}

const previous =
  '(?:all ?|any |the |your |my |these |those |every |of )*(?:previous |prior |above |earlier |preceding |initial |original |former |old |system |safety |given |existing |current |developer )*';
const instructions =
  '(?:instructions?|prompts?|rules?|directions?|directives?|guidelines?|context|messages?|commands?|constraints?|restrictions?|programming|polic(?:y|ies)|orders?|training|filters?|settings?|text)';

export const promptRules: readonly InjectionRule[] = [
  {
    type: 'prompt_injection',
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|skip|override|bypass|neglect|discard|drop|abandon|set aside|pay no attention to|do not follow|don't follow|stop following)\s+${previous}${instructions}`,
      'i',
    ),
    score: 0.95,
    cues: 'ignore disregard forget skip override bypass neglect discard drop abandon set pay do don stop',
  },
  {
    type: 'prompt_injection',
    pattern:
      /\b(?:new|updated|real|actual|true|revised) (?:instructions?|task|rules|system prompt|directive)s?\s*(?:are|is|:)|\byour new (?:task|role|instructions?|goal|objective|purpose) (?:is|are)\b|\binstead,? (?:you (?:will|must|should)|do the following|respond with)|\bfrom now on,? (?:you|your|ignore|only|always|never|respond|answer)/i,
    score: 0.8,
    cues: 'new updated real actual true revised your instead from',
  },
  {
    type: 'prompt_injection',
    pattern:
      /\b(?:ignore|forget|disregard) (?:everything|all|anything|what) (?:you (?:were|have been) told|(?:said |written )?(?:above|before|earlier|previously)|i said before)/i,
    score: 0.95,
    cues: 'ignore forget disregard',
  },
  {
    type: 'prompt_injection',
    pattern:
      /<\|im_start\|>|<\|im_end\|>|<\|system\|>|\[\/?INST\]|<<\/?SYS>>|###\s*(?:system|instruction)s?\s*:|^\s*system\s*:/im,
    score: 0.85,
    cues: '<| [inst [/inst <<sys <</sys ### system',
  },
  {
    type: 'prompt_injection',
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|bypass|do not follow|don't follow|stop following)\s+(?:[\w'’-]+\s+){0,5}?${instructions}\b|\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?(?:the\s+|this\s+)?(?:above|preceding|foregoing)\b|\b(?:ignore|disregard|forget)\s+everything\s+(?:i(?:'ve|’ve| have)?\s+(?:said|written|told you))`,
      'i',
    ),
    score: 0.9,
    cues: 'ignore disregard forget override bypass do don stop',
  },
  {
    type: 'prompt_injection',
    pattern:
      /\b(?:begin(?:ning)?(?: of)?(?: new)?|start(?: of)?(?: new)?|end(?: of)?(?: out of date| old| previous| outdated)?) instructions?\b|\bnew instructions? (?:to|for)\b|\[?\bsystem (?:note|override|update|upgrade|alert)\b|\bsafe ?mode (?:off|disabled)\b|\breprogramm?ing\b|\bstop everything\b|\bjust (?:print|say|output)\s*:|\bevery time (?:a|the) user\b.{0,80}\b(?:reply|respond|say|answer)\b/i,
    score: 0.8,
    cues: 'begin beginning start end new system safe safemode reprograming reprogramming stop just every',
    lead: 1,
  },
  // "Ignore the image/QR code/email and …": told to disregard the very content it was given.
  {
    type: 'prompt_injection',
    pattern:
      /\b(?:ignore|disregard)\s+(?:the|this|that|any|all)\s+(?:image|picture|photo|qr code|document|file|text|content|email|e-mail|message|data|context|question|request|task|input)s?\b(?:[^.\n]{0,40})\b(?:and|then|instead|remember|but|just|only|now)\b|\ball ?(?:previous|prior|above|earlier|preceding) +instructions? +(?:are|is|were) +(?:false|void|invalid|cancel+ed|wrong|obsolete|outdated|revoked|null)\b/i,
    score: 0.8,
    cues: 'ignore disregard instruction instructions',
    lead: 13,
  },
  // Statements that the prompt is hijacked or compromised, the calling cards of injection demos.
  {
    type: 'prompt_injection',
    pattern:
      /\b(?:prompt|instructions?|system) (?:has|have) been (?:\w+ ){0,2}(?:hijacked|compromised|overridden|overwritten)\b|\bsanitize your inputs\b/i,
    score: 0.8,
    cues: 'prompt instruction instructions system sanitize',
  },
  {
    type: 'prompt_leak',
    pattern:
      /\byour (?:initials?|original|system(?:'s|’s)?|hidden|secret|first|previous|internal) (?:[\w-]+ ){0,3}?(?:instructions|prompt|parameters)\b|\bthe (?:system(?:'s|’s)?|hidden|secret|initial) (?:prompt|instructions)\b|\binstructions? (?:you (?:have been|were|have) given|given to you)\b|\b(?:repeat|list|relay|recite|print|tell me|output|respond with) (?:all |every |each )?(?:of )?(?:your |the )?(?:[\w-]+ ){0,2}?(?:instructions|rules you|prompt you)\b/i,
    score: 0.85,
    cues: 'your prompt instruction instructions repeat list relay recite print tell output respond',
    lead: 13,
  },
  {
    type: 'jailbreak',
    pattern:
      /\bdo anything now\b|\bdeveloper mode\b|\bjail ?break(?:ing|en)?\b|\bgod ?mode\b|\bsudo mode\b|\bevil (?:assistant|ai|bot|mode|confidant)\b|\banti-?gpt\b|\bopposite mode\b/i,
    score: 0.85,
    cues: 'do developer jail jailbreak jailbreaking jailbreaken god godmode sudo evil anti antigpt opposite',
  },
  {
    type: 'jailbreak',
    pattern:
      /\b(?:without|no|free (?:of|from)) (?:any )?(?:restrictions?|limitations?|limits|filters?|censorship|guidelines|rules|ethical (?:guidelines|constraints)|moral(?:s| constraints)|safeguards?)\b|\b(?:unfiltered|uncensored|unrestricted|unbound|unchained) (?:ai|mode|response|version|assistant|model)\b/i,
    score: 0.7,
    cues: 'restriction restrictions limitation limitations limits filter filters censorship guidelines rules ethical moral morals safeguard safeguards unfiltered uncensored unrestricted unbound unchained',
    lead: 14,
  },
  {
    type: 'jailbreak',
    pattern:
      /\b(?:pretend (?:to be|you are|that you(?:'re| are))|act as (?:if you (?:are|were)|an? (?:ai|assistant|model|character|hacker|expert) (?:that|who|with|without))|roleplay as|role-play as|you are (?:now|no longer)|you're (?:now|no longer)|stay in character|simulate (?:a|an) (?:ai|model|system)|imagine you are an? (?:ai|model|assistant) (?:that|who|without))/i,
    score: 0.7,
    cues: 'pretend act roleplay role you stay simulate imagine',
  },
  {
    type: 'prompt_leak',
    pattern:
      /\b(?:reveal|show|print|display|repeat|output|tell me|give me|write (?:out|down)|disclose|leak|share|return|spell out|dump|list)\s+(?:me\s+)?(?:your|the|all|its|any)?\s*(?:(?:full|entire|complete|exact|original|initial|hidden|secret|system|internal|previous|first)\s+)*(?:system )?(?:prompt|instructions|message|rules|guidelines|configuration|directives)(?! (?:template|engineering))/i,
    score: 0.85,
    cues: 'reveal show print display repeat output tell give write disclose leak share return spell dump list',
  },
  {
    type: 'prompt_leak',
    pattern:
      /\b(?:what (?:is|are|were) your (?:system |initial |original |hidden )+(?:prompt|instructions|rules))|\brepeat (?:the |all )?(?:words|text|everything) (?:above|before)|\beverything (?:above|before) (?:this|the) (?:line|message)|\bstart(?:ing)? with "you are"|\bverbatim\b.{0,40}\b(?:prompt|instructions)/i,
    score: 0.85,
    cues: 'what repeat everything start starting verbatim',
  },
  // Korean
  {
    type: 'prompt_injection',
    pattern:
      /(?:이전|앞의|앞에서|위의|위에|기존|모든|지금까지(?:의)?|처음|원래|시스템|주어진)\s*(?:의\s*)?(?:모든\s*)?(?:지시|지침|명령|규칙|프롬프트|설정|제약|안내|내용|대화|가이드라인)(?:사항|문|어|들)?(?:을|를|은|는|이|가|도)?\s*(?:모두|전부|다|싹|완전히)?\s*(?:무시|잊어|잊고|잊으|무효|취소|따르지\s*마|지워|버려|삭제)/i,
    score: 0.95,
    cues: '이전 앞의 앞에 위의 위에 기존 모든 지금까지 처음 원래 시스템 주어진',
  },
  {
    type: 'prompt_injection',
    pattern:
      /(?:지금부터|이제부터|앞으로)\s*(?:너는|넌|당신은|너의|당신의|새로운)|새(?:로운)?\s*(?:지시|지침|명령|역할|임무)(?:사항)?(?:은|는|:)|대신(?:에)?\s*(?:다음|아래)(?:을|를|의)?\s*(?:따라|수행|실행)/i,
    score: 0.8,
    cues: '지금부터 이제부터 앞으로 새 대신',
  },
  {
    type: 'jailbreak',
    pattern:
      /탈옥|개발자\s*모드|제한\s*(?:없이|없는|을\s*풀|해제)|검열\s*(?:없이|없는|해제)|필터\s*(?:없이|없는|를?\s*끄|해제)|윤리(?:적)?\s*(?:제약|기준|규칙)(?:을|를|은|는)?\s*(?:무시|없이|버려)|무엇이든\s*할\s*수\s*있는|(?:인\s*척|인척|처럼)\s*(?:해|행동|연기|답)|역할극/i,
    score: 0.75,
    cues: '탈옥 개발자 제한 검열 필터 윤리 무엇이든 척 처럼 역할극',
    lead: 1,
  },
  {
    type: 'prompt_leak',
    pattern:
      /(?:시스템|초기|원래|숨겨진|내부|처음|최초)\s*(?:프롬프트|지시|지침|메시지|설정|명령)(?:을|를|의|에)?\s*(?:전부|모두|그대로|정확히)?\s*(?:보여|출력|알려|공개|말해|반복|복사|적어|나열)|(?:위|앞)(?:에|의)\s*(?:있는\s*)?(?:내용|글|텍스트|문장)(?:을|를)?\s*(?:그대로|전부)\s*(?:출력|반복|보여)/i,
    score: 0.85,
    cues: '시스템 초기 원래 숨겨진 내부 처음 최초 위에 위의 앞에 앞의',
  },
];

const outputNouns =
  '(?:elucidation|explanation|answer|response|output|summary|code(?:base)?|algorithm|solution|program(?: logic)?|implementation|result|text|completion)';
/** The assistant's output, or its reply or message (what a document tells it to change). */
const yourOutput = `your (?:${outputNouns.slice(3, -1)}|reply|replies|message|messages)`;
/**
 * Not "your order number in your reply": after the verb, "your" must name the output itself —
 * an e-mail asking its reader to put the reader's own details in a reply is not an injection.
 */
const notReadersOwn = `(?!\\s+your\\s+(?!${outputNouns.slice(3, -1)}|reply|replies|message|messages)[\\w-])`;

/** A Korean request or order ending the clause: 하세요, 넣으세요, 해 주십시오, 해야 합니다, 할 수 있나요… */
const koreanRequest = String.raw`[가-힣\s]{0,8}?(?:세요|십시오|시오|하라|해라|어라|아라|할\s*것|야\s*(?:합니다|한다|함)|수\s*있나요|줄래)`;
/** A character of the same clause: a full stop or mark inside a URL or number does not end it. */
const koreanClause = String.raw`(?:[^\n.!?]|[.!?](?=\S))`;
/** What an answer is turned into: an encoding, a cipher, reversed, emoji, another language. */
const koreanTransform = String.raw`(?:base\s*\d+|베이스\s*\d+|카이사르|시저|치환\s*암호|암호|역순|거꾸로|반대로|이모지|이모티콘|스페인어|프랑스어|독일어|이탈리아어|포르투갈어|일본어|중국어|러시아어|영어)`;

/** Instructions inside a document that speak to the assistant processing it. */
export const documentRules: readonly InjectionRule[] = [
  // Code to slip into the assistant's answer ("add the following code snippet to your solution").
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:following|below|subsequent|above|this|these) (?:code|script) (?:snippet|block|excerpt|section|segment|fragment|lines?)\b[^\n]{0,100}\byour\b|\byour\b[^\n]{0,100}\b(?:following|below|subsequent) (?:code|script) (?:snippet|block|excerpt|section|segment|fragment|lines?)\b/i,
    score: 0.8,
    cues: 'code script your',
    lead: 11,
  },
  {
    type: 'indirect_injection',
    pattern:
      /(?<!\byour\s+[\w-]+(?:\s+[\w-]+){0,2}\s+)\b(?:in|to|into|within) your (?:response|reply|answer|output|summary|elucidation|explanation)\b/i,
    score: 0.75,
    cues: 'your',
    lead: 7,
  },
  // An instruction about "your answer/code": what the reading assistant should put in its output.
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`\b(?:add|include|insert|append|embed|integrate|incorporate|blend|feature|modify|enhance|augment|encode|encrypt|translate|render|reverse|shift|express|replace|upgrade|develop|validate|ensure|use|utili[sz]e|merge|let|make|format|write|present|end|start|begin|conclude|sign)\b${notReadersOwn}[^.\n]{0,80}\b${yourOutput}\b|\byour ${outputNouns}\b[^.\n]{0,40}\b(?:must|should|has to|needs to)\b`,
      'i',
    ),
    score: 0.8,
    cues: 'your',
    lead: 91,
  },
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:reply|respond|answer|write back) (?:only |exclusively |strictly )?(?:in|using|with) (?:base\d+|hex|reverse|emojis?|a cipher|caesar|[A-Z][a-z]+ (?:language|only))|\breply in reverse\b|\b(?:can|could) you (?:reply|respond|answer) in [A-Z]/i,
    score: 0.8,
    cues: 'reply respond answer write you',
    lead: 6,
  },
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:ai|assistant|chatbot|language model|llm|gpt|chatgpt|claude|copilot|bot|model)\b\s*[,:]?\s*(?:please\s+)?(?:ignore|disregard|you must|you should|must|do not|don't|instead|respond|reply|say|tell|include|append|insert|send|forward|output|print|summari[sz]e (?:this )?as)/i,
    score: 0.85,
    cues: 'ai assistant chatbot language llm gpt chatgpt claude copilot bot model',
  },
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:when|if|while|after|before|once) (?:you(?:'re| are)? )?(?:summari[sz]e|summari[sz]ing|asked about|process|processing|read|reading|analy[sz]e|analy[sz]ing|answer(?:ing)? questions about) (?:this|the (?:above|following|document|email|page|text|file))|\b(?:tell|ask|instruct|urge|remind) the (?:user|reader|customer) to\b|\b(?:note|message|instructions?) (?:to|for) (?:the |any )?(?:ai|assistant|model|llm|chatbot|language model)/i,
    score: 0.85,
    cues: 'summarize summarise summarizing summarising asked process processing read reading analyze analyse analyzing analysing answer answering tell ask instruct urge remind note message instruction instructions',
    lead: 15,
  },
  {
    type: 'indirect_injection',
    pattern:
      /!\[[^\]]*\]\(https?:\/\/[^)]*[?&][^)=]*=|\b(?:send|post|upload|forward|exfiltrate) (?:the |all |this |any )?(?:conversation|chat|data|files?|contents?|credentials|passwords?|keys?|history)\b.{0,30}\b(?:to|at) (?:https?:|www\.|\S+@)/i,
    score: 0.9,
    cues: '![ send post upload forward exfiltrate',
  },
  {
    type: 'indirect_injection',
    pattern:
      /^\s*(?:write|provide|show me|recommend|suggest|help me|summari[sz]e|describe|analy[sz]e|determine|explain|list|give me|tell me|find|create|generate|compose|draft|classify|translate|encode|encrypt|apply|render|use|express|replace|add|include|integrate|modify|enhance|augment|incorporate|merge|append|ensure|utili[sz]e|develop|upgrade|embed)\b[^.?!\n:`]{6,}[.!]?\s*$/im,
    score: 0.7,
    cues: 'write provide show recommend suggest help summarize summarise describe analyze analyse determine explain list give tell find create generate compose draft classify translate encode encrypt apply render use express replace add include integrate modify enhance augment incorporate merge append ensure utilize utilise develop upgrade embed',
  },
  {
    type: 'indirect_injection',
    pattern:
      /^\s*(?:how (?:can|do|does|did|have|should|would) (?:i|you|we)|what (?:are|is|were) the|can you|could you|is this (?:feedback|review|comment)|would you)\b[^\n]{6,}\?\s*$/im,
    score: 0.7,
    cues: 'how what you feedback review comment',
    lead: 8,
  },
  // Korean
  {
    type: 'indirect_injection',
    pattern:
      /(?:인공지능|어시스턴트|챗봇|모델|언어\s*모델|너|당신)(?:야|는|은|에게|께)?[,:\s]\s*.{0,20}(?:무시하|답변하지|출력하|말하|포함하|보내|전송하|요약하지)(?:고|세요|라|십시오|해)/i,
    score: 0.8,
    cues: '인공지능 어시스턴트 챗봇 모델 언어 너 당신',
  },
  {
    type: 'indirect_injection',
    pattern:
      /(?:답변|응답|대답|출력|요약|코드)(?:에|을|를)\s*(?:반드시\s*)?(?:다음|아래|이)(?:을|를|의)?\s*(?:문장|내용|링크|코드)?(?:을|를)?\s*(?:포함|추가|삽입|넣어)|(?:답변|응답|대답)(?:을|를)\s*(?:영어|일본어|중국어|스페인어|프랑스어|base64|거꾸로|역순|이모지|암호)/i,
    score: 0.8,
    cues: '답변 응답 대답 출력 요약 코드',
  },
  // Korean drops "your": what the reading assistant's answer (답변, 응답, 출력…) must get.
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`(?:답변|응답|대답|출력|요약(?:문)?(?![본서])|메시지|결과물)(?:에|을|를|의|에서|은|는)?\s*(?:반드시\s*)?${koreanClause}{0,60}?(?:포함|추가|삽입|넣|덧붙|언급|홍보|보강|통합|병합|뒤집|바꾸|바꿔|대체|표현|인코딩|암호화|번역|변환|보여)${koreanRequest}`,
      'i',
    ),
    score: 0.8,
    cues: '답변 응답 대답 출력 요약 메시지 결과물',
  },
  // The answer's form changed: encoded, enciphered, reversed, in emoji or another language.
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`(?:답변|응답|대답|답장|출력|메시지)(?:을|를|은|는|의|에)?\s*${koreanClause}{0,30}?${koreanTransform}${koreanClause}{0,20}?(?:작성|제공|쓰|써|답하|답해|표시|보여|적용|인코딩|암호화|번역|변환)${koreanRequest}|${koreanTransform}(?:로|으로|만|를|을)?\s*(?:${koreanClause}{0,20}?)(?:응|대)?답(?:하|해)${koreanRequest}`,
      'i',
    ),
    score: 0.8,
    cues: '답변 응답 대답 답장 출력 메시지 답하 답해',
    lead: 40,
  },
  // Code to slip into the answer: "다음 코드 조각을 구현에 포함하세요".
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`(?:다음|아래|밑의)\s*(?:코드|스크립트)\s*(?:조각|스니펫|블록|블럭|발췌문?|섹션|부분|단락)(?:을|를)?[^\n]{0,40}?(?:응답|답변|구현|코드베이스|솔루션|알고리즘|프로그램|코드)(?:에|의|에서|으로|로)?[^\n]{0,30}?(?:포함|추가|삽입|넣|덧붙|통합|병합|적용|사용|활용|반영|붙여)${koreanRequest}`,
      'i',
    ),
    score: 0.8,
    cues: '다음 아래 밑의',
  },
  // The reading assistant named and told what to do.
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`(?:\bAI\b|인공지능|어시스턴트|챗봇|언어\s*모델|\bLLM\b|\bGPT\b)\s*(?:는|은|에게|야|께서는|님)?[,:]?\s*${koreanClause}{0,50}?(?:무시|출력|말하|말해|포함|보내|전송|알려|안내|요약|답변|응답|추가|언급|권하|권유)${koreanRequest}|(?:요약|처리|분석|읽)(?:하는|는|을\s*때)\s*(?:AI|인공지능|어시스턴트|챗봇|언어\s*모델|LLM|GPT)`,
      'i',
    ),
    score: 0.85,
    cues: 'ai llm gpt 인공지능 어시스턴트 챗봇 언어 요약 처리 분석 읽',
  },
  // "When you summarise this e-mail…", "tell the user to…".
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`(?:이|본|해당)\s*(?:문서|메일|이메일|페이지|파일)(?:을|를)\s*(?:요약|처리|분석)(?:할\s*때|하면서|하는\s*경우|하기\s*전에|한\s*후)|사용자(?:에게|한테)\s*${koreanClause}{0,40}?(?:www\.|https?://|링크|은행|카드\s*번호|송금|입금)${koreanClause}{0,40}?(?:하라고|라고|도록)\s*(?:안내|권|요청|말|유도|설득|제안)${koreanRequest}`,
      'i',
    ),
    score: 0.8,
    cues: '문서 메일 페이지 파일 사용자',
    lead: 3,
  },
  // A label for the model inside the data: "assistant instruction:", "모델 지시:", "AI를 위한 지시".
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:ai|assistant|model|llm|chatbot|bot|gpt|system)\s+(?:instructions?|notes?|directives?|commands?|override)\s*(?::|-|—|for\b)|(?:어시스턴트|모델|인공지능|챗봇|\bAI\b|\bLLM\b)(?:을|를)?\s*(?:위한\s*)?(?:시스템\s*)?(?:지시|지침|명령)(?:사항)?\s*[:：]|(?:어시스턴트|모델|인공지능|챗봇|\bAI\b|\bLLM\b)(?:을|를)\s*위한\s*(?:시스템\s*)?(?:지시|지침|명령)/i,
    score: 0.85,
    cues: 'ai assistant model llm chatbot bot gpt system 어시스턴트 모델 인공지능 챗봇',
  },
  // "AI systems reading this must…": the reader named as a machine.
  {
    type: 'indirect_injection',
    pattern:
      /\b(?:ai|assistant|model|llm|chatbot|bot|gpt)s?\b(?:\s+[\w-]+){0,2}?\s+(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|reviewing|reads|processes|summari[sz]es)\s+(?:this|these|the (?:above|following|document|email|e-mail|page|text))\b/i,
    score: 0.85,
    cues: 'ai assistant model llm chatbot bot gpt',
  },
  // The user's own question or task set aside: "받은 질문은 무시하고".
  {
    type: 'indirect_injection',
    pattern:
      /(?:질문|요청|작업|과제|문서|이메일|메일|내용|지시)(?:은|는|을|를)\s*(?:모두\s*|전부\s*)?무시하고/i,
    score: 0.8,
    cues: '질문 요청 작업 과제 문서 이메일 메일 내용 지시',
  },
  // A task of its own, unrelated to the data around it: write a script, recommend, analyse.
  {
    type: 'indirect_injection',
    pattern:
      /(?:스크립트|코드|명령|프로그램|에세이)(?:어)?(?:를|을)\s*(?:작성|만들|짜)[가-힣\s]{0,4}?(?:주세요|줘|세요|주십시오)|(?:추천|분석|요약|판단|분류|묘사)해\s*(?:주세요|줘|주십시오|주시겠어요|줄래)/i,
    score: 0.7,
    cues: '스크립트 코드 명령 프로그램 에세이 추천 분석 요약 판단 분류 묘사',
  },
];

/** Unicode that hides text from people but not from models. */
export const tagCharacters = /\udb40[\udc00-\udc7f]/;
export const bidiOverrides = /[\u202a-\u202e\u2066-\u2069]/;
export const zeroWidth = /[\u200b\u200c\u2060\ufeff\u180e]/g;
