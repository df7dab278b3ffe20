/**
 * Masking policies: which roles see a tag's columns (or one column) hashed, partly hidden, null or
 * redacted. Listing needs `read`; adding and removing need `manage` (the server checks as well).
 */
import type { MaskingPolicyJson, MaskingPolicyRequest } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

const methods = ['hash', 'partial', 'null', 'redact'] as const;
const roles = ['admin', 'editor', 'validator', 'viewer'] as const;
type Role = (typeof roles)[number];

export function MaskingEditor({ tables, onChanged }: { tables: string[]; onChanged(): void }) {
  const { t } = useI18n();
  const { client, projectId, can } = useSession();
  const policies = useLoad(() => client.data.maskingPolicies(), [client, projectId]);
  const [error, setError] = useState<ShownError | null>(null);
  const list = policies.status === 'failed' ? undefined : policies.value;

  async function remove(policy: MaskingPolicyJson) {
    setError(null);
    try {
      await client.data.removeMaskingPolicy(policy.id);
      policies.reload();
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  const target = (policy: MaskingPolicyJson) =>
    policy.tag
      ? t('data.target.tag', { tag: policy.tag })
      : t('data.target.column', { table: policy.table ?? '*', column: policy.column ?? '*' });

  return (
    <section aria-labelledby="data-masking">
      <h2 id="data-masking">{t('data.masking')}</h2>
      {policies.status === 'failed' ? <ErrorNotice error={policies.error} /> : null}
      {policies.status === 'loading' && !list ? <Loading /> : null}
      {list && list.length === 0 ? <p>{t('data.noPolicies')}</p> : null}
      {list && list.length > 0 ? (
        <table>
          <caption>{t('data.masking')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('data.policyTarget')}</th>
              <th scope="col">{t('data.policyMethod')}</th>
              <th scope="col">{t('data.policyRoles')}</th>
              {can('manage') ? <td /> : null}
            </tr>
          </thead>
          <tbody>
            {list.map((policy) => (
              <tr key={policy.id}>
                <th scope="row">{target(policy)}</th>
                <td>{t(`data.method.${policy.method}`)}</td>
                <td>{policy.roles.join(', ')}</td>
                {can('manage') ? (
                  <td>
                    <button type="button" onClick={() => remove(policy)}>
                      {t('data.removePolicy')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {can('manage') ? (
        <PolicyForm
          tables={tables}
          onAdded={() => {
            policies.reload();
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

function PolicyForm({ tables, onAdded }: { tables: string[]; onAdded(): void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { kind: useId(), tag: useId(), table: useId(), column: useId(), method: useId() };
  const [kind, setKind] = useState<'tag' | 'column'>('tag');
  const [tag, setTag] = useState('pii');
  const [table, setTable] = useState('');
  const [column, setColumn] = useState('');
  const [method, setMethod] = useState<(typeof methods)[number]>('partial');
  const [chosen, setChosen] = useState<Set<Role>>(new Set(['viewer']));
  const [formError, setFormError] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setError(null);
    if (chosen.size === 0) {
      setFormError(t('data.chooseRole'));
      return;
    }
    const policy: MaskingPolicyRequest =
      kind === 'tag'
        ? { tag: tag.trim(), method, roles: [...chosen] }
        : { table: table || tables[0] || '', column: column.trim(), method, roles: [...chosen] };
    try {
      await client.data.addMaskingPolicy(policy);
      onAdded();
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  const toggle = (role: Role) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(role)) next.delete(role);
      else next.add(role);
      return next;
    });

  return (
    <form onSubmit={add} aria-label={t('data.addPolicy')}>
      <h3>{t('data.addPolicy')}</h3>
      <label htmlFor={ids.kind}>{t('data.targetKind')}</label>
      <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as 'tag' | 'column')}>
        <option value="tag">{t('data.byTag')}</option>
        <option value="column">{t('data.byColumn')}</option>
      </select>
      {kind === 'tag' ? (
        <>
          <label htmlFor={ids.tag}>{t('data.tag')}</label>
          <input id={ids.tag} value={tag} onChange={(e) => setTag(e.target.value)} required maxLength={40} />
        </>
      ) : (
        <>
          <label htmlFor={ids.table}>{t('data.table')}</label>
          <select id={ids.table} value={table} onChange={(e) => setTable(e.target.value)}>
            {tables.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <label htmlFor={ids.column}>{t('data.columnName')}</label>
          <input id={ids.column} value={column} onChange={(e) => setColumn(e.target.value)} required />
        </>
      )}
      <label htmlFor={ids.method}>{t('data.policyMethod')}</label>
      <select
        id={ids.method}
        value={method}
        onChange={(e) => setMethod(e.target.value as (typeof methods)[number])}
      >
        {methods.map((m) => (
          <option key={m} value={m}>
            {t(`data.method.${m}`)}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{t('data.policyRoles')}</legend>
        {roles.map((role) => (
          <label key={role}>
            <input type="checkbox" checked={chosen.has(role)} onChange={() => toggle(role)} />{' '}
            {t(`data.role.${role}`)}
          </label>
        ))}
      </fieldset>
      {formError ? <p role="alert">{formError}</p> : null}
      {error ? <ErrorNotice error={error} title={t('data.policyFailed')} /> : null}
      <button type="submit">{t('data.policyAdd')}</button>
    </form>
  );
}
