/**
 * @module rag/collections/prepare-document
 * Turning a stored document into the chunks it is indexed as: load → chunk → scan → language
 * (no database writes), then embeddings for many documents' chunks together, so a batch of small
 * documents costs a few embedding calls instead of one per document.
 */
import type { CollectionConfig } from '../../api/rag.js';
import { KeelError } from '../../core/errors.js';
import { createInjectionDetector } from '../../guardrails/index.js';
import type { Chunk } from '../../spec/chunker.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { LoadedDocument } from '../../spec/loader.js';
import type { CallWarning } from '../../spec/warnings.js';
import { getAnalyzer } from '../analysis/analyzers.js';
import { chunkDocument, createProvidedChunker } from '../chunking/chunkers.js';
import { loadDocument } from '../loading/load-document.js';

/** Instructions addressed to an assistant inside a chunk at or above this score flag the chunk. */
export const INJECTION_FLAG_SCORE = 0.7;

export interface PreparedChunk extends Chunk {
  language: string;
  embedding: Float32Array | undefined;
  flags: string[];
}

export interface PreparedDocument {
  name: string;
  document: LoadedDocument;
  chunks: PreparedChunk[];
  warnings: CallWarning[];
}

const analyzer = getAnalyzer('multilingual-v1');
const injection = createInjectionDetector();

/** Chunks a loaded document with the collection's chunker, or the document's own chunks. */
export function chunksFor(
  document: LoadedDocument,
  config: CollectionConfig,
  provided?: readonly string[] | null,
): Chunk[] {
  if (provided?.length)
    return createProvidedChunker(provided.map((text) => ({ text }))).chunk(document, { size: 1 });
  return chunkDocument(document, config.chunker.strategy, {
    size: config.chunker.size,
    overlap: config.chunker.overlap,
    unit: config.chunker.unit,
  });
}

/** Load, chunk and scan one document; no embeddings yet (see `embedPrepared`). */
export async function chunkStoredDocument(input: {
  name: string;
  data: Uint8Array;
  mediaType: string | null;
  providedChunks: string[] | null;
  config: CollectionConfig;
  signal?: AbortSignal | undefined;
}): Promise<PreparedDocument> {
  const document = await loadDocument(
    { data: input.data, fileName: input.name, ...(input.mediaType ? { mediaType: input.mediaType } : {}) },
    {
      ocr: input.config.loader.ocr,
      ocrLanguages: input.config.loader.ocr_languages,
      ...(input.signal ? { abortSignal: input.signal } : {}),
    },
  );
  if (!document.text.trim()) {
    throw new KeelError('unprocessable', `${input.name} has no text to index.`, {
      data: { hint: 'Empty files, and scanned PDFs without OCR, have no text.' },
    });
  }
  const chunks = chunksFor(document, input.config, input.providedChunks);
  const warnings = [...document.warnings];
  const prepared: PreparedChunk[] = chunks.map((chunk) => {
    const flags: string[] = [];
    if (input.config.scan_injection) {
      const found = injection.detect(chunk.text, { mode: 'document' });
      if (found.some((span) => span.score >= INJECTION_FLAG_SCORE)) flags.push('indirect_injection');
    }
    return { ...chunk, language: analyzer.detectLanguage(chunk.text).language, embedding: undefined, flags };
  });
  const flagged = prepared.filter((chunk) => chunk.flags.length);
  if (flagged.length) {
    warnings.push({
      type: 'other',
      setting: 'scan_injection',
      message: `${flagged.length} chunk${flagged.length > 1 ? 's' : ''} of ${input.name} contain instructions addressed to an AI assistant (possible indirect prompt injection); they are kept out of answers.`,
    });
  }
  return { name: input.name, document, chunks: prepared, warnings };
}

/** Embeds the chunks of several prepared documents, as few calls as the embedder allows. */
export async function embedPrepared(
  documents: readonly PreparedDocument[],
  embedder: EmbeddingModelV1,
  signal?: AbortSignal,
): Promise<void> {
  const pending = documents.flatMap((document) => document.chunks.map((chunk) => ({ document, chunk })));
  const batch = Math.max(1, Math.min(128, embedder.maxEmbeddingsPerCall));
  for (let i = 0; i < pending.length; i += batch) {
    const slice = pending.slice(i, i + batch);
    const { embeddings } = await embedder.doEmbed({
      values: slice.map(({ document, chunk }) => {
        const title = [document.name, ...(chunk.headingPath ?? [])].join(' › ');
        return `${title}\n${chunk.text}`;
      }),
      ...(signal ? { abortSignal: signal } : {}),
    });
    slice.forEach(({ chunk }, j) => {
      chunk.embedding =
        embeddings[j] instanceof Float32Array ? embeddings[j] : Float32Array.from(embeddings[j]!);
    });
  }
}

/** Load, chunk, embed and scan one document (no database writes). */
export async function prepareDocument(input: {
  name: string;
  data: Uint8Array;
  mediaType: string | null;
  providedChunks: string[] | null;
  config: CollectionConfig;
  embedder: EmbeddingModelV1 | undefined;
  signal?: AbortSignal;
}): Promise<PreparedDocument> {
  const prepared = await chunkStoredDocument(input);
  if (input.embedder) await embedPrepared([prepared], input.embedder, input.signal);
  return prepared;
}
