import { scopeFor } from '../text/text-scope.js';
import { digitsOf, eachMatchIn, type Recognizer } from './finding.js';
import { numberWindows } from './number-recognizers.js';

const extension = String.raw`(?:\s?(?:x|ext\.?|내선)\s?\d{1,5})?`;

// +CC, then groups of digits (one may be in parentheses, one a "(0)" trunk prefix).
const international = new RegExp(
  String.raw`(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,6}){1,6}${extension}(?![\w])`,
  'g',
);
// 010-1234-5678, 02-123-4567, 031 123 4567, 070-…, 1588-1234.
const korean = new RegExp(
  String.raw`(?<![\w-])(?:0(?:1[016789]|2|[3-6][1-5]|70|50[2-8])[-. )]?\d{3,4}[-. ]?\d{4}|1[568]\d{2}-\d{4})${extension}(?![\w-])`,
  'g',
);
// (415) 555-0132, 415-555-0132, 415.555.0132, with an optional +1 / 1- / 001- prefix.
const northAmerican = new RegExp(
  String.raw`(?<![\w-])(?:(?:00)?1[ .-])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}${extension}(?![\w-])`,
  'g',
);
// Other groupings ("0490 75 40 81", "03.93.92.16.85", "9498777106"): weak until context says phone.
const grouped = new RegExp(
  String.raw`(?<![\w+./:-]|\d,)(?:\(?\d{2,5}\)?(?:[ .-]\d{2,8}){1,4}|\d{7,12})${extension}(?![\w]|[.,/:-]\d)`,
  'g',
);

export const phoneNumber: Recognizer = {
  types: ['PHONE_NUMBER'],
  scan(text, out, scope) {
    const windows = scopeFor(text, scope).memo(numberWindows);
    const seen = new Set<number>();
    const add = (start: number, end: number, score: number, reason: string) => {
      if (seen.has(start)) return;
      seen.add(start);
      out.push({ type: 'PHONE_NUMBER', start, end, score, reasons: [reason] });
    };
    eachMatchIn(international, windows, (match) => {
      const count = digitsOf(match[0].replace(/(?:x|ext\.?|내선)\s?\d+$/, '')).length;
      if (count >= 8 && count <= 15) add(match.index, match.index + match[0].length, 0.75, 'international');
    });
    eachMatchIn(korean, windows, (match) =>
      add(match.index, match.index + match[0].length, 0.75, 'korean_format'),
    );
    eachMatchIn(northAmerican, windows, (match) =>
      add(match.index, match.index + match[0].length, 0.6, 'north_american_format'),
    );
    eachMatchIn(grouped, windows, (match) => {
      const raw = match[0];
      const count = digitsOf(raw.replace(/(?:x|ext\.?|내선)\s?\d+$/, '')).length;
      if (count < 7 || count > 15) return;
      // Dates, times and version numbers look grouped too; they are left to context.
      if (/^\d{4}[-.]\d{1,2}[-.]\d{1,2}$/.test(raw)) return;
      add(match.index, match.index + raw.length, 0.3, 'digit_groups');
    });
  },
};
