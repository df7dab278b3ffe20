import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from './html-text.js';
import { runTool } from './utility-tools.js';

let server: Server;
let base: string;
const caller = { projectId: 'p', keyId: null, actor: null };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><script>x()</script><h1>Title</h1><p>Fish &amp; chips</p></html>');
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/page' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('Webcrawler', () => {
  it('fetches a page as text when private networks are allowed, following redirects', async () => {
    const text = await runTool({ allowPrivateNetwork: true }, caller, 'Webcrawler', { url: `${base}/moved` });
    expect(text).toBe('Title\nFish & chips');
  });

  it('refuses loopback and plain http by default, with a coded error', async () => {
    await expect(runTool({}, caller, 'Webcrawler', `${base}/page`)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(runTool({}, caller, 'Webcrawler', 'https://127.0.0.1/page')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('answers an upstream error for a missing page', async () => {
    await expect(
      runTool({ allowPrivateNetwork: true }, caller, 'Webcrawler', `${base}/nothing`),
    ).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('decodes numeric entities and drops comments', () => {
    expect(htmlToText('<!-- no --><b>A&#66;&#x43;</b>')).toBe('ABC');
  });
});

describe('tool lookup', () => {
  it('does not offer a tool whose port is missing', async () => {
    await expect(runTool({}, caller, 'SQLQuery', 'SELECT 1')).rejects.toMatchObject({ code: 'not_found' });
  });
});
