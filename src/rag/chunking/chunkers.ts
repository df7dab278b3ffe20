/**
 * @module rag/chunking/chunkers
 * The chunking strategies behind `ChunkerV1`:
 * - `fixed`: words packed up to the size (characters or tokens) with overlap;
 * - `recursive`: paragraphs, lines, sentences, words, characters — the coarsest split that fits;
 * - `sentence`: whole sentences (Korean endings included) packed up to the size;
 * - `markdown`: sections under headings, each split recursively; the heading path is kept;
 * - `records`: one chunk per CSV row or JSON record (with its header), the rest recursive.
 * Every strategy keeps tables whole (or split between rows with the header repeated), records
 * each chunk's character span and pages, and the heading path above it.
 *
 * @example
 * const chunks = getChunker('sentence').chunk(document, { size: 800, overlap: 100 });
 */
import { KeelError } from '../../core/errors.js';
import type { Chunk, ChunkerV1, ChunkOptions } from '../../spec/chunker.js';
import type { LoadedDocument, TextBlock } from '../../spec/loader.js';
import { type Measure, measureFor } from './measure.js';
import type { Span } from './sentences.js';
import { packPieces, type Separator, splitRecursively } from './split-text.js';
import { chunkTable, findMarkdownTables } from './tables.js';

type Draft = Omit<Chunk, 'index'>;

const separators: Record<string, readonly Separator[]> = {
  fixed: [' ', ''],
  recursive: ['\n\n', '\n', 'sentence', ' ', ''],
  sentence: ['sentence', ' ', ''],
  markdown: ['\n\n', '\n', 'sentence', ' ', ''],
  records: ['\n\n', '\n', 'sentence', ' ', ''],
};

interface Heading {
  start: number;
  level: number;
  title: string;
}

function findHeadings(document: LoadedDocument): Heading[] {
  const text = document.text;
  const fromBlocks = (document.blocks ?? []).filter((block) => block.type === 'heading');
  if (fromBlocks.length) {
    return fromBlocks.map((block) => ({
      start: block.start,
      level: block.level ?? 1,
      title: text
        .slice(block.start, block.end)
        .replace(/^#+\s*/, '')
        .trim(),
    }));
  }
  const headings: Heading[] = [];
  const pattern = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    headings.push({ start: match.index, level: match[1]!.length, title: match[2]!.trim() });
  }
  return headings;
}

/** Heading path (outermost first) in force at `offset`. */
function headingPathAt(headings: readonly Heading[], offset: number): string[] {
  const stack: Heading[] = [];
  for (const heading of headings) {
    if (heading.start > offset) break;
    while (stack.length && stack[stack.length - 1]!.level >= heading.level) stack.pop();
    stack.push(heading);
  }
  return stack.map((heading) => heading.title);
}

function pagesOf(document: LoadedDocument, start: number, end: number): number[] | undefined {
  if (!document.pages?.length) return undefined;
  const pages = document.pages
    .filter((page) => page.start < Math.max(end, start + 1) && page.end > start)
    .map((page) => page.page);
  return pages.length ? pages : undefined;
}

/** Structural blocks that are chunked on their own: tables, and records for `records`. */
function atomicBlocks(document: LoadedDocument, strategy: string): TextBlock[] {
  const given = document.blocks ?? [];
  const tables = given.some((block) => block.type === 'table')
    ? given.filter((block) => block.type === 'table')
    : findMarkdownTables(document.text);
  const records = strategy === 'records' ? given.filter((block) => block.type === 'record') : [];
  // A CSV file is one table whose rows are records: per-row chunks replace the table.
  const outer = tables.filter(
    (table) => !records.some((record) => record.start >= table.start && record.end <= table.end),
  );
  return [...outer, ...records]
    .sort((a, b) => a.start - b.start)
    .filter((block, i, all) => i === 0 || block.start >= all[i - 1]!.end);
}

function chunkText(
  text: string,
  span: Span,
  strategy: string,
  size: number,
  overlap: number,
  measure: Measure,
  headings: Heading[],
): Draft[] {
  const options = { size, overlap, measure };
  let sections: Span[] = [span];
  if (strategy === 'markdown') {
    const cuts = headings.map((heading) => heading.start).filter((at) => at > span.start && at < span.end);
    sections = [span.start, ...cuts].map((start, i, all) => ({ start, end: all[i + 1] ?? span.end }));
  }
  const drafts: Draft[] = [];
  for (const section of sections) {
    const pieces = splitRecursively(text, section, separators[strategy]!, options);
    for (const chunk of packPieces(text, pieces, options)) {
      drafts.push({
        text: text.slice(chunk.start, chunk.end),
        start: chunk.start,
        end: chunk.end,
        kind: 'text',
      });
    }
  }
  return drafts;
}

