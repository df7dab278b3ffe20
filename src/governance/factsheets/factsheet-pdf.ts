/**
 * @module governance/factsheets/factsheet-pdf
 * A factsheet as PDF (pdf-lib): the Markdown export's lines set in one font on A4 pages. Korean
 * needs a font with Hangul glyphs, which no npm package ships: the font is a TrueType/OpenType
 * file named by the configuration (`factsheets.font`, or `KEEL_FACTSHEET_FONT`), else the first
 * file of `factsheets.fontSearchPaths` (common Nanum, Noto and system locations) that has Hangul.
 * When the factsheet holds Korean text and no such font is found, the export fails with
 * `font_unavailable` rather than writing a PDF with the Korean shown as "?". A factsheet without
 * Korean text is written in the standard Helvetica font when no font is found.
 */
import { existsSync, readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import type { Factsheet } from '../../api/factsheets.js';
import { defaultFactsheetFontPaths } from '../../core/config.js';
import { KeelError } from '../../core/errors.js';
import { type FactsheetLanguage, factsheetMarkdown } from './factsheet-markdown.js';

/** Where fonts with Hangul usually are (the configuration's default search list). */
export const HANGUL_FONT_CANDIDATES: readonly string[] = defaultFactsheetFontPaths;

export interface PdfFontChoice {
  path: string | null;
  /** The font has Hangul glyphs (checked, not assumed from the name). */
  hangul: boolean;
}

let cached: Map<string, PdfFontChoice> | undefined;

function hasHangul(bytes: Uint8Array): boolean {
  try {
    const font = fontkit.create(bytes as Buffer) as unknown as {
      hasGlyphForCodePoint?: (cp: number) => boolean;
    };
    return typeof font.hasGlyphForCodePoint === 'function' && font.hasGlyphForCodePoint(0xac00);
  } catch {
    return false;
  }
}

/** The configured font if it exists, else the first candidate with Hangul; found once per path list. */
export function findHangulFont(
  configured?: string | null,
  candidates: readonly string[] = HANGUL_FONT_CANDIDATES,
): PdfFontChoice {
  const key = `${configured ?? ''}\n${candidates.join('\n')}`;
  cached ??= new Map();
  const hit = cached.get(key);
  if (hit) return hit;
  let choice: PdfFontChoice = { path: null, hangul: false };
  for (const path of configured ? [configured, ...candidates] : candidates) {
    if (!/\.(ttf|otf)$/i.test(path) || !existsSync(path)) continue;
    const hangul = hasHangul(readFileSync(path));
    if (path === configured || hangul) {
      choice = { path, hangul };
      if (hangul) break;
    }
  }
  cached.set(key, choice);
  return choice;
}

function fontFileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };

/** Characters the standard fonts (WinAnsi) cannot show become "?" (a run of them, one). */
function latinOnly(text: string): string {
  return text.replace(/[^\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]+/g, '?');
}

