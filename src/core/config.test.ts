import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { KeelError } from './errors.js';

const cwd = os.tmpdir();

describe('loadConfig', () => {
  it('reads the monitoring sample rate from the file shape and from KEEL_MONITOR_SAMPLE_RATE', () => {
    expect(loadConfig({ env: {}, cwd }).monitoring.sampleRate).toBe(1);
    expect(loadConfig({ env: { KEEL_MONITOR_SAMPLE_RATE: '0.25' }, cwd }).monitoring.sampleRate).toBe(0.25);
    expect(
      loadConfig({ env: {}, cwd, overrides: { monitoring: { sampleRate: 0.5 } } }).monitoring.sampleRate,
    ).toBe(0.5);
  });

  it('reads the forecast upstream from the config, KEEL_FORECAST_URL and KEEL_FORECAST_TOKEN setting it too', () => {
    expect(loadConfig({ env: {}, cwd }).forecast).toEqual({});
    const fromFile = { forecast: { url: 'https://forecast.example/', token: 'file-token' } };
    expect(loadConfig({ env: {}, cwd, overrides: fromFile }).forecast).toEqual(fromFile.forecast);
    expect(
      loadConfig({
        env: { KEEL_FORECAST_URL: 'https://mirror.example/', KEEL_FORECAST_TOKEN: 'env-token' },
        cwd,
      }).forecast,
    ).toEqual({ url: 'https://mirror.example/', token: 'env-token' });
    expect(() => loadConfig({ env: { KEEL_FORECAST_URL: 'not a url' }, cwd })).toThrow(/forecast\.url/);
  });

  it('refuses a sample rate outside 0–1 or not a number, naming the setting', () => {
    for (const value of ['1.5', 'often']) {
      let caught: unknown;
      try {
        loadConfig({ env: { KEEL_MONITOR_SAMPLE_RATE: value }, cwd });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(KeelError);
      expect((caught as KeelError).code).toBe('invalid_config');
      expect(JSON.stringify((caught as KeelError).issues)).toContain('sampleRate');
    }
  });
});
