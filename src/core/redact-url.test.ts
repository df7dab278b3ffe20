import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks credentials in the authority', () => {
    expect(redactUrl('https://alice:s3cret@models.example/m.gguf')).toBe('https://***@models.example/m.gguf');
    expect(redactUrl('postgres://keel:pw@db.internal:5432/keel')).toBe(
      'postgres://***@db.internal:5432/keel',
    );
    expect(redactUrl('https://token-only@host.example/x')).toBe('https://***@host.example/x');
  });

  it('masks secret query parameters and keeps the others', () => {
    expect(
      redactUrl(
        'https://bucket.s3.amazonaws.com/m.gguf?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc&rev=2',
      ),
    ).toBe(
      'https://bucket.s3.amazonaws.com/m.gguf?X-Amz-Algorithm=***&X-Amz-Credential=***&X-Amz-Signature=***&rev=2',
    );
    expect(
      redactUrl('https://h.example/f?token=t&key=k&sig=s&signature=x&access_token=a&api_key=b&download=true'),
    ).toBe(
      'https://h.example/f?token=***&key=***&sig=***&signature=***&access_token=***&api_key=***&download=true',
    );
    expect(redactUrl(new URL('https://h.example/f?API_KEY=b#part'))).toBe(
      'https://h.example/f?API_KEY=***#part',
    );
  });

  it('leaves what is not a URL alone, masking URL-shaped secrets in it', () => {
    expect(redactUrl('granite-3.3-2b-instruct')).toBe('granite-3.3-2b-instruct');
    expect(redactUrl('hf:ibm-granite/granite-GGUF/file.gguf')).toBe('hf:ibm-granite/granite-GGUF/file.gguf');
    expect(redactText('fetching https://u:p@h.example/a?token=zz failed')).toBe(
      'fetching https://***@h.example/a?token=*** failed',
    );
  });
});
