/**
 * @module bench/rag/pdf-speed
 * PDF text extraction pages/s: Keel's loader (unpdf) against Debian's `pdftotext` on the same
 * generated multi-page PDF. `pdftotext` is skipped, with a note, when poppler-utils is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDocument } from '../../src/rag/loading/load-document.js';
import { writePdf } from '../../src/rag/testing/minimal-pdf.js';
import { random } from './metrics.js';

export interface PdfReport {
  pages: number;
  keelPagesPerSecond: number;
  pdftotextPagesPerSecond: number | null;
}

export async function measurePdf(pageCount: number, englishText: string[]): Promise<PdfReport> {
  const next = random(7);
  const pages = Array.from({ length: pageCount }, () => ({
    lines: Array.from({ length: 45 }, () =>
      englishText[Math.floor(next() * englishText.length)]!.slice(0, 90),
    ),
  }));
  const pdf = writePdf(pages);
  await loadDocument({ data: pdf, fileName: 'warm.pdf' }, { ocr: 'off' });
  let started = performance.now();
  const rounds = 3;
  for (let i = 0; i < rounds; i++) await loadDocument({ data: pdf, fileName: 'bench.pdf' }, { ocr: 'off' });
  const keelPagesPerSecond = (rounds * pageCount) / ((performance.now() - started) / 1000);
  let pdftotextPagesPerSecond: number | null = null;
  const dir = mkdtempSync(path.join(tmpdir(), 'keel-pdf-bench-'));
  try {
    const file = path.join(dir, 'bench.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftotext', ['-layout', file, path.join(dir, 'warm.txt')]);
    started = performance.now();
    for (let i = 0; i < rounds; i++) execFileSync('pdftotext', [file, path.join(dir, 'out.txt')]);
    pdftotextPagesPerSecond = (rounds * pageCount) / ((performance.now() - started) / 1000);
  } catch {
    pdftotextPagesPerSecond = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    pages: pageCount,
    keelPagesPerSecond: Math.round(keelPagesPerSecond),
    pdftotextPagesPerSecond: pdftotextPagesPerSecond === null ? null : Math.round(pdftotextPagesPerSecond),
  };
}
