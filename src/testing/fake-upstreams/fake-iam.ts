/**
 * @module testing/fake-upstreams/fake-iam
 * The IBM Cloud IAM token service of the fake watsonx: `POST /identity/token` with the form-encoded
 * API key grant answers a JWT-shaped (unsigned) access token — IBM's SDKs read `exp` and `iat`
 * from it — and remembers which tokens are valid until they are revoked.
 */
import type { ServerResponse } from 'node:http';
import { type FakeRequest, sendJson } from './fake-server.js';

export class FakeIam {
  readonly #valid = new Set<string>();
  /** Tokens issued so far. */
  issued = 0;

  /** Answers a token request; `apiKey` is the key to accept (any when undefined). */
  token(
    request: FakeRequest,
    response: ServerResponse,
    apiKey: string | undefined,
    ttlSeconds: number,
  ): void {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'urn:ibm:params:oauth:grant-type:apikey' || !form.apikey) {
      sendJson(
        response,
        400,
        JSON.stringify({ errorCode: 'BXNIM0109E', errorMessage: 'Property missing or empty.' }),
      );
      return;
    }
    if (apiKey !== undefined && form.apikey !== apiKey) {
      sendJson(
        response,
        400,
        JSON.stringify({ errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' }),
      );
      return;
    }
    this.issued++;
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const accessToken = `${part({ alg: 'none', typ: 'JWT' })}.${part({ iat: now, exp: now + ttlSeconds, sub: 'fake', jti: `token-${this.issued}` })}.fake-signature`;
    this.#valid.add(accessToken);
    sendJson(
      response,
      200,
      JSON.stringify({
        access_token: accessToken,
        refresh_token: 'not_supported',
        token_type: 'Bearer',
        expires_in: ttlSeconds,
        expiration: now + ttlSeconds,
        scope: 'ibm openid',
      }),
    );
  }

  /** Whether an `Authorization` header carries a token this service issued and has not revoked. */
  accepts(authorization: string | undefined): boolean {
    return authorization?.startsWith('Bearer ') === true && this.#valid.has(authorization.slice(7));
  }

  /** Makes every token issued so far invalid, as if it had expired. */
  revokeAll(): void {
    this.#valid.clear();
  }
}
