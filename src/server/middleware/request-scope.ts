/**
 * @module server/middleware/request-scope
 * Opens the request scope (core/request-scope) for everything the handler awaits: request id,
 * client address and, once authentication has run, the principal acting.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { runInRequestScope, type ScopeActor } from '../../core/request-scope.js';
import type { Principal } from '../../platform/principal.js';
import type { KeelEnv } from '../context.js';

export function requestScope(): MiddlewareHandler<KeelEnv> {
  return (c, next) =>
    runInRequestScope(
      {
        requestId: c.get('requestId') ?? null,
        address: clientAddress(c),
        actor: (projectId) => actorOf(c.get('principal') as Principal | undefined, projectId),
      },
      next,
    );
}

export function actorOf(principal: Principal | undefined, projectId: string | null): ScopeActor | undefined {
  if (!principal) return undefined;
  const role =
    (projectId ? principal.projectRoles.get(projectId) : undefined) ?? (principal.orgAdmin ? 'admin' : null);
  return { keyId: principal.keyId, userId: principal.userId, role };
}

/** The peer address from the Node server binding; null for in-memory calls (`app.request`). */
function clientAddress(c: Context<KeelEnv>): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}
