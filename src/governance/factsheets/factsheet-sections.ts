/**
 * @module governance/factsheets/factsheet-sections
 * Facts → the factsheet's sections: each tracked asset, decision and event as a label with flat
 * fields (nested metadata flattened to dotted keys), a section marked empty when nothing was
 * recorded for it. Evaluation results (uploaded, or read from the Keel run) are held against the
 * approach's thresholds here; dataset digests, and the deployments, monitors and incidents found
 * serving the assets, are listed as they stand.
 */

import type { FactItem, Factsheet, FactsheetSection, FactsheetSectionId } from '../../api/factsheets.js';
import type { Bilingual } from '../../api/governance-risk.js';
import type { AuditRow } from '../../audit/index.js';
import type { EvaluationRunSummaryV1 } from '../../spec/evaluation-runs.js';
import type { AssetRow } from '../inventory/rows.js';
import type { Facts } from './factsheet-facts.js';
import { outlinesOf } from './factsheet-outlines.js';
import { servingItems } from './serving-facts.js';

type Value = string | number | boolean | null;

const titles: Record<FactsheetSectionId, Bilingual> = {
  models: { en: 'Models', ko: '모델' },
  prompt_templates: { en: 'Prompt templates', ko: '프롬프트 템플릿' },
  rag_collections: { en: 'RAG collections', ko: 'RAG 컬렉션' },
  datasets: { en: 'Datasets', ko: '데이터셋' },
  evaluations: { en: 'Evaluations', ko: '평가' },
  guardrail_policies: { en: 'Guardrail policies', ko: '가드레일 정책' },
  risk: { en: 'Risk assessment', ko: '위험 평가' },
  approvals: { en: 'Approvals', ko: '승인' },
  lifecycle: { en: 'Lifecycle', ko: '수명 주기' },
  deployments: { en: 'Deployments', ko: '배포' },
  monitors: { en: 'Monitors and alerts', ko: '모니터링과 경보' },
  incidents: { en: 'Incidents', ko: '사고' },
};

const iso = (value: Date | string | number) => new Date(value).toISOString();

/** Event records kept per section (the newest); a busy deployment writes thousands. */
export const EVENTS_PER_SECTION = 50;

/** Nested values → dotted keys (arrays of scalars joined; deeper values as JSON). */
export function flatten(
  value: unknown,
  prefix: string,
  out: Record<string, Value> = {},
  depth = 0,
): Record<string, Value> {
  if (value === null || value === undefined) {
    if (prefix) out[prefix] = null;
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out[prefix] = value;
  } else if (Array.isArray(value)) {
    out[prefix] = value.every((v) => typeof v !== 'object' || v === null)
      ? value.join(', ')
      : JSON.stringify(value);
  } else if (typeof value === 'object' && depth < 4) {
    for (const [key, inner] of Object.entries(value))
      flatten(inner, prefix ? `${prefix}.${key}` : key, out, depth + 1);
  } else out[prefix] = JSON.stringify(value);
  return out;
}

function assetFields(asset: AssetRow): Record<string, Value> {
  return {
    id: asset.id,
    ref: asset.ref,
    version: asset.ref_version,
    stage: asset.stage,
    revision: asset.revision,
    approved_revision: asset.approved_revision ?? null,
    created_by: asset.created_by,
    ...flatten(asset.metadata, 'metadata'),
    ...(asset.validation_report
      ? {
          'validation.passed': asset.validation_report.passed,
          'validation.summary': asset.validation_report.summary,
        }
      : {}),
  };
}

function detailOf(row: AuditRow): Record<string, Value> {
  if (!row.detail) return {};
  try {
    return flatten(JSON.parse(row.detail), 'detail');
  } catch {
    return { detail: row.detail };
  }
}

function eventItem(row: AuditRow): FactItem {
  return {
    label: row.action,
    fields: {
      at: iso(Number(row.at)),
      seq: Number(row.seq),
      target: `${row.target_type}:${row.target_id ?? ''}`,
      actor: row.actor_user_id ?? row.actor_key_id,
      role: row.actor_role,
      ...detailOf(row),
    },
  };
}

const bounds = (bound: { min?: number | undefined; max?: number | undefined }) =>
  [bound.min !== undefined ? `≥ ${bound.min}` : '', bound.max !== undefined ? `≤ ${bound.max}` : '']
    .filter(Boolean)
    .join(' ');

