/**
 * @module forecast
 * Keel's embedded time-series forecasters (a library: no state, no module object). The watsonx
 * `POST /ml/v1/time_series/forecast` route and the forecast benchmark use it; see
 * docs/architecture/watsonx-api.md for why it is a library and not a provider.
 */
export { airPassengerMonths, airPassengers } from './data/air-passengers.js';
export {
  type EmbeddedForecaster,
  embeddedForecasters,
  type ForecastRequest,
  type ForecastResponse,
  fitSeries,
  forecast,
  isEmbeddedForecaster,
  MAX_PREDICTION_LENGTH,
  MIN_POINTS,
} from './forecast.js';
export { meanAbsoluteScaledError } from './mase.js';
export { forwardForecast, type RemoteForecastSettings } from './remote-forecast.js';
export { detectSeasonality } from './seasonality.js';
export { holtLinear, holtWintersAdditive, seasonalNaive, simpleExponential } from './smoothing.js';
