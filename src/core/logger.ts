/**
 * @module core/logger
 * Structured JSON logs (pino). Secrets and request bodies are never logged; the redact list is a
 * second line of defence, not the first.
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: null,
      redact: {
        paths: [
          'apiKey',
          'key',
          'password',
          'authorization',
          'headers.authorization',
          '*.apiKey',
          '*.password',
          'token',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
