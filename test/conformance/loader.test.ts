import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/rag/loading/load-document.js';
import { ocrAvailability } from '../../src/rag/loading/ocr.js';
import { writeDocx } from '../../src/rag/testing/minimal-docx.js';
import { writePdf } from '../../src/rag/testing/minimal-pdf.js';
import { runLoaderSuite } from './loader.suite.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

runLoaderSuite(
  'loadDocument',
  loadDocument,
  [
    {
      name: 'plain text with a BOM and CRLF',
      input: () => ({
        data: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('첫 줄\r\n둘째 줄')]),
        fileName: 'a.txt',
      }),
      check: (document) => {
        expect(document.text).toBe('첫 줄\n둘째 줄');
        expect(document.mediaType).toBe('text/plain');
      },
    },
    {
      name: 'Markdown',
      input: () => ({ data: utf8('# 제목\n\n| a | b |\n| --- | --- |\n| 1 | 2 |'), fileName: 'a.md' }),
      check: (document) => expect(document.mediaType).toBe('text/markdown'),
    },
    {
      name: 'HTML, with scripts dropped and tables as Markdown',
      input: () => ({
        data: utf8(
          '<html><head><title>T</title><style>p{}</style></head><body><h1>제목</h1><script>alert(1)</script><p>본문 <b>굵게</b></p><table><tr><th>이름</th><th>값</th></tr><tr><td>a|b</td><td>1</td></tr></table><ul><li>하나</li><li>둘</li></ul></body></html>',
        ),
        fileName: 'a.html',
      }),
      check: (document) => {
        expect(document.text).toBe(
          '# 제목\n\n본문 굵게\n\n| 이름 | 값 |\n| --- | --- |\n| a\\|b | 1 |\n\n- 하나\n- 둘',
        );
        expect(document.text).not.toContain('alert');
        expect(document.metadata.title).toBe('T');
        expect(document.blocks?.map((block) => block.type)).toEqual(['heading', 'table']);
      },
    },
    {
      name: 'CSV with a header, quoted fields and row records',
      input: () => ({ data: utf8('name,note\n김철수,"서울, 한국"\nJane,"say ""hi"""\n'), fileName: 'a.csv' }),
      check: (document) => {
        expect(document.text).toBe(
          '| name | note |\n| --- | --- |\n| 김철수 | 서울, 한국 |\n| Jane | say "hi" |',
        );
        expect(document.blocks?.filter((block) => block.type === 'record')).toHaveLength(2);
        expect(document.metadata).toMatchObject({ rows: 2, columns: 2 });
      },
    },
    {
      name: 'JSON and JSONL as records',
      input: () => ({ data: utf8('{"q":"질문","a":{"text":"답"}}\n{"q":"two"}\n'), fileName: 'a.jsonl' }),
      check: (document) => {
        expect(document.text).toBe('q: 질문\na:\n  text: 답\n\nq: two');
        expect(document.blocks).toHaveLength(2);
      },
    },
    {
      name: 'PDF text pages, keeping page numbers',
      input: () => ({
        data: writePdf([{ lines: ['First page', 'more text'] }, { lines: ['Second page'] }]),
        fileName: 'a.pdf',
      }),
      check: (document) => {
        expect(document.metadata.pageCount).toBe(2);
        expect(document.pages).toHaveLength(2);
        const second = document.pages![1]!;
        expect(document.text.slice(second.start, second.end)).toBe('Second page');
      },
    },
    {
      name: 'DOCX with headings and a table',
      input: () => ({
        data: writeDocx([
          { heading: '안내' },
          { paragraph: '본문입니다.' },
          {
            table: [
              ['열1', '열2'],
              ['가', '나'],
            ],
          },
        ]),
        fileName: 'a.docx',
      }),
      check: (document) =>
        expect(document.text).toBe('# 안내\n\n본문입니다.\n\n| 열1 | 열2 |\n| --- | --- |\n| 가 | 나 |'),
    },
  ],
  [
    {
      name: 'an empty file',
      input: () => ({ data: new Uint8Array(0), fileName: 'e.txt' }),
      code: 'unprocessable',
      message: /empty/,
    },
    {
      name: 'whitespace only',
      input: () => ({ data: utf8(' \n\t'), fileName: 'w.txt' }),
      code: 'unprocessable',
      message: /whitespace/,
    },
    {
      name: 'binary disguised as text',
      input: () => ({
        data: new Uint8Array([0x41, 0x00, 0x13, 0xff, 0xfe, 0x00]),
        fileName: 'x.txt',
        mediaType: 'text/plain',
      }),
      code: 'unsupported_media_type',
      message: /binary/,
    },
    {
      name: 'an image',
      input: () => ({ data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]), fileName: 'i.txt' }),
      code: 'unsupported_media_type',
      message: /PNG/,
    },
    {
      name: 'a file over the size limit',
      input: () => ({ data: new Uint8Array(2048).fill(65), fileName: 'big.txt' }),
      options: { maxBytes: 1024 },
      code: 'payload_too_large',
      message: /limit is 1024/,
    },
    {
      name: 'a corrupt PDF',
      input: () => ({ data: utf8('%PDF-1.7\nnot really'), fileName: 'c.pdf' }),
      code: 'unprocessable',
      message: /not a readable PDF/,
    },
    {
      name: 'a password-protected PDF',
      input: () => ({ data: writePdf([{ lines: ['secret'] }], { password: 'pw' }), fileName: 'p.pdf' }),
      code: 'unprocessable',
      message: /password-protected/,
    },
    {
      name: 'a corrupt DOCX',
      input: () => ({
        data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('word/document.xml garbage')]),
        fileName: 'c.docx',
      }),
      code: 'unprocessable',
      message: /not a readable Word document/,
    },
    {
      name: 'malformed JSON',
      input: () => ({ data: utf8('{"a":'), fileName: 'b.json' }),
      code: 'unprocessable',
      message: /not valid JSON/,
    },
  ],
);

