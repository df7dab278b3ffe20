/**
 * @module core/logger
 * Structured JSON logs (pino). Secrets, request bodies and prompt text are never logged; the two
 * defences here are a second line, not the first: fields that hold them are censored by name (at
 * the top level, one and two levels down), and every written line is scrubbed of bearer
 * credentials and Keel key secrets wherever they appear (an error message, a URL).
 */
import { type Logger, pino } from 'pino';

export type { Logger };

/** Field names whose values never reach a log: credentials, then model input and output. */
const censoredFields = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'key',
  'secret',
  'secretKey',
  'secretAccessKey',
  'sessionToken',
  'password',
  'token',
  'prompt',
  'messages',
  'input',
  'output',
  'variables',
  'question',
  'body',
  // Database errors carry the statement, its parameters and a detail that quotes values
  // ("Key (name)=(…) already exists"): user data, so none of it is logged.
  'params',
  'parameters',
  'query',
  'detail',
];

/** Each field at the top level, in any object, and in any object two levels down (`req.headers.authorization`). */
export const redactPaths: string[] = censoredFields.flatMap((field) => {
  const name = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const child = name.startsWith('[') ? name : `.${name}`;
  return [name, `*${child}`, `*.*${child}`];
});

/** A bearer or basic credential, or a Keel API key secret (`keel_` + 40 base32 characters). */
const secretPattern = /\b(Bearer|Basic)\s+[^\s"\\]+|\bkeel_[0-9a-z]{20,}/gi;

/** Scrubs credentials from a written line; the replacements keep it valid JSON. */
export function scrubSecrets(line: string): string {
  return line.replace(secretPattern, (_match, scheme: string | undefined) =>
    scheme ? `${scheme} [redacted]` : 'keel_[redacted]',
  );
}

export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: null,
      redact: { paths: redactPaths, censor: '[redacted]' },
      hooks: { streamWrite: scrubSecrets },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
