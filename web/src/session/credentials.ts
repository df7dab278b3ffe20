/**
 * What the console signs in with: an API key or a session token from e-mail + password sign-in.
 * Kept in sessionStorage, so closing the tab signs out and other tabs never see it.
 */
import { isRecord } from '../lib/guards';
import { readJson, storageKeys, writeJson } from '../lib/storage';

export type Credential =
  | { kind: 'key'; secret: string }
  | { kind: 'session'; secret: string; email: string; expiresAt: string };

function isCredential(value: unknown): value is Credential {
  if (!isRecord(value) || typeof value.secret !== 'string' || !value.secret) return false;
  if (value.kind === 'key') return true;
  return value.kind === 'session' && typeof value.email === 'string' && typeof value.expiresAt === 'string';
}

export function loadCredential(): Credential | undefined {
  const credential = readJson('session', storageKeys.credential, isCredential);
  if (credential?.kind === 'session' && Date.parse(credential.expiresAt) <= Date.now()) return undefined;
  return credential;
}

export function saveCredential(credential: Credential | undefined): void {
  writeJson('session', storageKeys.credential, credential);
}
