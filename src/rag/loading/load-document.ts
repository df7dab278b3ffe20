/**
 * @module rag/loading/load-document
 * One entry for loading any supported file: size limit, content sniffing, then the loader for the
 * sniffed type. Every failure is a coded `KeelError`: `payload_too_large`,
 * `unsupported_media_type`, `unprocessable`, or `not_implemented` (OCR not installed).
 *
 * @example
 * const document = await loadDocument({ data: await readFile('manual.pdf'), fileName: 'manual.pdf' });
 * document.pages; // [{ page: 1, start: 0, end: 1834 }, …]
 */
import { KeelError } from '../../core/errors.js';
import type { LoadedDocument, LoaderInput, LoaderV1, LoadOptions } from '../../spec/loader.js';
import { docxLoader } from './docx-loader.js';
import { htmlLoader } from './html-loader.js';
import { pdfLoader } from './pdf-loader.js';
import { mediaTypes, sniffMediaType } from './sniff.js';
import { csvLoader, jsonLoader, textLoader } from './structured-loaders.js';

/** Default upload limit: 50 MiB. */
export const defaultMaxBytes = 50 * 1024 * 1024;

const loaders: Record<string, LoaderV1> = {
  [mediaTypes.pdf]: pdfLoader,
  [mediaTypes.docx]: docxLoader,
  [mediaTypes.html]: htmlLoader,
  [mediaTypes.markdown]: textLoader,
  [mediaTypes.text]: textLoader,
  [mediaTypes.csv]: csvLoader,
  [mediaTypes.json]: jsonLoader,
  [mediaTypes.jsonl]: jsonLoader,
};

export const supportedMediaTypes = Object.keys(loaders);

export async function loadDocument(input: LoaderInput, options: LoadOptions = {}): Promise<LoadedDocument> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  if (input.data.length > maxBytes) {
    throw new KeelError(
      'payload_too_large',
      `${input.fileName ?? 'The file'} is ${input.data.length} bytes; the limit is ${maxBytes} bytes.`,
      { data: { bytes: input.data.length, maxBytes } },
    );
  }
  const mediaType = sniffMediaType(input);
  const loader = loaders[mediaType]!;
  const document = await loader.load({ ...input, mediaType }, options);
  if (mediaType === mediaTypes.markdown) document.mediaType = mediaTypes.markdown;
  return document;
}
