/**
 * @module rag/loading/ocr
 * OCR for scanned PDF pages with Debian's tools: `pdftoppm` (poppler-utils) renders a page to a
 * PNG, `tesseract` (tesseract-ocr, plus tesseract-ocr-kor for Korean) reads it. Both are found on
 * PATH at run time; when either is missing the caller gets a message naming the packages.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ocrInstallHint = 'apt-get install tesseract-ocr tesseract-ocr-kor poppler-utils';

async function onPath(command: string): Promise<boolean> {
  try {
    await run('which', [command]);
    return true;
  } catch {
    return false;
  }
}

let availability: Promise<{ ok: boolean; missing: string[]; languages: string[] }> | undefined;

/** Whether tesseract and pdftoppm are installed, and which OCR languages tesseract has. */
export function ocrAvailability(): Promise<{ ok: boolean; missing: string[]; languages: string[] }> {
  availability ??= (async () => {
    const missing: string[] = [];
    if (!(await onPath('tesseract'))) missing.push('tesseract');
    if (!(await onPath('pdftoppm'))) missing.push('pdftoppm');
    let languages: string[] = [];
    if (!missing.includes('tesseract')) {
      const { stdout } = await run('tesseract', ['--list-langs']).catch(() => ({ stdout: '' }));
      languages = stdout
        .split('\n')
        .slice(1)
        .map((line) => line.trim())
        .filter(Boolean);
    }
    return { ok: missing.length === 0, missing, languages };
  })();
  return availability;
}

/** Text of the given pages (1-based) of a PDF, by OCR. */
export async function ocrPdfPages(
  pdf: Uint8Array,
  pages: readonly number[],
  options: { languages?: string; abortSignal?: AbortSignal } = {},
): Promise<Map<number, string>> {
  const { languages: installed } = await ocrAvailability();
  const wanted = (options.languages ?? 'kor+eng')
    .split('+')
    .filter((language) => installed.includes(language));
  const languages = wanted.length ? wanted.join('+') : 'eng';
  const dir = await mkdtemp(path.join(tmpdir(), 'keel-ocr-'));
  const signal = options.abortSignal ? { signal: options.abortSignal } : {};
  try {
    const file = path.join(dir, 'input.pdf');
    await writeFile(file, pdf);
    const texts = new Map<number, string>();
    for (const page of pages) {
      const prefix = path.join(dir, `page-${page}`);
      await run(
        'pdftoppm',
        ['-f', String(page), '-l', String(page), '-r', '200', '-gray', '-png', file, prefix],
        signal,
      );
      const image = (await readdir(dir)).find(
        (name) => name.startsWith(`page-${page}`) && name.endsWith('.png'),
      );
      if (!image) continue;
      const { stdout } = await run('tesseract', [path.join(dir, image), 'stdout', '-l', languages], {
        ...signal,
        maxBuffer: 64 * 1024 * 1024,
      });
      texts.set(page, stdout.replace(/\f/g, '').trim());
    }
    return texts;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
