/**
 * @module server/middleware/authenticate
 * Resolves the caller from `Authorization: Bearer <key>` (also `api-key` / `x-api-key`, which
 * Azure-style clients send). Every route behind this middleware has a principal; there are no
 * anonymous reads.
 */
import type { MiddlewareHandler } from 'hono';
import { KeelError } from '../../core/errors.js';
import type { Principal } from '../../platform/principal.js';
import type { KeelEnv, KeelServices } from '../context.js';

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

export function authenticate(
  services: KeelServices,
  options: { localPrincipal?: Principal | undefined } = {},
): MiddlewareHandler<KeelEnv> {
  return async (c, next) => {
    const secret =
      bearerToken(c.req.header('authorization')) ?? c.req.header('api-key') ?? c.req.header('x-api-key');
    if (!secret) {
      if (options.localPrincipal) {
        c.set('principal', options.localPrincipal);
        return next();
      }
      throw new KeelError('unauthorized', 'An API key is required: send "Authorization: Bearer <key>".', {
        data: { hint: 'Create one with `keel keys create`, or use the admin key printed on first start.' },
      });
    }
    const principal = await services.keys.authenticate(secret);
    if (!principal)
      throw new KeelError('unauthorized', 'The API key is not valid: unknown, revoked or expired.');
    c.set('principal', principal);
    return next();
  };
}
