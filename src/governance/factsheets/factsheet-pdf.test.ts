import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Factsheet } from '../../api/factsheets.js';
import { defaultFactsheetFontPaths, loadConfig } from '../../core/config.js';
import { isKeelError } from '../../core/errors.js';
import { factsheetPdf, findHangulFont, hasKoreanText } from './factsheet-pdf.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'keel-factsheet-pdf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** poppler-utils (pdftotext, pdffonts) reads the PDF as any viewer would. */
const poppler = ['pdftotext', 'pdffonts'].every((tool) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
const hangulFont = findHangulFont(null, defaultFactsheetFontPaths);

function sheet(name: string, purpose: string): Factsheet {
  return {
    schema: 'keel.factsheet/v1',
    generated_at: new Date(Date.UTC(2026, 11, 1)).toISOString(),
    project_id: 'prj_1',
    use_case: {
      id: 'guc_1',
      name,
      purpose,
      business_owner: null,
      status: 'active',
      tags: [],
      created_by: null,
      created_at: new Date(Date.UTC(2026, 11, 1)).toISOString(),
    },
    approach: null,
    approaches: [],
    sections: [
      {
        id: 'models',
        title: { en: 'Models', ko: '모델' },
        empty: false,
        items: [{ label: 'llamacpp:tiny', fields: { kind: 'model', 설명: '상담 내용 요약' } }],
        omitted: 0,
      },
    ],
    events: { total: 0, first_at: null, last_at: null, last_seq: null, actions: {} },
    outlines: { eu_annex_iv: [], korea_basic_act: [] },
  };
}

function writePdf(bytes: Uint8Array, name: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, bytes);
  return file;
}

describe('factsheet PDF fonts', () => {
  it.runIf(poppler && hangulFont.hangul)(
    'embeds a Hangul font found on the default search list, and the Korean text is extractable',
    async () => {
      const pdf = await factsheetPdf(sheet('상담 요약', '고객 상담 기록을 요약합니다'), {
        language: 'ko',
        fontPath: null,
        fontCandidates: defaultFactsheetFontPaths,
      });
      expect(pdf.hangul).toBe(true);
      expect(pdf.font).toMatch(/\.(ttf|otf)$/);
      const file = writePdf(pdf.bytes, 'korean.pdf');
      // pdffonts: a CID (Type 0) font, embedded (emb) with a Unicode map (uni), so text can be copied.
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .filter((line) => line.trim())
        .map((line) => {
          const columns = line.trim().split(/\s+/);
          return { name: columns[0]!, line, embedded: columns.at(-5), unicode: columns.at(-3) };
        });
      const stem = path.basename(hangulFont.path!).replace(/\.(ttf|otf)$/i, '');
      const korean = fonts.find((font) => font.name.includes(stem));
      expect(korean, fonts.map((font) => font.line).join('\n')).toBeDefined();
      expect(korean!.line).toContain('CID');
      expect(korean).toMatchObject({ embedded: 'yes', unicode: 'yes' });
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('상담 요약');
      expect(text).toContain('고객 상담 기록을 요약합니다');
      expect(text).toContain('모델');
      expect(text).toContain('상담 내용 요약');
    },
  );

  it.runIf(poppler && hangulFont.hangul)('uses the configured font before the search list', async () => {
    const pdf = await factsheetPdf(sheet('상담 요약', 'summaries'), {
      fontPath: hangulFont.path,
      fontCandidates: [],
    });
    expect(pdf).toMatchObject({ hangul: true, font: path.basename(hangulFont.path!) });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', writePdf(pdf.bytes, 'configured.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Factsheet: 상담 요약');
  });

  it('refuses Korean text with font_unavailable when no font with Hangul is found', async () => {
    const missing = path.join(scratch, 'no-such-font.ttf');
    const error = await factsheetPdf(sheet('상담 요약', 'summaries'), {
      fontPath: missing,
      fontCandidates: [missing],
    }).catch((cause: unknown) => cause);
    expect(isKeelError(error)).toBe(true);
    if (!isKeelError(error)) return;
    expect(error.code).toBe('font_unavailable');
    expect(error.issues?.[0]?.code).toBe('hangul_font_missing');
    expect(error.message).toContain('KEEL_FACTSHEET_FONT');
    // The Korean-language export of an English factsheet holds Korean headings: refused too.
    await expect(
      factsheetPdf(sheet('Call summaries', 'summaries'), { language: 'ko', fontCandidates: [] }),
    ).rejects.toMatchObject({ code: 'font_unavailable' });
  });

  it.runIf(poppler)('writes an English-only factsheet in Helvetica when no font is found', async () => {
    const english = sheet('Call summaries', 'Summarises support calls');
    english.sections[0]!.items[0]!.fields = { kind: 'model' };
    const pdf = await factsheetPdf(english, { fontCandidates: [] });
    expect(pdf).toMatchObject({ hangul: false, font: 'Helvetica' });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', writePdf(pdf.bytes, 'english.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Factsheet: Call summaries');
    expect(text).toContain('Summarises support calls');
  });

  it('recognises Korean text', () => {
    expect(hasKoreanText('상담')).toBe(true);
    expect(hasKoreanText('ㅎ')).toBe(true);
    expect(hasKoreanText('Call summaries — 요')).toBe(true);
    expect(hasKoreanText('Call summaries, 日本語')).toBe(false);
  });
});

describe('factsheet font configuration', () => {
  it('reads factsheets.font from keel.yaml; KEEL_FACTSHEET_FONT overrides it; the search list has a default', () => {
    const file = path.join(scratch, 'font.yaml');
    writeFileSync(file, 'factsheets:\n  font: /fonts/from-file.ttf\n');
    const fromFile = loadConfig({ configFile: file, env: {}, cwd: scratch });
    expect(fromFile.factsheets.font).toBe('/fonts/from-file.ttf');
    expect(fromFile.factsheets.fontSearchPaths).toEqual([...defaultFactsheetFontPaths]);
    expect(fromFile.factsheets.fontSearchPaths.some((entry) => /Nanum/.test(entry))).toBe(true);
    expect(fromFile.factsheets.fontSearchPaths.some((entry) => /Noto/.test(entry))).toBe(true);
    const fromEnv = loadConfig({
      configFile: file,
      env: { KEEL_FACTSHEET_FONT: '/fonts/from-env.otf' },
      cwd: scratch,
    });
    expect(fromEnv.factsheets.font).toBe('/fonts/from-env.otf');
    const none = loadConfig({ env: {}, cwd: scratch, configFile: undefined });
    expect(none.factsheets.font).toBeUndefined();
  });

  it('takes a search list from keel.yaml', () => {
    const file = path.join(scratch, 'keel-list.yaml');
    writeFileSync(file, 'factsheets:\n  fontSearchPaths: [/opt/fonts/a.ttf, /opt/fonts/b.otf]\n');
    expect(loadConfig({ configFile: file, env: {}, cwd: scratch }).factsheets.fontSearchPaths).toEqual([
      '/opt/fonts/a.ttf',
      '/opt/fonts/b.otf',
    ]);
  });
});