describe('scanned PDFs', () => {
  /** An image-only PDF page made by rendering a text PDF to pixels with pdftoppm. */
  function scannedPdf(): Uint8Array {
    const dir = mkdtempSync(path.join(tmpdir(), 'keel-scan-'));
    try {
      writeFileSync(path.join(dir, 't.pdf'), writePdf([{ lines: ['SCANNED INVOICE NUMBER 4711'] }]));
      execFileSync('pdftoppm', ['-r', '100', '-gray', path.join(dir, 't.pdf'), path.join(dir, 'p')]);
      const pgm = readFileSync(path.join(dir, 'p-1.pgm'));
      const [, width, height] = pgm.toString('latin1', 0, 40).split(/\s+/).map(Number);
      return writePdf([
        { image: { width: width!, height: height!, gray: pgm.subarray(pgm.length - width! * height!) } },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('reads them with tesseract when installed, or names the packages to install', async () => {
    const { ok } = await ocrAvailability();
    if (ok) {
      const document = await loadDocument({ data: scannedPdf(), fileName: 'scan.pdf' });
      expect(document.text).toMatch(/INVOICE/);
      expect(document.metadata.ocrPages).toEqual([1]);
    } else {
      const blank = writePdf([{ image: { width: 4, height: 4, gray: new Uint8Array(16).fill(255) } }]);
      await expect(loadDocument({ data: blank, fileName: 'scan.pdf' })).rejects.toMatchObject({
        code: 'not_implemented',
        message: expect.stringContaining('apt-get install tesseract-ocr tesseract-ocr-kor'),
      });
    }
  });

  it('fails clearly when OCR is turned off', async () => {
    const blank = writePdf([{ image: { width: 4, height: 4, gray: new Uint8Array(16).fill(255) } }]);
    await expect(loadDocument({ data: blank, fileName: 'scan.pdf' }, { ocr: 'off' })).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });
});
