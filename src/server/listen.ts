/**
 * @module server/listen
 * Puts an app on a socket (127.0.0.1 unless told otherwise) and closes it gracefully: stop
 * accepting, let in-flight requests finish up to a grace period, then drop what is left.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { KeelError } from '../core/errors.js';

export interface ListeningServer {
  url: string;
  port: number;
  close(graceMs?: number): Promise<void>;
}

/** What the app puts in front of itself on a socket: a lane given the app's own listener. */
export type Lane = (app: RequestListener) => (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

export async function listen(
  app: Pick<Hono, 'fetch'> & { lane?: Lane },
  options: { host?: string; port?: number } = {},
): Promise<ListeningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port: options.port ?? 0,
        serverOptions: { keepAliveTimeout: 65_000 },
        ...(app.lane ? { createServer: withLane(app.lane) } : {}),
      },
      (info: AddressInfo) => {
        const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${urlHost}:${info.port}`,
          port: info.port,
          close(graceMs = 5_000) {
            const http = server as unknown as {
              closeIdleConnections?: () => void;
              closeAllConnections?: () => void;
            };
            return new Promise<void>((done) => {
              const timer = setTimeout(() => http.closeAllConnections?.(), graceMs);
              timer.unref();
              // Keep-alive connections go idle as their last request finishes: close them then,
              // rather than holding the shutdown for the whole grace period.
              const sweep = setInterval(() => http.closeIdleConnections?.(), 50);
              sweep.unref();
              server.close(() => {
                clearTimeout(timer);
                clearInterval(sweep);
                done();
              });
              http.closeIdleConnections?.();
            });
          },
        });
      },
    );
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new KeelError(
            'service_unavailable',
            `Port ${options.port} on ${host} is already in use; choose another with --port or KEEL_PORT.`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(new KeelError('service_unavailable', `Not allowed to listen on ${host}:${options.port}.`));
      else reject(error);
    });
  });
}

/** A `createServer` that offers each request to the lane first, then to the app. */
function withLane(lane: Lane): typeof createServer {
  return ((options: object, listener: RequestListener) => {
    const first = lane(listener);
    return createServer(options, (incoming, outgoing) => {
      if (!first(incoming, outgoing)) listener(incoming, outgoing);
    });
  }) as typeof createServer;
}
