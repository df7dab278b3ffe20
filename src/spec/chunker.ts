/**
 * @module spec/chunker
 * The chunker port, version 1: a loaded document in, chunks out. Every chunk keeps the character
 * span of the document it came from and the pages it covers, so an answer can cite the source.
 */
import type { LoadedDocument } from './loader.js';

export interface Chunk {
  /** Position in the document, from 0. */
  index: number;
  /** The text to embed and index. Equal to `document.text.slice(start, end)` unless `derived`. */
  text: string;
  start: number;
  end: number;
  /** Pages the span touches (from 1), when the document has pages. */
  pages?: number[];
  /** Markdown heading path above the chunk, outermost first. */
  headingPath?: string[];
  /** `table` for (part of) a table, `record` for a CSV row or JSON record. */
  kind: 'text' | 'table' | 'record';
  /**
   * True when `text` is not a verbatim slice: a split table repeats its header row, a record carries
   * its header. `start`/`end` then cover the source rows only.
   */
  derived?: boolean;
  metadata?: Record<string, string | number | boolean>;
}

/** Counts tokens for size limits; the default approximates with the analyser's word pieces. */
export type TokenCounter = (text: string) => number;

export interface ChunkOptions {
  /** Largest chunk, in `unit`s. */
  size: number;
  /** Overlap between consecutive chunks, in `unit`s (whole pieces: words, sentences, lines). */
  overlap?: number;
  unit?: 'characters' | 'tokens';
  countTokens?: TokenCounter;
}

export interface ChunkerV1 {
  readonly specificationVersion: 'v1';
  /** `fixed`, `recursive`, `sentence`, `markdown`, `records`, `provided`. */
  readonly name: string;
  chunk(document: LoadedDocument, options: ChunkOptions): Chunk[];
}
