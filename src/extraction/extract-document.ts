/**
 * @module extraction/extract-document
 * Turns a stored document (PDF, DOCX, HTML, image, text) into pages of Markdown with its tables,
 * page by page where the format has pages. PDFs go through poppler's `pdftotext -layout` when it is
 * installed (fast; tables found in the layout), else through the RAG PDF loader; pages without a
 * text layer and images go through tesseract (kor+eng) when installed. The result says which engine
 * ran and whether OCR was available. Corrupt files fail with `document_corrupt`, password-protected
 * ones with `document_encrypted`, both not retried.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KeelError } from '../core/errors.js';
import { loadDocument, ocrAvailability, ocrInstallHint, ocrPdfPages } from '../rag/index.js';
import { layoutBlocks, markdownTable, parseMarkdownTable } from './layout-tables.js';

const run = promisify(execFile);

export interface ExtractedTable {
  /** 1-based page, or null where the format has no pages. */
  page_number: number | null;
  rows: string[][];
}

export interface ExtractedPage {
  page_number: number;
  markdown: string;
}

export interface ExtractedDocument {
  file_name: string;
  media_type: string;
  engine: 'pdftotext' | 'pdfjs' | 'tesseract' | 'loader';
  page_count: number;
  pages: ExtractedPage[];
  tables: ExtractedTable[];
  ocr: { available: boolean; pages: number[]; note?: string };
  warnings: string[];
}

/** Fewer letters than this on a page means it has no usable text layer. */
const scannedThreshold = 8;

const imageTypes: [string, (data: Uint8Array) => boolean][] = [
  ['image/png', (d) => d[0] === 0x89 && d[1] === 0x50 && d[2] === 0x4e && d[3] === 0x47],
  ['image/jpeg', (d) => d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff],
  [
    'image/tiff',
    (d) =>
      (d[0] === 0x49 && d[1] === 0x49 && d[2] === 0x2a) || (d[0] === 0x4d && d[1] === 0x4d && d[3] === 0x2a),
  ],
  ['image/gif', (d) => d[0] === 0x47 && d[1] === 0x49 && d[2] === 0x46],
  ['image/bmp', (d) => d[0] === 0x42 && d[1] === 0x4d],
  ['image/webp', (d) => d[8] === 0x57 && d[9] === 0x45 && d[10] === 0x42 && d[11] === 0x50],
];

export function imageType(data: Uint8Array): string | undefined {
  return imageTypes.find(([, test]) => data.length > 12 && test(data))?.[0];
}

function isPdf(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 1024)).includes('%PDF-');
}

let pdftotextPresent: Promise<boolean> | undefined;
/** Whether poppler's pdftotext is on PATH (checked once). */
export function hasPdftotext(): Promise<boolean> {
  pdftotextPresent ??= run('pdftotext', ['-v']).then(
    () => true,
    () => false,
  );
  return pdftotextPresent;
}

export function encryptedError(name: string, cause?: unknown): KeelError {
  return new KeelError(
    'document_encrypted',
    `${name} is password-protected; remove the password and upload it again.`,
    {
      cause,
      data: { retriable: false },
      issues: [{ code: 'document_encrypted', path: ['document_reference'], message: 'password-protected' }],
    },
  );
}

export function corruptError(name: string, detail: string, cause?: unknown): KeelError {
  return new KeelError('document_corrupt', `${name} is not a readable document (${detail.slice(0, 200)}).`, {
    cause,
    data: { retriable: false },
    issues: [{ code: 'document_corrupt', path: ['document_reference'], message: 'unreadable file' }],
  });
}

