/**
 * A TCP proxy in front of `keel serve` that can drop a streaming answer mid-way, the way a lost
 * network does: armed with `cutNextStream()`, it forwards the first complete `delta` event of the
 * next event-stream response, then destroys both sockets. The browser sees a broken body.
 */
import net from 'node:net';

export interface CuttingProxy {
  url: string;
  cutNextStream(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  let armed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let streaming = false;
    let seen = '';
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (armed) {
        seen += chunk.toString('latin1');
        if (seen.includes('text/event-stream')) streaming = true;
      }
      if (armed && streaming) {
        const delta = seen.indexOf('event: delta');
        const end = delta === -1 ? -1 : seen.indexOf('\n\n', delta);
        if (end !== -1) {
          armed = false;
          // Forward up to the end of the first delta event (the bytes of this chunk that belong to it).
          const keep = end + 2 - (seen.length - chunk.length);
          client.write(chunk.subarray(0, Math.max(0, keep)), () => {
            client.destroy();
            upstream.destroy();
          });
          return;
        }
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutNextStream() {
      armed = true;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
