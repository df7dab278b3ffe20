import { describe, expect, it } from 'vitest';
import { KeelError } from './errors.js';
import { assertPublicUrl, isPublicAddress, publicOnlyLookup, redact } from './outbound-url.js';

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    return (error as KeelError).code;
  }
}

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:c0a8:0101::1',
    '::127.0.0.1',
    '2001:db8::1',
    'not-an-ip',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:0808:0808::1',
  ])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('assertPublicUrl', () => {
  it('accepts an https URL whose host resolves only to public addresses', async () => {
    const url = await assertPublicUrl('https://models.example/a.gguf', {
      lookup: resolvesTo('93.184.216.34', '2606:2800:220:1::1'),
    });
    expect(url.hostname).toBe('models.example');
  });

  it('refuses loopback, private and link-local literals, IPv6 included', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.8/x',
    ]) {
      expect(await codeOf(assertPublicUrl(url))).toBe('forbidden');
    }
  });

  it('refuses a name that resolves to any private address', async () => {
    const error = await assertPublicUrl('https://sneaky.example/x', {
      lookup: resolvesTo('93.184.216.34', '192.168.0.10'),
    }).catch((caught: KeelError) => caught);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('forbidden');
    expect((error as KeelError).message).toContain('192.168.0.10');
    expect(String((error as KeelError).data?.hint)).toContain('allowPrivateNetworkFetch');
  });

  it('refuses http unless private networks are allowed', async () => {
    expect(await codeOf(assertPublicUrl('http://models.example/a', { lookup: resolvesTo('8.8.8.8') }))).toBe(
      'invalid_request',
    );
    expect(await codeOf(assertPublicUrl('ftp://models.example/a'))).toBe('invalid_request');
    expect(await codeOf(assertPublicUrl('not a url'))).toBe('invalid_request');
  });

  it('allows anything http(s) when private networks are allowed, without resolving', async () => {
    const url = await assertPublicUrl('http://127.0.0.1:8080/a', {
      allowPrivateNetwork: true,
      lookup: async () => {
        throw new Error('must not resolve');
      },
    });
    expect(url.port).toBe('8080');
  });

  it('reports a name that does not resolve as a network error with a hint', async () => {
    const error = await assertPublicUrl('https://no-such-host.invalid/x', {
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    }).catch((caught: KeelError) => caught);
    expect((error as KeelError).code).toBe('network_error');
    expect((error as KeelError).message).toContain('ENOTFOUND');
    expect((error as KeelError).data?.hint).toBeTypeOf('string');
  });

  it('keeps credentials and query strings out of messages', () => {
    expect(redact(new URL('https://user:secret@host.example/p/a.gguf?token=abc'))).toBe(
      'https://host.example/p/a.gguf',
    );
  });
});

describe('publicOnlyLookup', () => {
  it('fails the connection for a loopback name', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (caught) => resolve(caught)),
    );
    expect(error?.code).toBe('EKEELPRIVATE');
  });
});
