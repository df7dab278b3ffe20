/**
 * @module cli/commands/gov
 * `keel gov usecase list|create|show`, `keel gov track`, `keel gov assets`, `keel gov transition`,
 * `keel gov report`, `keel gov approve`, `keel gov approvals` and `keel gov gate`: the governance
 * inventory, lifecycle and approvals from the terminal. A refused move or decision exits with the
 * code of its error (409 conflicts: 5, 403: 77) and lists what is missing.
 */
import { KeelError } from '../../core/errors.js';
import type { AssetJson, UseCaseJson } from '../../sdk/governance.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { listOption } from '../list-option.js';
import { numberOption } from '../number-option.js';
import { printJson, printTable } from '../output.js';

/** `accuracy>=0.8`, `toxicity<=0.1` → `{ accuracy: { min: 0.8 }, toxicity: { max: 0.1 } }`. */
export function parseThresholds(values: string[]): Record<string, { min?: number; max?: number }> {
  const out: Record<string, { min?: number; max?: number }> = {};
  for (const value of values) {
    const match = /^([^<>=\s]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$/.exec(value.trim());
    if (!match)
      throw new KeelError('invalid_request', `Cannot read the threshold "${value}".`, {
        issues: [
          { code: 'invalid_threshold', path: ['threshold'], message: 'write metric>=value or metric<=value' },
        ],
      });
    const bound = out[match[1]!] ?? {};
    out[match[1]!] = bound;
    if (match[2] === '>=') bound.min = Number(match[3]);
    else bound.max = Number(match[3]);
  }
  return out;
}

const useCaseRow = (useCase: UseCaseJson) => ({
  id: useCase.id,
  name: useCase.name,
  status: useCase.status,
  risk: useCase.risk_tier ?? '-',
  owner: useCase.business_owner ?? '-',
  tags: useCase.tags.join(','),
  approaches: useCase.approaches.length,
});

const assetRow = (asset: AssetJson) => ({
  id: asset.id,
  kind: asset.kind,
  ref: asset.version ? `${asset.ref}@${asset.version}` : asset.ref,
  stage: asset.stage,
  phase: asset.phase,
  approved: asset.approved ? 'yes' : 'no',
  next: asset.next_stages.join(','),
});

export const useCaseListCommand: CommandHandler = (context, _args, options) =>
  withConnection(context, async ({ client }) => {
    const { use_cases } = await client.governance.useCases.list({
      ...(options.tag ? { tag: String(options.tag) } : {}),
      ...(options.status ? { status: String(options.status) as 'active' } : {}),
      ...(options.risk ? { risk_tier: String(options.risk) as 'high' } : {}),
    });
    if (context.global.json) printJson(context.io, use_cases);
    else if (!use_cases.length) context.io.stdout.write('No use cases yet: keel gov usecase create <name>\n');
    else printTable(context.io, use_cases.map(useCaseRow));
    return 0;
  });

export const useCaseCreateCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const thresholds = parseThresholds((options.threshold as string[] | undefined) ?? []);
    const created = await client.governance.useCases.create({
      name: args[0]!,
      ...(options.purpose ? { purpose: String(options.purpose) } : {}),
      ...(options.owner ? { business_owner: String(options.owner) } : {}),
      ...(options.tags ? { tags: listOption(options.tags) } : {}),
      approach: { name: String(options.approach ?? 'v1'), thresholds },
    });
    if (context.global.json) printJson(context.io, created);
    else context.io.stdout.write(`Registered use case ${created.name} (${created.id}).\n`);
    return 0;
  });

export const useCaseShowCommand: CommandHandler = (context, args) =>
  withConnection(context, async ({ client }) => {
    const useCase = await client.governance.useCases.get(args[0]!);
    const { assets } = await client.governance.assets.list({ use_case_id: useCase.id });
    if (context.global.json) printJson(context.io, { ...useCase, assets });
    else {
      const out = context.io.stdout;
      out.write(
        `${useCase.name} (${useCase.id}) — ${useCase.status}, risk ${useCase.risk_tier ?? 'not assessed'}\n`,
      );
      if (useCase.purpose) out.write(`purpose: ${useCase.purpose}\n`);
      for (const approach of useCase.approaches)
        out.write(`approach v${approach.version} ${approach.name}: ${JSON.stringify(approach.thresholds)}\n`);
      if (assets.length) printTable(context.io, assets.map(assetRow));
    }
    return 0;
  });

