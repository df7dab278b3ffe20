import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from './logger.js';

const keySecret = 'keel_0123456789abcdefghjkmnpqrstvwxyz0123456789ab';

/** A logger writing into a string, flushed after each call. */
function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { logger: createLogger('debug', stream), text: () => text };
}

describe('logger', () => {
  it('never prints an Authorization header, a key secret or prompt text', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: { method: 'POST', headers: { authorization: `Bearer ${keySecret}`, cookie: 'sid=1' } },
        headers: { Authorization: 'Basic dXNlcjpwYXNz' },
        apiKey: keySecret,
        provider: { apiKey: 'sk-upstream-secret', name: 'ollama' },
        request: {
          prompt: '주민번호 900101-1234568',
          messages: [{ role: 'user', content: 'kim@example.com' }],
        },
        variables: { email: 'kim@example.com' },
        files: {
          s3: { bucket: 'keel-files', secretAccessKey: 's3-secret-value', sessionToken: 's3-session' },
        },
      },
      `request with key ${keySecret}`,
    );
    logger.error({ err: new Error(`upstream said: invalid Authorization: Bearer ${keySecret}`) }, 'failed');
    logger.warn(`retrying with Bearer sk-live-abc123 on ${'x'.repeat(3)}`);
    const written = text();
    const lines = written.trim().split('\n');
    expect(lines).toHaveLength(3);
    // Every line is still JSON.
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [
      keySecret,
      'dXNlcjpwYXNz',
      'sk-upstream-secret',
      'sk-live-abc123',
      'sid=1',
      '900101-1234568',
      'kim@example.com',
      's3-secret-value',
      's3-session',
    ]) {
      expect(written).not.toContain(secret);
    }
    const first = JSON.parse(lines[0]!);
    expect(first.req.headers.authorization).toBe('[redacted]');
    expect(first.req.method).toBe('POST');
    expect(first.provider.name).toBe('ollama');
    expect(first.files.s3.bucket).toBe('keel-files');
    expect(first.msg).toBe('request with key keel_[redacted]');
  });

  it('scrubs credentials inside any text and leaves ids alone', () => {
    expect(scrubSecrets('"Bearer abc.def-1" and prun_01hx2abcdefghjkmn')).toBe(
      '"Bearer [redacted]" and prun_01hx2abcdefghjkmn',
    );
    // A key's display prefix (keel_ + 6) is not a secret.
    expect(scrubSecrets('key keel_ab12cd')).toBe('key keel_ab12cd');
  });

  it('never prints the statement, parameters or detail of a database error', () => {
    const { logger, text } = capture();
    const databaseError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      query: "INSERT INTO users (email) VALUES ('kim@example.com')",
      params: ['kim@example.com', '900101-1234568'],
      detail: 'Key (email)=(kim@example.com) already exists.',
    });
    logger.error({ err: new Error('internal', { cause: databaseError }) }, 'failed');
    logger.error({ err: databaseError }, 'failed');
    const written = text();
    expect(written).not.toContain('kim@example.com');
    expect(written).not.toContain('900101-1234568');
    expect(written).toContain('23505');
  });
});
