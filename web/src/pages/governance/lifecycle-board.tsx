/**
 * The lifecycle board: a column per stage, an asset card in its stage. Dragging a card to another
 * column, or its move buttons (the keyboard and screen-reader path), asks the transition API; a
 * refused move shows the coded reason.
 */
import type { AssetJson } from '@keel/api/governance';
import type { ApiIssue } from '@keel/sdk';
import { type DragEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

export const stages = ['idea', 'develop', 'validate', 'approve', 'deploy', 'monitor', 'retire'] as const;
type Stage = (typeof stages)[number];

const dragType = 'application/x-keel-asset';

function issuesOf(cause: unknown): ApiIssue[] {
  const issues = (cause as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? (issues as ApiIssue[]) : [];
}

export function LifecycleBoard({
  useCaseId,
  changed,
  onChanged,
}: {
  useCaseId: string | null;
  changed: number;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const { client, projectId, can } = useSession();
  const title = useId();
  const assets = useLoad(
    (signal) =>
      client.governance.assets
        .list(useCaseId ? { use_case_id: useCaseId } : {})
        .then((r) => (signal.aborted ? [] : r.assets)),
    [projectId, useCaseId, changed],
  );
  const [error, setError] = useState<{ asset: string; error: ShownError; issues: ApiIssue[] } | null>(null);
  const [over, setOver] = useState<Stage | null>(null);
  const list: AssetJson[] = ('value' in assets ? assets.value : undefined) ?? [];
  const move = async (asset: AssetJson, to: Stage) => {
    setError(null);
    if (asset.stage === to) return;
    try {
      await client.governance.assets.transition(asset.id, { to, expected_row_version: asset.row_version });
      assets.reload();
      onChanged();
    } catch (cause) {
      // The issues carry the coded reasons (out of order, no approval, a gate check that failed …).
      setError({
        asset: asset.name,
        error: describeError(cause),
        issues: issuesOf(cause),
      });
    }
  };
  const drop = (event: DragEvent, stage: Stage) => {
    event.preventDefault();
    setOver(null);
    const asset = list.find((each) => each.id === event.dataTransfer.getData(dragType));
    if (asset) void move(asset, stage);
  };
  const movable = can('write') || can('validate');
  return (
    <section className="page-section" aria-labelledby={title}>
      <h2 id={title}>{t('gov.lifecycle')}</h2>
      <p className="hint">{t('gov.boardHelp')}</p>
      {error ? (
        <ErrorNotice error={error.error} title={t('gov.moveRefused', { asset: error.asset })}>
          {error.issues.length ? (
            <ul className="refusal-reasons">
              {error.issues.map((issue) => (
                <li key={`${issue.code}:${issue.message}`}>
                  {issue.message} (<code>{issue.code}</code>)
                </li>
              ))}
            </ul>
          ) : null}
        </ErrorNotice>
      ) : null}
      {assets.status === 'failed' ? <ErrorNotice error={assets.error} /> : null}
      {assets.status === 'loading' && !list.length ? <Loading /> : null}
      {assets.status === 'loaded' && !list.length ? <p className="notice">{t('gov.noAssets')}</p> : null}
      {list.length ? (
        <div className="lifecycle-board">
          {stages.map((stage) => (
            <section
              key={stage}
              className={over === stage ? 'stage-column drop-target' : 'stage-column'}
              aria-label={t(`gov.stage.${stage}`)}
              onDragOver={(event) => {
                if (!movable) return;
                event.preventDefault();
                setOver(stage);
              }}
              onDragLeave={() => setOver((current) => (current === stage ? null : current))}
              onDrop={(event) => drop(event, stage)}
            >
              <h3>{t(`gov.stage.${stage}`)}</h3>
              <ul>
                {list
                  .filter((asset) => asset.stage === stage)
                  .map((asset) => (
                    <li
                      key={asset.id}
                      className="asset-card"
                      draggable={movable}
                      onDragStart={(event) => event.dataTransfer.setData(dragType, asset.id)}
                    >
                      <strong>{asset.name}</strong>
                      <span className="notice-meta">
                        {asset.kind} · {asset.ref}
                        {asset.version === null ? '' : `@${asset.version}`}
                        {asset.approved ? ` · ${t('gov.approved')}` : ''}
                      </span>
                      {movable ? (
                        <span className="asset-moves">
                          {asset.next_stages.map((next) => (
                            <button
                              key={next}
                              type="button"
                              className="button small"
                              aria-label={t('gov.moveTo', {
                                stage: t(`gov.stage.${next}`),
                                asset: asset.name,
                              })}
                              onClick={() => void move(asset, next)}
                            >
                              → {t(`gov.stage.${next}`)}
                            </button>
                          ))}
                        </span>
                      ) : null}
                    </li>
                  ))}
              </ul>
            </section>
          ))}
        </div>
      ) : null}
    </section>
  );
}
