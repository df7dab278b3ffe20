/**
 * @module cli/commands/guard
 * `keel guard check`: reads text from stdin (or `--text`), runs the project's guardrails over it
 * and prints the spans found, one per line, or the whole result with `--json`.
 */
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { printJson, printTable, withSpinner } from '../output.js';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function parseThreshold(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const threshold = Number(value);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new KeelError('invalid_request', '--threshold must be a number from 0 to 1.', {
      issues: [{ code: 'out_of_range', path: ['threshold'], message: 'expected 0 ≤ threshold ≤ 1' }],
    });
  }
  return threshold;
}

export const checkCommand: CommandHandler = async (context, _args, options) => {
  const io = context.io;
  const text = options.text !== undefined ? String(options.text) : await readStdin(io.stdin);
  const threshold = parseThreshold(options.threshold);
  const detectors = options.detector as string[] | undefined;
  return withConnection(context, async ({ client }) => {
    const result = await withSpinner(io, 'Checking', () =>
      client.guardrails.check({
        text,
        direction: options.output ? 'output' : 'input',
        ...(options.mode ? { mode: options.mode as 'prompt' | 'output' | 'document' } : {}),
        ...(detectors ? { detectors: detectors as ('pii' | 'hap' | 'injection')[] } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
        ...(options.policy ? { policy_name: String(options.policy) } : {}),
        include_text: Boolean(options.showText),
      }),
    );
    if (context.global.json) {
      printJson(io, result);
    } else if (result.spans.length === 0) {
      io.stdout.write('No findings.\n');
    } else {
      printTable(
        io,
        result.spans.map((span) => ({
          detector: span.detector,
          type: span.type,
          start: span.start,
          end: span.end,
          score: span.score.toFixed(2),
          action: span.action ?? 'flag',
          ...(options.showText ? { text: span.text ?? '' } : {}),
        })),
      );
      io.stdout.write(
        `\n${result.blocked ? 'blocked' : `action: ${result.action}`} (policy ${result.policy})\n`,
      );
    }
    // Exit status 3 tells scripts the text would be blocked; 0 otherwise.
    return result.blocked ? 3 : 0;
  });
};
