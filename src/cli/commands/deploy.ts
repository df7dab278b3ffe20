/**
 * @module cli/commands/deploy
 * `keel deploy create|list|rollback|split`: deployments from the terminal, through the SDK. A
 * refused deployment (an unapproved asset in a production space) exits with its error's code.
 */
import { KeelError } from '../../core/errors.js';
import type { DeploymentJson } from '../../sdk/deployments.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { printJson, printTable } from '../output.js';

const deploymentRow = (deployment: DeploymentJson) => {
  const current = deployment.versions.find((version) => version.version === deployment.current_version);
  return {
    id: deployment.id,
    name: deployment.name,
    serving: deployment.serving_name ?? '-',
    space: `${deployment.space.name} (${deployment.space.stage})`,
    version: deployment.split
      ? deployment.split.versions.map((entry) => `v${entry.version}:${entry.weight}`).join(' ')
      : `v${deployment.current_version}`,
    asset: current ? `${current.asset.name}@${current.asset.version}` : '-',
    model: current?.model ?? '(template)',
  };
};

function show(context: Parameters<CommandHandler>[0], deployment: DeploymentJson): void {
  if (context.global.json) printJson(context.io, deployment);
  else printTable(context.io, [deploymentRow(deployment)]);
}

export const createCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const template = options.template === undefined ? undefined : String(options.template);
    const collection = options.collection === undefined ? undefined : String(options.collection);
    if ((template === undefined) === (collection === undefined)) {
      throw new KeelError(
        'invalid_request',
        'Name what to deploy: --template <name@version> or --collection <id>.',
        {
          issues: [
            {
              code: 'missing_asset',
              path: ['template'],
              message: 'exactly one of --template and --collection',
            },
          ],
        },
      );
    }
    const deployment = await client.deployments.create({
      name: args[0]!,
      asset: template
        ? { type: 'prompt_template', ref: template }
        : { type: 'rag_collection', ref: collection! },
      ...(options.space ? { space: String(options.space) } : {}),
      ...(options.servingName ? { serving_name: String(options.servingName) } : {}),
      ...(options.model ? { model: String(options.model) } : {}),
      ...(options.policy ? { guardrail_policy: String(options.policy) } : {}),
    });
    show(context, deployment);
    return 0;
  });

export const listCommand: CommandHandler = (context, _args, options) =>
  withConnection(context, async ({ client }) => {
    const { deployments } = await client.deployments.list(
      options.space ? { space: String(options.space) } : {},
    );
    if (context.global.json) printJson(context.io, deployments);
    else if (!deployments.length)
      context.io.stdout.write('No deployments yet: keel deploy create <name> --template <name@version>\n');
    else printTable(context.io, deployments.map(deploymentRow));
    return 0;
  });

export const rollbackCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    show(context, await client.deployments.rollback(args[0]!, numberOption(options.to, 'to')));
    return 0;
  });

/** `1=90 2=10` → two versions with weights. */
export function parseWeights(values: readonly string[]): { version: number; weight: number }[] {
  return values.map((value, index) => {
    const match = /^v?(\d+)[=:](\d+(?:\.\d+)?)$/.exec(value.trim());
    if (!match) {
      throw new KeelError(
        'invalid_request',
        `Cannot read the weight "${value}": write <version>=<weight>, e.g. 2=10.`,
        {
          issues: [
            { code: 'invalid_weight', path: ['weights', index], message: 'expected <version>=<weight>' },
          ],
        },
      );
    }
    return { version: Number(match[1]), weight: Number(match[2]) };
  });
}

export const splitCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const [deployment, ...weights] = args;
    if (options.off) {
      show(context, await client.deployments.split(deployment!, null));
      return 0;
    }
    const versions = parseWeights(weights);
    if (versions.length !== 2) {
      throw new KeelError(
        'invalid_request',
        'A split names two versions: keel deploy split <deployment> 1=90 2=10.',
        {
          issues: [{ code: 'invalid_split', path: ['weights'], message: 'exactly two <version>=<weight>' }],
        },
      );
    }
    show(
      context,
      await client.deployments.split(deployment!, {
        versions,
        mode: options.random ? 'random' : 'request_id',
      }),
    );
    return 0;
  });