function plain(line: string): string {
  return line
    .replace(/✅/g, '[ok]')
    .replace(/⚠️?/g, '[!]')
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/\*\*/g, '')
    .replace(/`/g, '');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  if (font.widthOfTextAtSize(text, size) <= width) return [text];
  const out: string[] = [];
  let line = '';
  // Words, then characters when a word alone is too wide (Korean text often has long runs).
  for (const word of text.split(/(?<=\s)/)) {
    const candidate = line + word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) out.push(line.trimEnd());
    line = '';
    for (const char of word) {
      if (font.widthOfTextAtSize(line + char, size) > width && line) {
        out.push(line);
        line = '';
      }
      line += char;
    }
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
}

export interface FactsheetPdfOptions {
  language?: FactsheetLanguage;
  /** A TTF/OTF file with Hangul glyphs (`factsheets.font`); tried before `fontCandidates`. */
  fontPath?: string | null | undefined;
  /** Where else to look (`factsheets.fontSearchPaths`); common locations when not given. */
  fontCandidates?: readonly string[] | undefined;
}

/** Hangul syllables, jamo and compatibility jamo. */
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/** Whether a text holds Korean (Hangul) characters. */
export function hasKoreanText(text: string): boolean {
  return HANGUL.test(text);
}

export interface FactsheetPdf {
  bytes: Uint8Array;
  /** Whether Korean text is shown (a Hangul font was embedded). */
  hangul: boolean;
  font: string;
}

export async function factsheetPdf(
  sheet: Factsheet,
  options: FactsheetPdfOptions = {},
): Promise<FactsheetPdf> {
  const choice = findHangulFont(options.fontPath, options.fontCandidates);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  let font: PDFFont;
  let fontName = 'Helvetica';
  if (choice.path) {
    font = await pdf.embedFont(readFileSync(choice.path), { subset: true });
    fontName = fontFileName(choice.path);
  } else font = await pdf.embedFont(StandardFonts.Helvetica);
  const hangul = choice.hangul;
  const language: FactsheetLanguage = options.language ?? 'en';
  const markdown = factsheetMarkdown(sheet, language);
  // A PDF with the Korean text shown as "?" would misstate what was recorded: refuse it instead.
  if (!hangul && hasKoreanText(markdown))
    throw new KeelError(
      'font_unavailable',
      `This factsheet holds Korean text, and no font with Hangul glyphs was found${choice.path ? ` (${fontFileName(choice.path)} has none)` : ''}. Set factsheets.font in keel.yaml (or KEEL_FACTSHEET_FONT) to a TrueType or OpenType font with Hangul, for example NanumGothic from the fonts-nanum package, or export Markdown or JSON.`,
      {
        issues: [
          {
            code: 'hangul_font_missing',
            path: ['format'],
            message: 'no font with Hangul glyphs is configured or installed on the server',
          },
        ],
      },
    );
  const lines = markdown.split('\n');
  pdf.setTitle(`Factsheet: ${hangul ? sheet.use_case.name : latinOnly(sheet.use_case.name)}`);
  pdf.setSubject(`Use case ${sheet.use_case.id}`);
  pdf.setCreator('Keel');
  pdf.setProducer('Keel factsheets (pdf-lib)');
  pdf.setCreationDate(new Date(sheet.generated_at));
  pdf.setModificationDate(new Date(sheet.generated_at));
  const width = PAGE.width - 2 * PAGE.margin;
  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const newPage = () => {
    page = pdf.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
  };
  let run: { page: PDFPage; x: number; y: number; size: number; parts: string[]; next: number } | undefined;
  const flush = () => {
    if (!run) return;
    run.page.drawText(run.parts.join('\n'), {
      x: run.x,
      y: run.y,
      size: run.size,
      font,
      lineHeight: run.size * 1.35,
    });
    run = undefined;
  };
  for (const raw of lines) {
    if (/^\|---/.test(raw)) continue;
    let text = plain(raw);
    let size = 9.5;
    let indent = 0;
    const heading = /^(#{1,3}) (.*)$/.exec(text);
    if (heading) {
      size = [0, 17, 13.5, 11.5][heading[1]!.length]!;
      text = heading[2]!;
      y -= size * 0.6;
    } else if (/^\|/.test(text)) {
      text = text
        .replace(/^\|\s*|\s*\|$/g, '')
        .replace(/\s*\|\s*/, ': ')
        .replace(/\\\|/g, '|');
      if (text === ':' || text.trim() === '') continue;
    } else {
      const bullet = /^(\s*)- (.*)$/.exec(text);
      if (bullet) {
        indent = 10 + bullet[1]!.length * 6;
        text = `• ${bullet[2]}`;
      }
    }
    if (!hangul) text = latinOnly(text);
    if (text === '') {
      y -= size * 0.6;
      continue;
    }
    for (const part of wrap(text, font, size, width - indent)) {
      if (y - size * 1.35 < PAGE.margin) newPage();
      y -= size * 1.35;
      const x = PAGE.margin + indent;
      // Consecutive lines of one size and indent go out as one text object (pdf-lib's cost is per call).
      if (run && run.page === page && run.x === x && run.size === size && run.next === y) {
        run.parts.push(part);
        run.next = y - size * 1.35;
      } else {
        flush();
        run = { page, x, y, size, parts: [part], next: y - size * 1.35 };
      }
    }
  }
  flush();
  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const label = `${i + 1} / ${pages.length}`;
    p.drawText(label, {
      x: PAGE.width - PAGE.margin - font.widthOfTextAtSize(label, 8),
      y: 25,
      size: 8,
      font,
    });
  });
  return { bytes: await pdf.save(), hangul, font: fontName };
}
