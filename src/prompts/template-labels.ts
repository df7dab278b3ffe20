/**
 * @module prompts/template-labels
 * Labels (`production`, `staging`, any name) point at versions and move only when told to. A move
 * can be made conditional on where the label points now, so two people promoting at once cannot
 * silently undo each other.
 */
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import { findTemplateRow } from './template-rows.js';

export interface LabelMove {
  label: string;
  version: number;
  previous_version: number | null;
}

/**
 * Asked before a label moves (governance injects one: moving `production` on a governed template
 * needs an approval); throws a coded error to refuse. Runs in the move's transaction.
 */
export type LabelGate = (move: {
  projectId: string;
  name: string;
  label: string;
  version: number;
  session: DatabaseSession;
}) => Promise<void>;

export class LabelStore {
  #gate: LabelGate | undefined;

  constructor(
    readonly db: DatabaseV1,
    /** Moves made here are recorded; a caller that passes its own transaction records its own. */
    readonly audit: AuditRecorder = noAudit,
  ) {}

  /** Installs the gate asked before every label move (one; a later call replaces it). */
  setGate(gate: LabelGate | undefined): void {
    this.#gate = gate;
  }

  /**
   * Points `label` at `version`. With `expected` (a version, or null for "must not exist yet") the
   * move happens only if the label is where the caller thinks it is.
   */
  async setLabel(
    projectId: string,
    actor: string | null,
    name: string,
    label: string,
    version: number,
    expected?: number | null,
    session?: DatabaseSession,
  ): Promise<LabelMove> {
    const work = async (tx: DatabaseSession) => {
      const template = await findTemplateRow(tx, projectId, name, true);
      if (version > template.latest_version) {
        throw new KeelError(
          'not_found',
          `"${name}" has no version ${version}; the latest is ${template.latest_version}.`,
          {
            issues: [
              {
                code: 'unknown_version',
                path: ['version'],
                message: `versions run from 1 to ${template.latest_version}`,
              },
            ],
          },
        );
      }
      const previous = template.labels?.[label] ?? null;
      if (expected !== undefined && expected !== previous) {
        throw new KeelError(
          'conflict',
          `The label "${label}" now points at ${previous === null ? 'nothing' : `version ${previous}`}, not ${expected === null ? 'nothing' : `version ${expected}`}.`,
          {
            data: { label, currentVersion: previous },
            issues: [
              {
                code: 'stale_label',
                path: ['expected_version'],
                message: `the label is at ${previous ?? 'nothing'}`,
              },
            ],
          },
        );
      }
      if (this.#gate) await this.#gate({ projectId, name, label, version, session: tx });
      await tx.query(
        `INSERT INTO prompt_labels (template_id, label, version, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (template_id, label) DO UPDATE SET version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [template.id, label, version, actor],
      );
      await tx.query('UPDATE prompt_templates SET updated_at = now() WHERE id = $1', [template.id]);
      return { label, version, previous_version: previous, templateId: template.id };
    };
    if (session) {
      const { templateId: _templateId, ...move } = await work(session);
      return move;
    }
    const { templateId, ...move } = await this.db.transaction(work);
    this.audit.record({
      action: 'template.label.set',
      projectId,
      target: { type: 'template', id: templateId },
      before: move.previous_version === null ? null : { label, version: move.previous_version },
      after: { label, version },
      detail: { name, label, version },
    });
    return move;
  }

  async deleteLabel(projectId: string, name: string, label: string): Promise<LabelMove> {
    const { templateId, ...move } = await this.db.transaction(async (tx) => {
      const template = await findTemplateRow(tx, projectId, name, true);
      const previous = template.labels?.[label];
      if (previous === undefined) {
        throw new KeelError('not_found', `"${name}" has no label "${label}".`, {
          issues: [
            {
              code: 'unknown_label',
              path: ['label'],
              message: `labels: ${Object.keys(template.labels ?? {}).join(', ') || 'none'}`,
            },
          ],
        });
      }
      await tx.query('DELETE FROM prompt_labels WHERE template_id = $1 AND label = $2', [template.id, label]);
      return { label, version: previous, previous_version: previous, templateId: template.id };
    });
    this.audit.record({
      action: 'template.label.delete',
      projectId,
      target: { type: 'template', id: templateId },
      before: { label, version: move.version },
      detail: { name, label },
    });
    return move;
  }
}
