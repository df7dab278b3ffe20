/**
 * Who is signed in, in which project, with which permissions. Every page reaches Keel through
 * `client` (the SDK's KeelClient); a 401 on any call signs the user out with a notice and keeps the
 * page's drafts (they live in sessionStorage), so signing in again returns to the same work.
 */

import type { Me } from '@keel/api/platform';
import { KeelApiError, KeelClient } from '@keel/sdk';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { readString, storageKeys, writeString } from '../lib/storage';
import { type Credential, loadCredential, saveCredential } from './credentials';

export type Permission = 'read' | 'invoke' | 'write' | 'validate' | 'manage';
export type SignInNotice = 'expired' | 'signed-out';

export type SessionState =
  | { status: 'signed-out'; notice?: SignInNotice }
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'ready'; me: Me };

export interface Session {
  state: SessionState;
  client: KeelClient;
  credential: Credential | undefined;
  projectId: string | undefined;
  setProject(projectId: string): void;
  can(permission: Permission): boolean;
  signInWithKey(key: string): Promise<void>;
  signInWithPassword(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

function chooseProject(me: Me, wanted: string | undefined): string {
  return me.projects.some((project) => project.id === wanted) ? wanted! : me.default_project_id;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [credential, setCredential] = useState<Credential | undefined>(loadCredential);
  const [state, setState] = useState<SessionState>(() =>
    credential ? { status: 'loading' } : { status: 'signed-out' },
  );
  const [projectId, setProjectId] = useState<string | undefined>(() =>
    readString('session', storageKeys.project),
  );
  const [attempt, setAttempt] = useState(0);
  const current = useRef(credential?.secret);
  current.current = credential?.secret;

  const expire = useCallback((secret: string) => {
    // A late 401 from a previous credential must not sign out the one now in use.
    if (current.current !== secret) return;
    saveCredential(undefined);
    setCredential(undefined);
    setState({ status: 'signed-out', notice: 'expired' });
  }, []);

  const client = useMemo(() => {
    const secret = credential?.secret;
    return new KeelClient({
      baseURL: '',
      apiKey: secret,
      project: projectId,
      fetch: async (request) => {
        const response = await fetch(request);
        if (response.status === 401 && secret) expire(secret);
        return response;
      },
    });
  }, [credential, projectId, expire]);

  // Loads the caller for a credential found in storage (and again on `retry`); a fresh sign-in
  // already has it.
  useEffect(() => {
    const secret = current.current;
    if (!secret || attempt < 0) return;
    let cancelled = false;
    setState({ status: 'loading' });
    new KeelClient({ baseURL: '', apiKey: secret })
      .me()
      .then((me) => {
        if (cancelled) return;
        setProjectId((wanted) => chooseProject(me, wanted));
        setState({ status: 'ready', me });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (error instanceof KeelApiError && error.status === 401) expire(secret);
        else setState({ status: 'unreachable', message: (error as Error).message });
      });
    return () => {
      cancelled = true;
    };
  }, [expire, attempt]);

  useEffect(() => writeString('session', storageKeys.project, projectId), [projectId]);

  const adopt = useCallback((next: Credential, me: Me) => {
    saveCredential(next);
    current.current = next.secret;
    setProjectId((wanted) => chooseProject(me, wanted));
    setCredential(next);
    setState({ status: 'ready', me });
  }, []);

  const session = useMemo<Session>(() => {
    const me = state.status === 'ready' ? state.me : undefined;
    return {
      state,
      client,
      credential,
      projectId,
      setProject: setProjectId,
      can: (permission) => Boolean(me && projectId && (me.permissions[projectId] ?? []).includes(permission)),
      async signInWithKey(key) {
        const secret = key.trim();
        const me = await new KeelClient({ baseURL: '', apiKey: secret }).me();
        adopt({ kind: 'key', secret }, me);
      },
      async signInWithPassword(email, password) {
        const signedIn = await new KeelClient({ baseURL: '' }).auth.signIn(email.trim(), password);
        const me = await new KeelClient({ baseURL: '', apiKey: signedIn.token }).me();
        setProjectId(signedIn.project_id);
        adopt(
          {
            kind: 'session',
            secret: signedIn.token,
            email: signedIn.user.email,
            expiresAt: signedIn.expires_at,
          },
          me,
        );
      },
      async signOut() {
        if (credential?.kind === 'session') await client.auth.signOut().catch(() => undefined);
        saveCredential(undefined);
        current.current = undefined;
        setCredential(undefined);
        setState({ status: 'signed-out', notice: 'signed-out' });
      },
      retry: () => setAttempt((value) => value + 1),
    };
  }, [state, client, credential, projectId, adopt]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession needs a <SessionProvider> above it.');
  return context;
}

/** The signed-in caller; only for components rendered inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'ready') throw new Error('useMe is only available once signed in.');
  return state.me;
}
