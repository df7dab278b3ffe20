/** Test set-up through the SDK as the admin: keys with a role, user accounts, projects. */
import type { KeelClient } from '../../../src/sdk/index.js';

export async function createKey(
  admin: KeelClient,
  name: string,
  role: 'admin' | 'editor' | 'validator' | 'viewer',
) {
  const created = await admin.keys.create({ name, role });
  return { id: created.id, key: created.key };
}

export async function createUser(
  admin: KeelClient,
  input: { email: string; password: string; displayName: string; role: 'admin' | 'editor' | 'viewer' },
) {
  return admin.request<{ user_id: string }>('POST', '/api/v1/users', {
    body: { email: input.email, password: input.password, display_name: input.displayName, role: input.role },
  });
}

export async function addMember(admin: KeelClient, projectId: string, userId: string, role: string) {
  await admin.request('PUT', `/api/v1/projects/${projectId}/members/${userId}`, { body: { role } });
}

/**
 * Puts an API key into the tab's session storage before the console loads (skips the form) and,
 * unless told otherwise, sets the language to English (it is remembered across the browser's tabs).
 */
export function credentialScript(key: string, language: 'en' | 'ko' | null = 'en'): string {
  const credential = JSON.stringify(JSON.stringify({ kind: 'key', secret: key }));
  return `sessionStorage.setItem('keel.credential', ${credential});${
    language ? ` localStorage.setItem('keel.language', '${language}');` : ''
  }`;
}
