/**
 * @module deployments/ledger
 * One ledger for limits and budgets: requests and tokens per minute, token and cost budgets, per
 * project, API key and deployment, reserved before each model call and settled after, in the
 * database. The module adds the ledger middleware to every model the registry hands out.
 */
import type { AuditRecorder } from '../../audit/index.js';
import type { KeelModule, ModuleBase } from '../../core/module.js';
import { findCatalogEntry, type ProviderRegistry } from '../../models/index.js';
import { Ledger } from './ledger.js';
import { ledgerMiddleware, type PriceOf } from './ledger-middleware.js';
import { LimitStore } from './limit-store.js';

export { Ledger, type LedgerAmounts, type LedgerScope, Reservation, windowStartOf } from './ledger.js';
export {
  estimateTokens,
  type LedgerCallOptions,
  ledgerMiddleware,
  ledgerScopeOf,
  type PriceOf,
  runForDeployment,
  type ServedCall,
  servedCall,
  withCallAttributes,
} from './ledger-middleware.js';
export {
  type LedgerLimit,
  type LimitMetric,
  type LimitPeriod,
  LimitStore,
  limitMetrics,
  limitPeriods,
  type ScopeType,
  type SetLimitInput,
  scopeTypes,
} from './limit-store.js';

export interface LedgerDeps extends ModuleBase {
  audit: AuditRecorder;
  registry: ProviderRegistry;
}

export interface LedgerApi {
  ledger: Ledger;
  limits: LimitStore;
}

/** Prices from the model catalog (by full id, then by the model part); unknown models cost nothing. */
export const catalogPriceOf: PriceOf = (modelId) => {
  const entry = findCatalogEntry(modelId) ?? findCatalogEntry(modelId.slice(modelId.indexOf(':') + 1));
  return entry?.pricePerMillion;
};

export const ledgerModule: KeelModule<LedgerDeps, LedgerApi> = {
  name: 'ledger',
  create({ db, audit, registry, logger }) {
    const limits = new LimitStore(db, audit);
    const ledger = new Ledger({ db, limits, logger });
    // Inside metering (a refused call is metered as a 429), outside the time limit.
    registry.use(ledgerMiddleware({ ledger, prices: catalogPriceOf, logger }), { before: 'time-limit' });
    return { ledger, limits };
  },
  // Settlements still in flight are written before the database closes.
  close: ({ ledger }) => ledger.drain(),
};
