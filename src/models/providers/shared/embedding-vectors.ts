/**
 * @module models/providers/shared/embedding-vectors
 * Checks and converts the vectors an embedding endpoint returns: one per input, all the same
 * length, as Float32Array — whether they came as JSON numbers or as base64 little-endian float32.
 */
import { KeelError } from '../../../core/errors.js';

/** A vector from JSON numbers or from base64 float32 (OpenAI's `encoding_format: "base64"`). */
export function toFloat32(vector: unknown): Float32Array | undefined {
  if (Array.isArray(vector)) return Float32Array.from(vector as number[]);
  if (typeof vector === 'string') {
    const bytes = Buffer.from(vector, 'base64');
    if (bytes.byteLength % 4 !== 0) return undefined;
    // Copy into an aligned buffer: Buffer.from may hand back a slice of a shared pool.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer);
  }
  return undefined;
}

/** Throws unless there is one vector per input, all of one length. */
export function checkVectors(
  vectors: (Float32Array | undefined)[],
  expected: number,
  provider: string,
): Float32Array[] {
  const width = vectors[0]?.length;
  if (
    vectors.length !== expected ||
    vectors.some((vector) => !vector || vector.length !== width || width === 0)
  ) {
    throw new KeelError(
      'upstream_error',
      `Provider "${provider}" returned ${vectors.length} embedding(s) of uneven or missing length for ${expected} input(s).`,
      { data: { provider } },
    );
  }
  return vectors as Float32Array[];
}
