import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { resolveGenerationSettings, samplingDefaults } from './generation-settings.js';

const draw = () => 12345;

describe('resolveGenerationSettings', () => {
  it('decodes greedily by default', () => {
    const settings = resolveGenerationSettings({}, draw);
    expect(settings.sampling).toEqual({ temperature: 0 });
    expect(settings.seed).toBeUndefined();
    expect(settings.minNewTokens).toBe(0);
    expect(settings.warnings).toEqual([]);
  });

  it('ignores sampling knobs under greedy decoding, as watsonx does', () => {
    const settings = resolveGenerationSettings(
      { parameters: { decodingMethod: 'greedy', temperature: 0.9, topK: 5, randomSeed: 3 } },
      draw,
    );
    expect(settings.sampling).toEqual({ temperature: 0 });
  });

  it('samples with the given settings and seed', () => {
    const settings = resolveGenerationSettings(
      { parameters: { decodingMethod: 'sample', temperature: 0.7, topK: 10, topP: 0.9, randomSeed: 42 } },
      draw,
    );
    expect(settings.sampling).toEqual({
      temperature: 0.7,
      topK: 10,
      topP: 0.9,
      minP: samplingDefaults.minP,
      seed: 42,
    });
    expect(settings.seed).toBe(42);
  });

  it('draws and reports a seed when sampling without one; a bare temperature means sampling', () => {
    const settings = resolveGenerationSettings({ parameters: { temperature: 0.5 } }, draw);
    expect(settings.sampling.temperature).toBe(0.5);
    expect(settings.seed).toBe(12345);
    expect(settings.sampling.seed).toBe(12345);
  });

  it('maps lengths, stops and penalties', () => {
    const settings = resolveGenerationSettings(
      {
        parameters: {
          maxNewTokens: 50,
          minNewTokens: 5,
          stopSequences: ['\n\n', ''],
          includeStopSequence: true,
          repetitionPenalty: 1.2,
          presencePenalty: 0.5,
          truncateInputTokens: 100,
        },
      },
      draw,
    );
    expect(settings).toMatchObject({
      maxNewTokens: 50,
      minNewTokens: 5,
      stopSequences: ['\n\n'],
      includeStopSequence: true,
      repeatPenalty: { penalty: 1.2, presencePenalty: 0.5 },
      truncateInputTokens: 100,
    });
    expect(resolveGenerationSettings({ parameters: { repetitionPenalty: 1 } }).repeatPenalty).toBeUndefined();
  });

  it('warns instead of failing on settings it cannot honour', () => {
    const clamped = resolveGenerationSettings({ parameters: { maxNewTokens: 3, minNewTokens: 10 } });
    expect(clamped.minNewTokens).toBe(3);
    expect(clamped.warnings[0]).toMatchObject({ type: 'unsupported-setting', setting: 'min_new_tokens' });
    const json = resolveGenerationSettings({
      parameters: { minNewTokens: 10 },
      responseFormat: { type: 'json' },
    });
    expect(json.minNewTokens).toBe(0);
    expect(json.warnings[0]?.setting).toBe('min_new_tokens');
    const vendor = resolveGenerationSettings({ providerOptions: { llamacpp: { mirostat: 2 } } });
    expect(vendor.warnings[0]?.setting).toBe('providerOptions.llamacpp.mirostat');
  });

  it('reads vendor options', () => {
    const settings = resolveGenerationSettings({
      parameters: { decodingMethod: 'sample', randomSeed: 1 },
      providerOptions: {
        llamacpp: { minP: 0.1, logitBias: { '7': -100, '9': 2.5 } },
        ollama: { num_ctx: 1 },
      },
    });
    expect(settings.sampling.minP).toBe(0.1);
    expect(settings.logitBias.get(7)).toBe(Number.NEGATIVE_INFINITY);
    expect(settings.logitBias.get(9)).toBe(2.5);
    expect(settings.warnings).toEqual([]);
  });

  it('rejects values that make no sense', () => {
    for (const parameters of [
      { temperature: -1 },
      { topP: 0 },
      { topK: 1.5 },
      { maxNewTokens: -1 },
      { truncateInputTokens: 0 },
      { repetitionPenalty: 0 },
    ]) {
      expect(() => resolveGenerationSettings({ parameters })).toThrow(KeelError);
    }
    expect(() =>
      resolveGenerationSettings({ providerOptions: { llamacpp: { logitBias: { x: 1 } } } }),
    ).toThrow(/logitBias/);
  });
});
