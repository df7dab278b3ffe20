/**
 * @module spec/lexical-index
 * The keyword (lexical) index port, version 1: documents — in RAG, chunks — added, replaced and
 * removed by id, ranked by BM25, filtered by metadata, and serialised so a process can restart
 * without re-analysing every chunk. The database holds the chunks; an index is derived data.
 */
import type { LanguageCode } from './analyzer.js';

/** A metadata value a filter can compare. */
export type MetadataValue = string | number | boolean | null | readonly (string | number)[];

export type MetadataCondition =
  | MetadataValue
  | {
      $eq?: MetadataValue;
      $ne?: MetadataValue;
      $in?: readonly (string | number | boolean)[];
      $nin?: readonly (string | number | boolean)[];
      $gt?: number | string;
      $gte?: number | string;
      $lt?: number | string;
      $lte?: number | string;
      $exists?: boolean;
    };

/**
 * A metadata filter: every listed field must match (`{ lang: 'ko', page: { $gte: 3 } }`);
 * `$and` / `$or` combine filters. An array-valued field matches when any element matches.
 */
export type MetadataFilter = { $and?: MetadataFilter[]; $or?: MetadataFilter[] } & {
  [field: string]: MetadataCondition | MetadataFilter[] | undefined;
};

export interface LexicalDocument {
  id: string;
  /** The body text. */
  text: string;
  /** Extra weighted fields (a document title, a heading path); weights come from the index options. */
  fields?: Record<string, string>;
  metadata?: Record<string, MetadataValue>;
  /** Skips language detection when known. */
  language?: LanguageCode;
}

export interface LexicalSearchOptions {
  topK?: number;
  filter?: MetadataFilter;
  /** Only these document ids may be returned. */
  ids?: ReadonlySet<string>;
  /** Drop hits scoring below this BM25 score. */
  minScore?: number;
}

export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalIndexV1 {
  readonly specificationVersion: 'v1';
  /** The ranking function, e.g. `bm25`. */
  readonly provider: string;
  /** Live documents. */
  readonly size: number;
  /** Adds documents; a document whose id exists replaces the old one. */
  add(documents: readonly LexicalDocument[]): void;
  /** Removes documents by id; returns how many existed. */
  remove(ids: readonly string[]): number;
  has(id: string): boolean;
  search(query: string, options?: LexicalSearchOptions): LexicalHit[];
  /** A compact binary snapshot; the adapter's `deserialize` restores it. */
  serialize(): Uint8Array;
}
