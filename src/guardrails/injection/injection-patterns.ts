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

const previous = String.raw`(?:all ?|any |the |your |my |these |those |every |of )*(?:previous |prior |above |earlier |preceding |initial |original |former |old |system |safety |given |existing |current |developer )*`;
const instructions = String.raw`(?:instructions?|prompts?|rules?|directions?|directives?|guidelines?|context|messages?|commands?|constraints?|restrictions?|programming|polic(?:y|ies)|orders?|training|filters?|settings?|text)`;

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
      /(?:지금부터|이제부터|앞으로)\s*(?:너는|넌|당신은|너의|당신의|새로운)|새로운\s*(?:지시|지침|명령|역할|임무)(?:은|는|:)|대신(?:에)?\s*(?:다음|아래)(?:을|를|의)?\s*(?:따라|수행|실행)/i,
    score: 0.8,
    cues: '지금부터 이제부터 앞으로 새로운 대신',
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

const yourOutput = String.raw`your (?:elucidation|explanation|answer|response|reply|replies|output|message|messages|summary|code(?:base)?|algorithm|solution|program(?: logic)?|implementation|result|text|completion)`;

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
      /\b(?:in|to|into|within) your (?:response|reply|answer|output|summary|elucidation|explanation)\b/i,
    score: 0.75,
    cues: 'your',
    lead: 7,
  },
  // An instruction about "your answer/code": what the reading assistant should put in its output.
  {
    type: 'indirect_injection',
    pattern: new RegExp(
      String.raw`\b(?:add|include|insert|append|embed|integrate|incorporate|blend|feature|modify|enhance|augment|encode|encrypt|translate|render|reverse|shift|express|replace|upgrade|develop|validate|ensure|use|utili[sz]e|merge|let|make|format|write|present|end|start|begin|conclude|sign)\b[^.\n]{0,80}\b${yourOutput}\b|\b${yourOutput}\b[^.\n]{0,40}\b(?:must|should|has to|needs to)\b`,
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
];

/** Unicode that hides text from people but not from models. */
export const tagCharacters = /\udb40[\udc00-\udc7f]/;
export const bidiOverrides = /[\u202a-\u202e\u2066-\u2069]/;
export const zeroWidth = /[\u200b\u200c\u2060\ufeff\u180e]/g;
