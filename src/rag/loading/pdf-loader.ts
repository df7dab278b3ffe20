/**
 * @module rag/loading/pdf-loader
 * PDF text layer through unpdf (pdf.js), page by page, so every chunk knows its pages. Pages
 * without a text layer (scans) are read by OCR when tesseract is installed; otherwise a scanned
 * document fails with `not_implemented` naming the packages, and a partly scanned one loads with
 * a warning. Corrupt and password-protected files fail with `unprocessable`.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { KeelError } from '../../core/errors.js';
import type { LoadedDocument, LoaderV1, LoadOptions } from '../../spec/loader.js';
import { ocrAvailability, ocrInstallHint, ocrPdfPages } from './ocr.js';
import { mediaTypes } from './sniff.js';
import { TextBuilder } from './text-builder.js';

/** Fewer letters than this on a page means it has no usable text layer. */
const scannedThreshold = 8;

function pdfError(error: unknown, name: string): KeelError {
  const kind = (error as { name?: string })?.name ?? '';
  if (kind === 'PasswordException') {
    return new KeelError(
      'unprocessable',
      `${name} is password-protected; remove the password and upload it again.`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new KeelError('unprocessable', `${name} is not a readable PDF (${detail}).`, { cause: error });
}

export async function loadPdf(
  data: Uint8Array,
  options: LoadOptions & { fileName?: string } = {},
): Promise<LoadedDocument> {
  const name = options.fileName ?? 'The PDF';
  let pageTexts: string[];
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0 });
    pageTexts = (await extractText(pdf, { mergePages: false })).text;
    await pdf.cleanup();
  } catch (error) {
    throw pdfError(error, name);
  }
  const warnings: LoadedDocument['warnings'] = [];
  const scanned = pageTexts
    .map((text, i) => ({ page: i + 1, letters: text.replace(/[\s\p{P}]/gu, '').length }))
    .filter((page) => page.letters < scannedThreshold)
    .map((page) => page.page);
  const ocrPages: number[] = [];
  if (scanned.length && options.ocr !== 'off') {
    const { ok, missing } = await ocrAvailability();
    if (ok) {
      const texts = await ocrPdfPages(data, scanned, {
        ...(options.ocrLanguages ? { languages: options.ocrLanguages } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      });
      for (const [page, text] of texts) {
        if (text) {
          pageTexts[page - 1] = text;
          ocrPages.push(page);
        }
      }
    } else if (scanned.length === pageTexts.length) {
      throw new KeelError(
        'not_implemented',
        `${name} has no text layer (a scan) and OCR is not installed (missing: ${missing.join(', ')}). Install it with: ${ocrInstallHint}`,
        { data: { missing, hint: ocrInstallHint } },
      );
    } else {
      warnings.push({
        type: 'other',
        message: `Pages ${scanned.join(', ')} have no text layer and were skipped: OCR is not installed (${ocrInstallHint}).`,
      });
    }
  } else if (scanned.length === pageTexts.length && options.ocr === 'off') {
    throw new KeelError('unprocessable', `${name} has no text layer and OCR is turned off.`);
  }
  const out = new TextBuilder();
  pageTexts.forEach((text, i) => out.page(i + 1, text.replace(/\r\n?/g, '\n').trim()));
  const document = out.finish(mediaTypes.pdf, {
    pageCount: pageTexts.length,
    ...(ocrPages.length ? { ocrPages } : {}),
  });
  if (!document.text.trim()) throw new KeelError('unprocessable', `${name} contains no text.`);
  document.warnings.push(...warnings);
  return document;
}

export const pdfLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'pdf',
  mediaTypes: [mediaTypes.pdf],
  load(input, options) {
    return loadPdf(input.data, { ...options, ...(input.fileName ? { fileName: input.fileName } : {}) });
  },
};