/** A Keel evaluation run's own facts: status, verdict, thresholds, and the dataset version it ran on. */
function runFields(run: EvaluationRunSummaryV1): Record<string, Value> {
  const fields: Record<string, Value> = {
    source: 'keel_run',
    'run.id': run.id,
    'run.status': run.status,
    'run.passed': run.passed ?? null,
    'run.finished_at': run.finishedAt ?? null,
    ...(run.target ? { 'run.target': `${run.target.kind}:${run.target.ref}` } : {}),
  };
  for (const threshold of run.thresholds ?? []) {
    fields[`run.threshold.${threshold.metric}`] = bounds(threshold);
    fields[`run.value.${threshold.metric}`] = threshold.value;
    fields[`run.pass.${threshold.metric}`] = threshold.passed;
  }
  if (run.dataset)
    Object.assign(fields, {
      'dataset.id': run.dataset.id,
      'dataset.name': run.dataset.name,
      'dataset.version': run.dataset.version,
      'dataset.content_hash': run.dataset.contentHash,
    });
  return fields;
}

function evaluationItem(
  asset: AssetRow,
  thresholds: Record<string, { min?: number; max?: number }>,
  run: EvaluationRunSummaryV1 | undefined,
): FactItem {
  const fields = assetFields(asset);
  const uploaded = asset.results?.metrics;
  if (uploaded) fields.source = 'uploaded';
  else if (run) Object.assign(fields, runFields(run));
  const metrics = uploaded ?? (run?.status === 'succeeded' ? run.metrics : {});
  let meets: boolean | null = Object.keys(thresholds).length ? true : null;
  for (const [metric, bound] of Object.entries(thresholds)) {
    const value = metrics[metric];
    const pass =
      typeof value === 'number' &&
      (bound.min === undefined || value >= bound.min) &&
      (bound.max === undefined || value <= bound.max);
    fields[`threshold.${metric}`] = bounds(bound);
    fields[`pass.${metric}`] = pass;
    if (!pass) meets = false;
  }
  for (const [metric, value] of Object.entries(metrics)) fields[`metric.${metric}`] = value;
  fields.meets_thresholds = meets;
  return { label: asset.name, fields };
}

