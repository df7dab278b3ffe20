/**
 * @module server/routes/watsonx/forecast
 * `POST /ml/v1/time_series/forecast`: the embedded forecasters (`keel/holt-winters`, `keel/holt`,
 * `keel/ses`, `keel/seasonal-naive`; watsonx's TinyTimeMixer names answered by keel/holt-winters
 * with a warning) or, for any other model id, the configured watsonx-compatible upstream
 * (`forecastUpstream`). Too few points and uneven spacing are coded 400s.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { forecastRequestSchema, forecastResponseSchema } from '../../../api/watsonx-inference.js';
import type { KeelConfig } from '../../../core/config.js';
import { KeelError } from '../../../core/errors.js';
import {
  embeddedForecasters,
  type ForecastRequest,
  forecast,
  forwardForecast,
  isEmbeddedForecaster,
  type RemoteForecastSettings,
} from '../../../forecast/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { requestSignal } from '../../request-signal.js';
import { json } from '../../respond.js';
import { requiredContextId } from './context-id.js';
import { versionQuery } from './text-generation.js';
import { watsonxError } from './watsonx-route-shapes.js';

const route = createRoute({
  method: 'post',
  path: '/ml/v1/time_series/forecast',
  tags: ['watsonx.ai-compatible'],
  summary: 'Forecast time series',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: forecastRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Forecast values per series',
      content: { 'application/json': { schema: forecastResponseSchema } },
    },
    400: watsonxError('Invalid request, too few points or uneven spacing'),
    404: watsonxError('Unknown model or project'),
  },
});

/**
 * The upstream for remote forecasting models: `forecast.url` and `forecast.token` in keel.yaml
 * (KEEL_FORECAST_URL and KEEL_FORECAST_TOKEN override them). None when no URL is set.
 */
export function forecastUpstream(config: Pick<KeelConfig, 'forecast'>): RemoteForecastSettings | undefined {
  if (!config.forecast.url) return undefined;
  return { url: config.forecast.url, token: config.forecast.token };
}

export function registerForecast(
  app: OpenAPIHono<KeelEnv>,
  services: KeelServices,
  upstream: RemoteForecastSettings | undefined = forecastUpstream(services.config),
): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    projectScope(c, 'invoke', requiredContextId(body.project_id, body.space_id, 'body'));
    const request: ForecastRequest = {
      model_id: body.model_id,
      data: body.data,
      schema: body.schema,
      ...(body.parameters ? { parameters: body.parameters } : {}),
    };
    if (isEmbeddedForecaster(body.model_id)) return json(forecast(request));
    if (!upstream) {
      throw new KeelError('model_not_found', `No forecasting model "${body.model_id}".`, {
        issues: [{ code: 'unknown_model', path: ['model_id'], message: 'unknown forecasting model' }],
        data: {
          hint: `Embedded forecasters: ${Object.keys(embeddedForecasters).join(', ')}; set forecast.url (KEEL_FORECAST_URL) to forward other models to watsonx.ai.`,
        },
      });
    }
    return json(await forwardForecast(upstream, request, requestSignal(c)));
  });
}
