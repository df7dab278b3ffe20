/**
 * Whether the signed-in caller's role may ask for a masked run's original values: the role in the
 * project (from the session) against the `restoreRoles` of the guardrail policy that masked it,
 * read once per policy. A policy that cannot be read counts with Keel's default (admin, editor);
 * the server has the last word either way (403 for a role it does not let restore).
 */
import { useEffect, useState } from 'react';
import { useSession } from '../../session/session-context';

const defaultRestoreRoles = ['admin', 'editor'];

export function useMayReveal(policies: readonly string[]): (policy: string) => boolean {
  const { client, projectId, state } = useSession();
  const role =
    state.status === 'ready'
      ? state.me.projects.find((project) => project.id === projectId)?.role
      : undefined;
  const [roles, setRoles] = useState<Record<string, readonly string[]>>({});
  const wanted = [...new Set(policies)].filter((name) => !(name in roles)).join('\n');

  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    for (const name of wanted.split('\n')) {
      client.guardrails.policies.get(name).then(
        (stored) => {
          const listed = (stored.policy as { restoreRoles?: unknown }).restoreRoles;
          const allowed = Array.isArray(listed) ? listed.map(String) : defaultRestoreRoles;
          if (!cancelled) setRoles((current) => ({ ...current, [name]: allowed }));
        },
        () => !cancelled && setRoles((current) => ({ ...current, [name]: defaultRestoreRoles })),
      );
    }
    return () => {
      cancelled = true;
    };
  }, [client, wanted]);

  return (policy) => Boolean(role && (roles[policy] ?? defaultRestoreRoles).includes(role));
}
