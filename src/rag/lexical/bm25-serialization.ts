/**
 * @module rag/lexical/bm25-serialization
 * The keyword index's binary snapshot:
 * `"KBM25\0" u8 version u8 pad · u32 header length · header JSON (UTF-8) · pad to 4 ·
 *  Float32 lengths[n] · Uint8 languages[n] · pad to 4 · Uint32 offsets[t + 1] · Uint32 docs[p] · Float32 weights[p]`.
 * The header holds parameters, ids, metadata, the vocabulary and caller `meta` (a manifest).
 */
import { KeelError } from '../../core/errors.js';
import type { MetadataValue } from '../../spec/lexical-index.js';
import type { PostingLists } from './growable.js';

/** The index state that serialisation reads and restores. */
export interface Bm25State {
  k1: number;
  b: number;
  fieldWeights: Record<string, number>;
  ids: (string | undefined)[];
  metadata: (Record<string, MetadataValue> | undefined)[];
  terms: string[];
  lengths: Float32Array;
  languages: Uint8Array;
  postings: PostingLists;
}

interface Header {
  k1: number;
  b: number;
  fieldWeights: Record<string, number>;
  analyzer: string;
  ids: string[];
  metadata: (Record<string, MetadataValue> | null)[];
  terms: string[];
  postings: number;
  meta: Record<string, unknown> | null;
}

const magic = [0x4b, 0x42, 0x4d, 0x32, 0x35, 0x00]; // "KBM25\0"
const version = 1;
const align = (offset: number) => (offset + 3) & ~3;

export function encodeBm25State(
  state: Bm25State,
  analyzer: string,
  meta?: Record<string, unknown>,
): Uint8Array {
  const n = state.ids.length;
  const header: Header = {
    k1: state.k1,
    b: state.b,
    fieldWeights: state.fieldWeights,
    analyzer,
    ids: state.ids.map((id) => id ?? ''),
    metadata: state.metadata.map((entry) => entry ?? null),
    terms: state.terms,
    postings: state.postings.docs.length,
    meta: meta ?? null,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerStart = 12;
  const lengthsStart = align(headerStart + json.length);
  const languagesStart = lengthsStart + n * 4;
  const offsetsStart = align(languagesStart + n);
  const docsStart = offsetsStart + state.postings.offsets.length * 4;
  const weightsStart = docsStart + state.postings.docs.length * 4;
  const total = weightsStart + state.postings.weights.length * 4;
  const bytes = new Uint8Array(total);
  bytes.set(magic, 0);
  bytes[6] = version;
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, headerStart);
  const put = (view: ArrayBufferView, at: number) =>
    bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
  put(state.lengths.subarray(0, n), lengthsStart);
  put(state.languages.subarray(0, n), languagesStart);
  put(state.postings.offsets, offsetsStart);
  put(state.postings.docs, docsStart);
  put(state.postings.weights, weightsStart);
  return bytes;
}

function corrupt(reason: string): KeelError {
  return new KeelError(
    'unprocessable',
    `The keyword index snapshot is unreadable (${reason}); rebuild it from the chunks.`,
  );
}

function readHeader(bytes: Uint8Array): { header: Header; end: number } {
  if (bytes.length < 12 || magic.some((byte, i) => bytes[i] !== byte))
    throw corrupt('not a Keel BM25 snapshot');
  if (bytes[6] !== version) throw corrupt(`format version ${bytes[6]}, expected ${version}`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + length > bytes.length) throw corrupt('truncated header');
  try {
    return {
      header: JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as Header,
      end: 12 + length,
    };
  } catch (error) {
    throw corrupt(`bad header: ${(error as Error).message}`);
  }
}

/** The caller metadata stored with a snapshot, without decoding its postings. */
export function readBm25Meta(bytes: Uint8Array): Record<string, unknown> | null {
  return readHeader(bytes).header.meta;
}

/** Copies a typed section out of the snapshot (which may be unaligned in a Node Buffer). */
function section<T extends Uint8Array | Uint32Array | Float32Array>(
  bytes: Uint8Array,
  start: number,
  count: number,
  make: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const size = count * make.BYTES_PER_ELEMENT;
  if (start + size > bytes.length) throw corrupt('truncated postings');
  const copy = new ArrayBuffer(size);
  new Uint8Array(copy).set(bytes.subarray(start, start + size));
  return new make(copy);
}

export function decodeBm25State(bytes: Uint8Array): {
  state: Bm25State;
  analyzer: string;
  meta: Record<string, unknown> | null;
} {
  const { header, end } = readHeader(bytes);
  const n = header.ids.length;
  const t = header.terms.length;
  const lengthsStart = align(end);
  const languagesStart = lengthsStart + n * 4;
  const offsetsStart = align(languagesStart + n);
  const docsStart = offsetsStart + (t + 1) * 4;
  const weightsStart = docsStart + header.postings * 4;
  const postings = {
    offsets: section(bytes, offsetsStart, t + 1, Uint32Array),
    docs: section(bytes, docsStart, header.postings, Uint32Array),
    weights: section(bytes, weightsStart, header.postings, Float32Array),
  };
  if (postings.offsets[t] !== header.postings) throw corrupt('posting count mismatch');
  for (let i = 0; i < postings.docs.length; i++)
    if (postings.docs[i]! >= n) throw corrupt('posting out of range');
  return {
    analyzer: header.analyzer,
    meta: header.meta,
    state: {
      k1: header.k1,
      b: header.b,
      fieldWeights: header.fieldWeights,
      ids: header.ids,
      metadata: header.metadata.map((entry) => entry ?? undefined),
      terms: header.terms,
      lengths: section(bytes, lengthsStart, n, Float32Array),
      languages: section(bytes, languagesStart, n, Uint8Array),
      postings,
    },
  };
}
