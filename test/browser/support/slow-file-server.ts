/**
 * Serves one file over HTTP slowly (a chunk every `intervalMs`), with Content-Length and Range
 * support, so that a model pull takes long enough to watch its progress bar move.
 */
import http from 'node:http';

export interface SlowFileServer {
  url: string;
  close(): Promise<void>;
}

export async function startSlowFileServer(
  bytes: Uint8Array,
  options: { chunkBytes?: number; intervalMs?: number } = {},
): Promise<SlowFileServer> {
  const chunkBytes = options.chunkBytes ?? 8 * 1024;
  const intervalMs = options.intervalMs ?? 100;
  const server = http.createServer((request, response) => {
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Math.min(Number(range[1]), bytes.length) : 0;
    response.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length - start),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    let offset = start;
    const timer = setInterval(() => {
      if (offset >= bytes.length) {
        clearInterval(timer);
        response.end();
        return;
      }
      response.write(bytes.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    }, intervalMs);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
