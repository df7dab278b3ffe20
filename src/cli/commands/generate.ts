/**
 * @module cli/commands/generate
 * `keel generate "<prompt>" --model provider:model [--stream]`: one chat turn, printed as it
 * arrives with --stream.
 */
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { printJson, withSpinner } from '../output.js';

export const generateCommand: CommandHandler = async (context, args, options) => {
  const model = (options.model as string | undefined) ?? context.io.env.KEEL_MODEL;
  if (!model) {
    throw new KeelError('invalid_request', 'Choose a model with --model provider:model (or KEEL_MODEL).', {
      data: { hint: 'See the available models with `keel models list`.' },
    });
  }
  const temperature = numberOption(options.temperature, 'temperature');
  const decoding = options.decoding as 'greedy' | 'sample' | undefined;
  const body = {
    model,
    messages: [
      ...(options.system ? [{ role: 'system' as const, content: String(options.system) }] : []),
      { role: 'user' as const, content: args[0]! },
    ],
    ...(options.maxNewTokens !== undefined
      ? { max_tokens: numberOption(options.maxNewTokens, 'max-new-tokens')! }
      : {}),
    ...(decoding === 'greedy' ? { temperature: 0 } : temperature !== undefined ? { temperature } : {}),
    ...(options.seed !== undefined ? { seed: numberOption(options.seed, 'seed')! } : {}),
    ...(options.stop ? { stop: options.stop as string[] } : {}),
  };
  const io = context.io;
  return withConnection(context, async ({ client }) => {
    if (options.stream) {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      try {
        for await (const chunk of client.chatCompletionStream(body, controller.signal)) {
          if (chunk.type === 'text') io.stdout.write(chunk.text);
          else if (chunk.type === 'warnings')
            for (const warning of chunk.warnings) io.stderr.write(`warning: ${warning.message}\n`);
          else usage = chunk.usage;
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') throw error;
      } finally {
        process.off('SIGINT', stop);
      }
      io.stdout.write('\n');
      if (usage && io.stderr.isTTY)
        io.stderr.write(`(${usage.prompt_tokens} input tokens, ${usage.completion_tokens} output tokens)\n`);
      return 0;
    }
    const completion = await withSpinner(io, `Generating with ${model}`, () => client.chatCompletion(body));
    if (context.global.json) printJson(io, completion);
    else {
      for (const warning of completion.warnings ?? []) io.stderr.write(`warning: ${warning.message}\n`);
      io.stdout.write(`${completion.choices[0]?.message.content ?? ''}\n`);
    }
    return 0;
  });
};
