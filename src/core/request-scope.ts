/**
 * @module core/request-scope
 * Who is acting, for which request, carried through async calls with `AsyncLocalStorage`. The
 * server opens a scope per request (middleware right after the request id is set); services read
 * it where they need it (the audit log) instead of passing actors through every call. The direct
 * lane (server/direct-lane) opens none: what its calls record names the caller explicitly.
 * Authentication runs after the scope opens, so the actor is resolved when asked, not when set.
 */
import { ScopedStorage } from './scoped-storage.js';

export interface ScopeActor {
  keyId: string | null;
  userId: string | null;
  /** The caller's role in the project asked about; null when it has none there. */
  role: string | null;
}

export interface RequestScope {
  requestId: string | null;
  /** The client's network address, when known. */
  address: string | null;
  /** The caller acting in `projectId` (null: the organisation), or undefined before authentication. */
  actor(projectId: string | null): ScopeActor | undefined;
}

// Enabled only while a scope is open (core/scoped-storage): calls served without one (the direct
// lane's) pay no promise hooks.
const storage = new ScopedStorage<RequestScope>();

/** Runs `work` with `scope` as the current request scope (and everything it awaits or starts). */
export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the request being served, or undefined outside one (start-up, timers, jobs). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
