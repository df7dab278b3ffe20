/**
 * @module forecast/remote-forecast
 * The provider path: a forecast for a model Keel does not embed is forwarded, unchanged, to a
 * watsonx-compatible upstream (watsonx.ai itself, or another Keel) that serves
 * `POST /ml/v1/time_series/forecast`. Upstream errors come back as `upstream_error` with the
 * upstream's status and first error code; an unreachable upstream is `upstream_unavailable`.
 */
import { KeelError } from '../core/errors.js';
import type { ForecastRequest, ForecastResponse } from './forecast.js';

export interface RemoteForecastSettings {
  /** Base URL of the upstream, e.g. https://us-south.ml.cloud.ibm.com */
  url: string;
  /** Bearer token sent as `Authorization`. */
  token?: string | undefined;
  /** `project_id` or `space_id` to run in upstream. */
  scope?: Record<string, string> | undefined;
  version?: string | undefined;
}

export async function forwardForecast(
  settings: RemoteForecastSettings,
  request: ForecastRequest,
  signal?: AbortSignal,
): Promise<ForecastResponse> {
  const url = `${settings.url.replace(/\/+$/, '')}/ml/v1/time_series/forecast?version=${settings.version ?? '2024-05-31'}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
      },
      body: JSON.stringify({ ...request, ...(settings.scope ?? {}) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw new KeelError('upstream_unavailable', 'The forecasting upstream could not be reached.', {
      cause: error,
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const first = (body as { errors?: { code?: string; message?: string }[] } | undefined)?.errors?.[0];
    throw new KeelError(
      'upstream_error',
      `The forecasting upstream answered ${response.status}${first?.message ? `: ${first.message.slice(0, 200)}` : ''}.`,
      { data: { upstreamStatus: response.status, upstreamCode: first?.code ?? null } },
    );
  }
  if (!body || typeof body !== 'object' || !Array.isArray((body as ForecastResponse).results))
    throw new KeelError('upstream_error', 'The forecasting upstream answered without results.');
  return body as ForecastResponse;
}
