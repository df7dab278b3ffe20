/**
 * Typed, failure-tolerant access to the browser's storages. Private windows and full quotas throw
 * on write; the console keeps working without persistence rather than breaking.
 */
export type StorageArea = 'local' | 'session';

function area(which: StorageArea): Storage | undefined {
  try {
    return which === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function readString(which: StorageArea, key: string): string | undefined {
  return area(which)?.getItem(key) ?? undefined;
}

export function writeString(which: StorageArea, key: string, value: string | undefined): void {
  const storage = area(which);
  if (!storage) return;
  try {
    if (value === undefined) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Quota exceeded or storage disabled: the value simply is not remembered.
  }
}

export function readJson<T>(
  which: StorageArea,
  key: string,
  isValid: (value: unknown) => value is T,
): T | undefined {
  const raw = readString(which, key);
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeJson(which: StorageArea, key: string, value: unknown): void {
  writeString(which, key, value === undefined ? undefined : JSON.stringify(value));
}

export const storageKeys = {
  language: 'keel.language',
  credential: 'keel.credential',
  project: 'keel.project',
  promptDraft: 'keel.prompt-lab.draft',
  notice: 'keel.sign-in.notice',
} as const;