async function pdftotextPages(data: Uint8Array, name: string, signal?: AbortSignal): Promise<string[]> {
  try {
    const child = run('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], {
      maxBuffer: 512 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    child.child.stdin?.end(Buffer.from(data));
    const { stdout } = await child;
    const pages = stdout.split('\f');
    if (pages.length > 1 && !pages.at(-1)!.trim()) pages.pop();
    return pages;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (/password/i.test(stderr)) throw encryptedError(name, error);
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw corruptError(
      name,
      stderr.split('\n').find((line) => /error/i.test(line)) ?? 'pdftotext failed',
      error,
    );
  }
}

async function fromPdfLayout(
  data: Uint8Array,
  name: string,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  const layout = await pdftotextPages(data, name, signal);
  const scanned = layout
    .map((text, i) => ({ page: i + 1, letters: text.replace(/[\s\p{P}]/gu, '').length }))
    .filter((page) => page.letters < scannedThreshold)
    .map((page) => page.page);
  const result: ExtractedDocument = {
    file_name: name,
    media_type: 'application/pdf',
    engine: 'pdftotext',
    page_count: layout.length,
    pages: [],
    tables: [],
    ocr: { available: false, pages: [] },
    warnings: [],
  };
  const ocr = await ocrAvailability();
  result.ocr.available = ocr.ok;
  const ocrTexts = new Map<number, string>();
  if (scanned.length && ocr.ok) {
    for (const [page, text] of await ocrPdfPages(data, scanned, signal ? { abortSignal: signal } : {}))
      if (text) {
        ocrTexts.set(page, text);
        result.ocr.pages.push(page);
      }
  } else if (scanned.length) {
    result.ocr.note = `OCR unavailable (missing: ${ocr.missing.join(', ')}); install with: ${ocrInstallHint}`;
    result.warnings.push(
      `Pages ${scanned.join(', ')} have no text layer and were not read: ${result.ocr.note}.`,
    );
  }
  layout.forEach((text, i) => {
    const page = i + 1;
    const ocrText = ocrTexts.get(page);
    if (ocrText !== undefined) {
      result.pages.push({ page_number: page, markdown: ocrText });
      return;
    }
    const parts: string[] = [];
    for (const block of layoutBlocks(text)) {
      if (block.kind === 'table') {
        result.tables.push({ page_number: page, rows: block.rows! });
        parts.push(markdownTable(block.rows!));
      } else parts.push(block.text!);
    }
    result.pages.push({ page_number: page, markdown: parts.join('\n\n') });
  });
  if (!result.pages.some((page) => page.markdown.trim()) && !scanned.length)
    throw corruptError(name, 'no text in the document');
  return result;
}

async function fromImage(
  data: Uint8Array,
  name: string,
  mediaType: string,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  const ocr = await ocrAvailability();
  if (!ocr.languages.length || ocr.missing.includes('tesseract'))
    throw new KeelError(
      'ocr_unavailable',
      `${name} is an image and OCR is not installed. Install it with: ${ocrInstallHint}`,
      {
        data: { retriable: false, hint: ocrInstallHint },
      },
    );
  const languages = ['kor', 'eng'].filter((language) => ocr.languages.includes(language)).join('+') || 'eng';
  try {
    const child = run('tesseract', ['stdin', 'stdout', '-l', languages], {
      maxBuffer: 64 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    child.child.stdin?.end(Buffer.from(data));
    const { stdout } = await child;
    const markdown = stdout.replace(/\f/g, '').trim();
    return {
      file_name: name,
      media_type: mediaType,
      engine: 'tesseract',
      page_count: 1,
      pages: [{ page_number: 1, markdown }],
      tables: [],
      ocr: { available: true, pages: [1] },
      warnings: markdown ? [] : ['OCR found no text in the image.'],
    };
  } catch (error) {
    throw corruptError(name, String((error as { stderr?: unknown }).stderr ?? 'tesseract failed'), error);
  }
}

async function fromLoader(data: Uint8Array, name: string, signal?: AbortSignal): Promise<ExtractedDocument> {
  let loaded: Awaited<ReturnType<typeof loadDocument>>;
  try {
    loaded = await loadDocument({ data, fileName: name }, signal ? { abortSignal: signal } : {});
  } catch (error) {
    if (error instanceof KeelError && error.code === 'unprocessable')
      throw /password/i.test(error.message)
        ? encryptedError(name, error)
        : corruptError(name, error.message, error);
    throw error;
  }
  const spans = loaded.pages?.length ? loaded.pages : [{ page: 1, start: 0, end: loaded.text.length }];
  const pageOf = (offset: number) =>
    loaded.pages?.length ? (spans.find((span) => offset < span.end) ?? spans.at(-1)!).page : null;
  const ocrPages = (loaded.metadata.ocrPages as number[] | undefined) ?? [];
  const ocr = await ocrAvailability();
  return {
    file_name: name,
    media_type: loaded.mediaType,
    engine: loaded.mediaType === 'application/pdf' ? 'pdfjs' : 'loader',
    page_count: spans.length,
    pages: spans.map((span) => ({
      page_number: span.page,
      markdown: loaded.text.slice(span.start, span.end).trim(),
    })),
    tables: (loaded.blocks ?? [])
      .filter((block) => block.type === 'table')
      .map((block) => ({
        page_number: pageOf(block.start),
        rows: parseMarkdownTable(loaded.text.slice(block.start, block.end)),
      })),
    ocr: { available: ocr.ok, pages: ocrPages },
    warnings: loaded.warnings.map((warning) => warning.message),
  };
}

export interface ExtractOptions {
  fileName: string;
  signal?: AbortSignal;
  /** Use the RAG PDF loader even where pdftotext is installed. */
  pdfEngine?: 'auto' | 'pdfjs';
}

export async function extractDocument(data: Uint8Array, options: ExtractOptions): Promise<ExtractedDocument> {
  const name = options.fileName;
  if (!data.length) throw corruptError(name, 'the file is empty');
  const image = imageType(data);
  if (image) return fromImage(data, name, image, options.signal);
  if (isPdf(data) && options.pdfEngine !== 'pdfjs' && (await hasPdftotext()))
    return fromPdfLayout(data, name, options.signal);
  return fromLoader(data, name, options.signal);
}

/** The document as one Markdown text, each page after a `<!-- page N -->` marker. */
export function toMarkdown(document: ExtractedDocument): string {
  const body = document.pages
    .map((page) =>
      document.page_count > 1 || document.media_type === 'application/pdf'
        ? `<!-- page ${page.page_number} -->\n\n${page.markdown}`
        : page.markdown,
    )
    .join('\n\n');
  return `${body.trim()}\n`;
}
