import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { writeDocx } from '../rag/testing/minimal-docx.js';
import { extractDocument, hasPdftotext, toMarkdown } from './extract-document.js';
import { layoutBlocks, parseMarkdownTable } from './layout-tables.js';
import { encryptedPdf, generatedPdf, reportTable } from './testing/generated-pdf.js';

const run = promisify(execFile);
const onPath = (command: string) =>
  run('which', [command]).then(
    () => true,
    () => false,
  );

async function failure(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError');
}

describe('layout tables', () => {
  it('finds a table in column-aligned lines and leaves prose alone', () => {
    const blocks = layoutBlocks(
      'Quarterly report\n\nRegion    Q1     Q2\nNorth     101    201\nSouth     111    211\n\nThe end.',
    );
    expect(blocks.map((block) => block.kind)).toEqual(['text', 'table', 'text']);
    expect(blocks[1]!.rows).toEqual([
      ['Region', 'Q1', 'Q2'],
      ['North', '101', '201'],
      ['South', '111', '211'],
    ]);
  });

  it('reads Markdown tables back into rows', () => {
    expect(parseMarkdownTable('| a | b\\|c |\n| --- | --- |\n| 1 | 2 |')).toEqual([
      ['a', 'b|c'],
      ['1', '2'],
    ]);
  });
});

describe('extractDocument', () => {
  it('keeps a generated PDF’s tables as tables, with their page numbers', async () => {
    const pdf = await generatedPdf({ pages: 3, table: reportTable });
    for (const engine of ['auto', 'pdfjs'] as const) {
      const document = await extractDocument(pdf, { fileName: 'report.pdf', pdfEngine: engine });
      expect(document.page_count).toBe(3);
      expect(document.pages.map((page) => page.page_number)).toEqual([1, 2, 3]);
      expect(document.pages[1]!.markdown).toContain('Report page 2');
      if (engine === 'auto' && (await hasPdftotext())) {
        expect(document.engine).toBe('pdftotext');
        expect(document.tables).toEqual([1, 2, 3].map((p) => ({ page_number: p, rows: reportTable(p) })));
        const markdown = toMarkdown(document);
        expect(markdown).toContain('<!-- page 3 -->');
        expect(markdown).toContain(
          '| Region | Q1 | Q2 | Q3 |\n| --- | --- | --- | --- |\n| North | 103 | 203 | 303 |',
        );
      } else {
        expect(document.engine).toBe('pdfjs');
        expect(document.pages[2]!.markdown).toContain('North');
      }
    }
  });

  it('fails a corrupt or a password-protected PDF with a coded, final error', async () => {
    const corrupt = await failure(
      extractDocument(Buffer.from('%PDF-1.7\nthis is not really a PDF\n'), { fileName: 'broken.pdf' }),
    );
    expect(corrupt.code).toBe('document_corrupt');
    expect(corrupt.data?.retriable).toBe(false);
    const truncated = await generatedPdf({ pages: 1 });
    expect((await failure(extractDocument(truncated.subarray(0, 200), { fileName: 'cut.pdf' }))).code).toBe(
      'document_corrupt',
    );
    for (const engine of ['auto', 'pdfjs'] as const) {
      const locked = await failure(
        extractDocument(await encryptedPdf(), { fileName: 'locked.pdf', pdfEngine: engine }),
      );
      expect(locked.code).toBe('document_encrypted');
    }
    expect((await failure(extractDocument(new Uint8Array(), { fileName: 'empty.pdf' }))).code).toBe(
      'document_corrupt',
    );
  });

  it('extracts HTML and DOCX through the RAG loaders, tables included', async () => {
    const html = await extractDocument(
      Buffer.from(
        '<html><body><h1>Menu</h1><p>Prices today.</p><table><tr><th>Dish</th><th>Price</th></tr><tr><td>Bibimbap</td><td>9</td></tr></table></body></html>',
      ),
      { fileName: 'menu.html' },
    );
    expect(html.media_type).toBe('text/html');
    expect(html.tables).toEqual([
      {
        page_number: null,
        rows: [
          ['Dish', 'Price'],
          ['Bibimbap', '9'],
        ],
      },
    ]);
    expect(toMarkdown(html)).toContain('# Menu');
    const docx = await extractDocument(
      writeDocx([
        { heading: '보고서' },
        { paragraph: '분기별 수치입니다.' },
        {
          table: [
            ['지역', '값'],
            ['서울', '42'],
          ],
        },
      ]),
      { fileName: 'report.docx' },
    );
    expect(docx.engine).toBe('loader');
    expect(docx.tables[0]!.rows).toEqual([
      ['지역', '값'],
      ['서울', '42'],
    ]);
    expect(toMarkdown(docx)).toContain('분기별 수치입니다.');
  });

  it('reads an image by OCR where tesseract is installed', async () => {
    if (!(await onPath('tesseract')) || !(await onPath('pdftoppm'))) {
      const error = await failure(
        extractDocument(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), { fileName: 'scan.png' }),
      );
      expect(error.code).toBe('ocr_unavailable');
      return;
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'keel-extract-'));
    try {
      const pdf = path.join(dir, 'page.pdf');
      await writeFile(pdf, await generatedPdf({ pages: 1 }));
      await run('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', pdf, path.join(dir, 'page')]);
      const image = await readFile(path.join(dir, 'page.png'));
      const document = await extractDocument(image, { fileName: 'page.png' });
      expect(document.engine).toBe('tesseract');
      expect(document.media_type).toBe('image/png');
      expect(document.ocr).toEqual({ available: true, pages: [1] });
      expect(document.pages[0]!.markdown).toMatch(/Report page 1/);
      // The same page as a scan inside a PDF (no text layer): read by OCR, page numbered.
      const scan = await PDFDocument.create();
      const png = await scan.embedPng(image);
      scan.addPage([png.width, png.height]).drawImage(png, { x: 0, y: 0 });
      const scanned = await extractDocument(await scan.save(), { fileName: 'scan.pdf' });
      expect(scanned.ocr.pages).toEqual([1]);
      expect(scanned.pages[0]!.markdown).toMatch(/Report page 1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