/** Chunks a loaded document with one of the built-in strategies. */
export function chunkDocument(document: LoadedDocument, strategy: string, options: ChunkOptions): Chunk[] {
  if (!separators[strategy]) {
    throw new KeelError(
      'invalid_request',
      `Unknown chunking strategy "${strategy}". Known: ${chunkerNames.join(', ')}.`,
    );
  }
  const size = options.size;
  const overlap = options.overlap ?? 0;
  if (!(size > 0) || overlap < 0 || overlap >= size) {
    throw new KeelError(
      'invalid_request',
      `Chunk size must be positive and overlap in [0, size); got size ${size}, overlap ${overlap}.`,
    );
  }
  const measure = measureFor(options);
  const text = document.text;
  const headings = findHeadings(document);
  const drafts: Draft[] = [];
  let cursor = 0;
  for (const block of atomicBlocks(document, strategy)) {
    // The header rows before the first record travel with every record already.
    const gap = text.slice(cursor, block.start).trim();
    if (gap && gap !== block.header) {
      const span = { start: cursor, end: block.start };
      for (const draft of chunkText(text, span, strategy, size, overlap, measure, headings))
        drafts.push(draft);
    }
    if (block.type === 'table')
      for (const draft of chunkTable(text, block, size, measure)) drafts.push(draft);
    else {
      const record = text.slice(block.start, block.end);
      drafts.push(
        block.header
          ? {
              text: `${block.header}\n${record}`,
              start: block.start,
              end: block.end,
              kind: 'record',
              derived: true,
            }
          : { text: record, start: block.start, end: block.end, kind: 'record' },
      );
    }
    cursor = block.end;
  }
  // Pushed one by one: spreading a large array into push() overflows the stack.
  if (cursor < text.length) {
    const span = { start: cursor, end: text.length };
    for (const draft of chunkText(text, span, strategy, size, overlap, measure, headings)) drafts.push(draft);
  }
  return drafts
    .filter((draft) => draft.text.trim().length > 0)
    .map((draft, index) => {
      const chunk: Chunk = { index, ...draft };
      const pages = pagesOf(document, draft.start, draft.end);
      if (pages) chunk.pages = pages;
      const path = headingPathAt(headings, draft.start);
      if (path.length) chunk.headingPath = path;
      return chunk;
    });
}

export const chunkerNames = [...Object.keys(separators), 'provided'];

/** The built-in chunker called `name` (`provided` needs `createProvidedChunker`). */
export function getChunker(name: string): ChunkerV1 {
  if (!separators[name]) {
    throw new KeelError(
      'invalid_request',
      `Unknown chunking strategy "${name}". Known: ${chunkerNames.join(', ')}.`,
    );
  }
  return {
    specificationVersion: 'v1',
    name,
    chunk: (document, options) => chunkDocument(document, name, options),
  };
}

/**
 * Bring-your-own chunks: the caller's texts, located in the document in order so that they keep
 * spans and pages. A text not found verbatim is kept as `derived` with an empty span at the point
 * reached so far.
 */
export function createProvidedChunker(
  texts: readonly { text: string; metadata?: Record<string, string | number | boolean> }[],
): ChunkerV1 {
  return {
    specificationVersion: 'v1',
    name: 'provided',
    chunk(document) {
      let cursor = 0;
      const headings = findHeadings(document);
      return texts.map((provided, index) => {
        let at = document.text.indexOf(provided.text, cursor);
        if (at < 0) at = document.text.indexOf(provided.text);
        const found = at >= 0 && provided.text.length > 0;
        const start = found ? at : cursor;
        const end = found ? at + provided.text.length : cursor;
        if (found) cursor = end;
        const chunk: Chunk = { index, text: provided.text, start, end, kind: 'text' };
        if (!found) chunk.derived = true;
        if (provided.metadata) chunk.metadata = provided.metadata;
        const pages = found ? pagesOf(document, start, end) : undefined;
        if (pages) chunk.pages = pages;
        const path = headingPathAt(headings, start);
        if (path.length) chunk.headingPath = path;
        return chunk;
      });
    },
  };
}
