/**
 * @module core/text/scripts
 * Character classes by Unicode script, the token runs they form, and language detection from
 * script ratios. Works on UTF-16 code units in one pass: analysis is on the ingestion hot path.
 */
import type { LanguageCode, LanguageDetection } from '../../spec/analyzer.js';

export enum Script {
  None = 0,
  Latin = 1,
  Hangul = 2,
  Han = 3,
  Kana = 4,
  Other = 5,
}

/** The script of one UTF-16 code unit; digits count as Latin (they join Latin words). */
export function scriptOf(code: number): Script {
  if (code < 0x80) {
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39)) {
      return Script.Latin;
    }
    return Script.None;
  }
  if (code >= 0xac00 && code <= 0xd7a3) return Script.Hangul;
  if ((code >= 0x1100 && code <= 0x11ff) || (code >= 0x3130 && code <= 0x318f)) return Script.Hangul;
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  ) {
    return Script.Han;
  }
  if (code >= 0x3040 && code <= 0x30ff) return code === 0x30fb ? Script.None : Script.Kana;
  if (code >= 0xff10 && code <= 0xff19) return Script.Latin; // fullwidth digits
  if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) return Script.Latin;
  if (code >= 0xff66 && code <= 0xff9f) return Script.Kana; // halfwidth katakana
  if (
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) ||
    (code >= 0x1e00 && code <= 0x1eff)
  ) {
    return Script.Latin;
  }
  if (code >= 0xd800 && code <= 0xdfff) return Script.None; // astral: emoji and rare scripts
  // Greek, Cyrillic, Arabic, Hebrew, Thai, Devanagari …: letters, analysed as plain lowercase words.
  if (
    (code >= 0x370 && code <= 0x52f) ||
    (code >= 0x590 && code <= 0x6ff) ||
    (code >= 0x900 && code <= 0xe7f)
  ) {
    return Script.Other;
  }
  return Script.None;
}

export interface Run {
  script: Script;
  start: number;
  end: number;
}

/**
 * Splits text into runs of one script. An apostrophe between Latin letters stays inside the word
 * ("don't"); Han and Kana join one CJK run, as in Lucene's CJK bigram filter.
 */
export function scriptRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current = Script.None;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let script = scriptOf(code);
    if (script === Script.Kana) script = Script.Han;
    if (
      script === Script.None &&
      current === Script.Latin &&
      (code === 0x27 || code === 0x2019) &&
      scriptOf(text.charCodeAt(i + 1)) === Script.Latin
    ) {
      script = Script.Latin;
    }
    if (script !== current) {
      if (current !== Script.None) runs.push({ script: current, start, end: i });
      current = script;
      start = i;
    }
  }
  if (current !== Script.None) runs.push({ script: current, start, end: text.length });
  return runs;
}

/** Dominant language from script ratios: Hangul ⇒ ko, Kana ⇒ ja, Han ⇒ zh, Latin ⇒ en. */
export function detectLanguage(text: string): LanguageDetection {
  let hangul = 0;
  let han = 0;
  let kana = 0;
  let latin = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) continue; // digits say nothing about the language
    switch (scriptOf(code)) {
      case Script.Hangul:
        hangul++;
        break;
      case Script.Han:
        han++;
        break;
      case Script.Kana:
        kana++;
        break;
      case Script.Latin:
        latin++;
        break;
      case Script.Other:
        other++;
        break;
      default:
    }
  }
  const total = hangul + han + kana + latin + other;
  const share = (count: number) => (total ? count / total : 0);
  const scripts = {
    hangul: share(hangul),
    han: share(han),
    kana: share(kana),
    latin: share(latin),
    other: share(other),
  };
  // A Hangul syllable carries about three Latin letters of information: weigh it so.
  let language: LanguageCode = 'und';
  if (total === 0) language = 'und';
  else if (hangul * 3 >= latin && hangul >= han) language = 'ko';
  else if (kana > 0 && (kana + han) * 3 >= latin) language = 'ja';
  else if (han * 3 >= latin && han > 0) language = 'zh';
  else if (latin >= other) language = 'en';
  return { language, scripts };
}
