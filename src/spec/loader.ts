/**
 * @module spec/loader
 * The document loader port, version 1: bytes in, plain text out (Markdown for structure such as
 * headings and tables), with page spans and structural blocks so that chunks can cite pages and
 * character spans of the loaded text.
 */
import type { CallWarning } from './warnings.js';

export interface LoaderInput {
  data: Uint8Array;
  fileName?: string;
  /** The declared media type; the content is sniffed as well and wins when they disagree. */
  mediaType?: string;
}

export interface LoadOptions {
  /** Refuse inputs larger than this many bytes (`payload_too_large`). */
  maxBytes?: number;
  /** OCR for PDF pages without a text layer: `auto` uses tesseract when installed. */
  ocr?: 'auto' | 'off';
  /** Tesseract languages, default `kor+eng`. */
  ocrLanguages?: string;
  abortSignal?: AbortSignal;
}

/** A page of the source: `text.slice(start, end)` is the page's text; pages count from 1. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

/**
 * A structural block of the loaded text: a Markdown table (rows are its lines, `headerEnd` where
 * the header and separator lines end), a heading, or one record of a CSV / JSON source.
 */
export interface TextBlock {
  type: 'table' | 'heading' | 'record';
  start: number;
  end: number;
  /** Heading level (1–6) for headings. */
  level?: number;
  /** For tables: offset where the header row and the separator row end (first body row starts). */
  headerEnd?: number;
  /** For records: the table header to repeat with the record, when the source has one. */
  header?: string;
}

export interface LoadedDocument {
  text: string;
  /** The sniffed media type that was loaded. */
  mediaType: string;
  pages?: PageSpan[];
  blocks?: TextBlock[];
  metadata: Record<string, string | number | boolean | number[]>;
  warnings: CallWarning[];
}

export interface LoaderV1 {
  readonly specificationVersion: 'v1';
  readonly name: string;
  readonly mediaTypes: readonly string[];
  load(input: LoaderInput, options?: LoadOptions): Promise<LoadedDocument>;
}