export function buildFactsheet(facts: Facts, now = new Date()): Factsheet {
  const items: Record<FactsheetSectionId, FactItem[]> = {
    models: [],
    prompt_templates: [],
    rag_collections: [],
    datasets: [],
    evaluations: [],
    guardrail_policies: [],
    risk: [],
    approvals: [],
    lifecycle: [],
    deployments: [],
    monitors: [],
    incidents: [],
  };
  const thresholds = facts.approach?.thresholds ?? {};
  const names = new Map(facts.assets.map((asset) => [asset.id, asset.name]));
  for (const asset of facts.assets) {
    const item = { label: asset.name, fields: assetFields(asset) };
    if (asset.kind === 'model' || asset.kind === 'external_model')
      items.models.push({ ...item, fields: { kind: asset.kind, ...item.fields } });
    else if (asset.kind === 'prompt_template') {
      const template = facts.templates.get(asset.id);
      if (template) {
        Object.assign(item.fields, {
          version: template.version,
          mode: template.mode,
          model_id: template.modelId,
          guardrail_policy: template.guardrailPolicy,
          ...flatten(template.parameters, 'parameters'),
        });
        if (template.modelId)
          items.models.push({
            label: template.modelId,
            fields: { kind: 'template_model', template: asset.ref, template_version: template.version },
          });
        if (template.guardrailPolicy)
          items.guardrail_policies.push({
            label: template.guardrailPolicy,
            fields: { kind: 'template_policy', template: asset.ref, template_version: template.version },
          });
      }
      items.prompt_templates.push(item);
    } else if (asset.kind === 'rag_collection') items.rag_collections.push(item);
    else if (asset.kind === 'dataset') items.datasets.push(item);
    else if (asset.kind === 'evaluation_run')
      items.evaluations.push(evaluationItem(asset, thresholds, facts.runs.get(asset.id)));
    else if (asset.kind === 'guardrail_policy') items.guardrail_policies.push(item);
    else if (asset.kind === 'deployment') items.deployments.push(item);
  }
  const serving = servingItems(facts, names);
  items.deployments.push(...serving.deployments);
  items.monitors.push(...serving.monitors);
  items.incidents.push(...serving.incidents);
  for (const { dataset, assetId, usedBy } of facts.datasets) {
    const digest = {
      dataset_id: dataset.id,
      dataset_version: dataset.version,
      content_hash: dataset.contentHash,
      rows: dataset.rows,
      ...(usedBy.length ? { evaluated_by_runs: usedBy.join(', ') } : {}),
    };
    const tracked = assetId ? items.datasets.find((item) => item.fields.id === assetId) : undefined;
    if (tracked) Object.assign(tracked.fields, digest);
    else
      items.datasets.push({
        label: `${dataset.name} v${dataset.version}`,
        fields: { kind: 'evaluation_dataset', ...digest },
      });
  }
  const latest = facts.assessments.at(-1);
  if (latest) {
    items.risk.push({
      label: `assessment v${latest.version}`,
      fields: {
        id: latest.id,
        tier: latest.tier,
        eu_category: latest.eu_category,
        korea_high_impact: latest.korea_high_impact,
        prohibited: latest.prohibited,
        score: latest.scorecard.score,
        completed_at: iso(latest.completed_at),
        completed_by: latest.created_by,
        questionnaire: `${latest.questionnaire_id}@${latest.questionnaire_version}`,
        questionnaire_digest: latest.questionnaire_digest,
        earlier_assessments: facts.assessments.length - 1,
      },
    });
    for (const reason of latest.scorecard.reasons)
      items.risk.push({
        label: `reason: ${reason.about}`,
        fields: { en: reason.text.en, ko: reason.text.ko },
      });
    for (const control of latest.scorecard.required_controls ?? [])
      items.risk.push({
        label: `control: ${control.id}`,
        fields: {
          source: control.source,
          citation: control.citation,
          en: control.text.en,
          ko: control.text.ko,
          because_en: control.reason.en,
          because_ko: control.reason.ko,
        },
      });
    for (const entry of latest.scorecard.entries)
      items.risk.push({
        label: `answer: ${entry.question_id}`,
        fields: {
          answer: entry.option_ids.join(', '),
          score: entry.score,
          eu_category: entry.eu_category,
          korea_high_impact: entry.korea_high_impact,
          references: entry.references.map((reference) => reference.citation).join(', '),
        },
      });
  }
  for (const approval of facts.approvals)
    items.approvals.push({
      label: `${approval.decision} · ${names.get(approval.asset_id) ?? approval.asset_id}`,
      fields: {
        id: approval.id,
        asset: approval.asset_id,
        asset_revision: approval.asset_revision,
        decision: approval.decision,
        reasons: approval.reasons,
        approver: approval.approver,
        approver_role: approval.approver_role,
        risk_tier: approval.risk_tier,
        risk_version: approval.risk_version,
        supersedes: approval.supersedes,
        at: iso(approval.created_at),
      },
    });
  for (const row of facts.history)
    items.lifecycle.push({
      label: `${names.get(row.asset_id) ?? row.asset_id}: ${row.event}`,
      fields: {
        from: row.from_stage,
        to: row.to_stage,
        actor: row.actor,
        role: row.actor_role,
        at: iso(row.at),
        ...flatten(row.detail, 'detail'),
      },
    });
  const actions: Record<string, number> = {};
  for (const row of facts.events) {
    actions[row.action] = (actions[row.action] ?? 0) + 1;
    if (row.action.startsWith('deployment.')) items.deployments.push(eventItem(row));
    else if (row.action.startsWith('incident.')) items.incidents.push(eventItem(row));
    else if (row.action.startsWith('monitor.') || row.action.startsWith('alert.'))
      items.monitors.push(eventItem(row));
  }
  const omitted: Partial<Record<FactsheetSectionId, number>> = {};
  for (const id of ['deployments', 'monitors', 'incidents'] as const) {
    const events = items[id].filter((item) => typeof item.fields.seq === 'number');
    if (events.length <= EVENTS_PER_SECTION) continue;
    const dropped = new Set(events.slice(0, events.length - EVENTS_PER_SECTION));
    items[id] = items[id].filter((item) => !dropped.has(item));
    omitted[id] = dropped.size;
  }
  const sections: FactsheetSection[] = (Object.keys(items) as FactsheetSectionId[]).map((id) => ({
    id,
    title: titles[id],
    empty: items[id].length === 0,
    items: items[id],
    omitted: omitted[id] ?? 0,
  }));
  const first = facts.events[0];
  const last = facts.events.at(-1);
  const { useCase, approach } = facts;
  return {
    schema: 'keel.factsheet/v1',
    generated_at: now.toISOString(),
    project_id: facts.projectId,
    use_case: {
      id: useCase.id,
      name: useCase.name,
      purpose: useCase.purpose,
      business_owner: useCase.business_owner,
      status: useCase.status,
      tags: useCase.tags,
      created_by: useCase.created_by,
      created_at: iso(useCase.created_at),
    },
    approach: approach
      ? {
          id: approach.id,
          version: approach.version,
          name: approach.name,
          description: approach.description,
          thresholds: approach.thresholds,
        }
      : null,
    approaches: facts.approaches.map((a) => ({ id: a.id, version: a.version, name: a.name })),
    sections,
    events: {
      total: facts.events.length,
      first_at: first ? iso(Number(first.at)) : null,
      last_at: last ? iso(Number(last.at)) : null,
      last_seq: last ? Number(last.seq) : null,
      actions,
    },
    outlines: outlinesOf(sections, facts),
  };
}
