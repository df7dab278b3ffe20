/**
 * @module rag/loading/sniff
 * Decides what a file really is from its bytes (a declared type or extension only chooses among
 * text formats): PDF and DOCX by signature, other binaries refused, text decoded with its BOM.
 * Binary content disguised as text — NUL bytes, or bytes that are not UTF-8 — is refused with
 * `unsupported_media_type`; an empty file is `unprocessable`.
 */
import { KeelError } from '../../core/errors.js';
import type { LoaderInput } from '../../spec/loader.js';

export const mediaTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/jsonl',
  text: 'text/plain',
} as const;

const extensions: Record<string, string> = {
  pdf: mediaTypes.pdf,
  docx: mediaTypes.docx,
  html: mediaTypes.html,
  htm: mediaTypes.html,
  xhtml: mediaTypes.html,
  md: mediaTypes.markdown,
  markdown: mediaTypes.markdown,
  csv: mediaTypes.csv,
  tsv: mediaTypes.csv,
  json: mediaTypes.json,
  jsonl: mediaTypes.jsonl,
  ndjson: mediaTypes.jsonl,
  txt: mediaTypes.text,
  text: mediaTypes.text,
};

const binarySignatures: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable'],
  [[0x4d, 0x5a], 'a Windows executable'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'a legacy Office file (save it as .docx or PDF)'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
];

function startsWith(data: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, i) => data[i] === byte);
}

/** Decodes text by its byte-order mark (UTF-8 without one). */
export function decodeText(data: Uint8Array): string {
  if (startsWith(data, [0xef, 0xbb, 0xbf])) return new TextDecoder('utf-8').decode(data.subarray(3));
  if (startsWith(data, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (startsWith(data, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(data.subarray(2));
  return new TextDecoder('utf-8').decode(data);
}

function looksBinary(data: Uint8Array): boolean {
  if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) return false;
  const sample = data.subarray(0, 64 * 1024);
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) return true;
  try {
    // A cut multi-byte sequence at the end of the sample is fine.
    new TextDecoder('utf-8', { fatal: true }).decode(
      sample.length === data.length ? sample : sample.subarray(0, sample.length - 4),
    );
    return false;
  } catch {
    return true;
  }
}

/** The media type to load `input` as; throws the coded errors described above. */
export function sniffMediaType(input: LoaderInput): string {
  const { data } = input;
  const name = input.fileName ?? 'the file';
  if (data.length === 0) throw new KeelError('unprocessable', `${name} is empty.`);
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return mediaTypes.pdf; // %PDF-
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) {
    const head = new TextDecoder('latin1').decode(data.subarray(0, Math.min(data.length, 1 << 16)));
    if (head.includes('word/') || head.includes('[Content_Types].xml')) return mediaTypes.docx;
    throw new KeelError(
      'unsupported_media_type',
      `${name} is a ZIP archive, not a Word document; upload the files inside it.`,
    );
  }
  for (const [signature, what] of binarySignatures) {
    if (startsWith(data, signature))
      throw new KeelError(
        'unsupported_media_type',
        `${name} is ${what}, which cannot be loaded as a document.`,
      );
  }
  if (looksBinary(data)) {
    throw new KeelError(
      'unsupported_media_type',
      `${name} contains binary data, not text; upload a PDF, DOCX, HTML, Markdown, text, CSV or JSON file.`,
    );
  }
  const declared = (input.mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(input.fileName ?? '')?.[1]?.toLowerCase();
  const byName = extension ? extensions[extension] : undefined;
  const textTypes: string[] = Object.values(mediaTypes).filter(
    (type) => type !== mediaTypes.pdf && type !== mediaTypes.docx,
  );
  if (declared === 'application/x-ndjson' || declared === 'application/jsonlines') return mediaTypes.jsonl;
  if (declared === 'application/xhtml+xml') return mediaTypes.html;
  if (textTypes.includes(declared)) return declared;
  if (byName && byName !== mediaTypes.pdf && byName !== mediaTypes.docx) return byName;
  const head = decodeText(data.subarray(0, 1024)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return mediaTypes.html;
  return mediaTypes.text;
}