export const trackCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const asset = await client.governance.assets.track({
      use_case_id: args[0]!,
      kind: args[1]! as AssetJson['kind'],
      ref: args[2]!,
      ...(options.pin !== undefined ? { version: numberOption(options.pin, 'pin')! } : {}),
      ...(options.approach !== undefined
        ? { approach_version: numberOption(options.approach, 'approach')! }
        : {}),
      ...(options.name ? { name: String(options.name) } : {}),
      ...(options.endpoint
        ? {
            external: {
              endpoint_url: String(options.endpoint),
              platform: String(options.platform ?? 'http') as 'http',
              ...(options.owner ? { owner: String(options.owner) } : {}),
            },
          }
        : {}),
    });
    if (context.global.json) printJson(context.io, asset);
    else
      context.io.stdout.write(`Tracking ${asset.kind} ${asset.ref} as ${asset.id} (stage ${asset.stage}).\n`);
    return 0;
  });

export const assetsCommand: CommandHandler = (context, _args, options) =>
  withConnection(context, async ({ client }) => {
    const { assets } = await client.governance.assets.list({
      ...(options.useCase ? { use_case_id: String(options.useCase) } : {}),
      ...(options.stage ? { stage: String(options.stage) as 'idea' } : {}),
    });
    if (context.global.json) printJson(context.io, assets);
    else if (!assets.length) context.io.stdout.write('No tracked assets.\n');
    else printTable(context.io, assets.map(assetRow));
    return 0;
  });

export const transitionCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const asset = await client.governance.assets.transition(args[0]!, {
      to: args[1]! as AssetJson['stage'],
      ...(options.expect !== undefined
        ? { expected_row_version: numberOption(options.expect, 'expect')! }
        : {}),
      ...(options.production === false ? { production: false } : {}),
      ...(options.note ? { note: String(options.note) } : {}),
    });
    if (context.global.json) printJson(context.io, asset);
    else
      context.io.stdout.write(
        `${asset.id} is now in ${asset.stage} (${asset.phase}); next: ${asset.next_stages.join(', ') || 'none'}.\n`,
      );
    return 0;
  });

export const reportCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const asset = await client.governance.assets.report(args[0]!, {
      summary: String(options.summary ?? ''),
      passed: options.fail !== true,
      findings: (options.finding as string[] | undefined) ?? [],
    });
    if (context.global.json) printJson(context.io, asset);
    else context.io.stdout.write(`Validation report recorded on ${asset.id} (revision ${asset.revision}).\n`);
    return 0;
  });

export const approveCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const decision = options.go === false ? 'no_go' : 'go';
    const outcome = await client.governance.approvals.decide({
      asset_id: args[0]!,
      decision,
      reasons: String(options.reason ?? ''),
      ...(options.supersedes ? { supersedes: String(options.supersedes) } : {}),
    });
    if (context.global.json) printJson(context.io, outcome);
    else {
      context.io.stdout.write(`Recorded ${decision} (${outcome.approval.id}) on ${args[0]}.\n`);
      context.io.stdout.write(
        outcome.approved
          ? 'The asset is approved.\n'
          : `Not approved yet: ${outcome.missing.map((item) => item.message).join('; ')}\n`,
      );
    }
    return 0;
  });

export const approvalsCommand: CommandHandler = (context, _args, options) =>
  withConnection(context, async ({ client }) => {
    if (options.pending) {
      const { pending } = await client.governance.approvals.pending();
      if (context.global.json) printJson(context.io, pending);
      else if (!pending.length) context.io.stdout.write('Nothing waits for approval.\n');
      else printTable(context.io, pending.map(assetRow));
      return 0;
    }
    const { approvals } = await client.governance.approvals.list(
      options.asset ? { asset_id: String(options.asset) } : {},
    );
    if (context.global.json) printJson(context.io, approvals);
    else
      printTable(
        context.io,
        approvals.map((a) => ({
          id: a.id,
          asset: a.asset_id,
          revision: a.asset_revision,
          decision: a.decision,
          approver: a.approver,
          supersedes: a.supersedes ?? '-',
          reasons: a.reasons,
        })),
      );
    return 0;
  });

export const gateCommand: CommandHandler = (context, args) =>
  withConnection(context, async ({ client }) => {
    const result = await client.governance.assets.gate(args[0]!);
    if (context.global.json) printJson(context.io, result);
    else if (!result.tracked) context.io.stdout.write(`${args[0]} is not under governance: it passes.\n`);
    else if (result.allowed)
      context.io.stdout.write(`${args[0]} may serve production (asset ${result.asset_id}).\n`);
    else {
      context.io.stdout.write(`${args[0]} may not serve production:\n`);
      for (const item of result.missing) context.io.stdout.write(`  - ${item.code}: ${item.message}\n`);
    }
    return result.allowed ? 0 : 5;
  });
