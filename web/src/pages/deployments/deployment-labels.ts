/** How a deployment's asset and serving state read in a table cell. */
import type { DeploymentJson } from '@keel/sdk';
import type { Translate } from '../../i18n/i18n-context';

export function assetLabel(t: Translate, asset: DeploymentJson['versions'][number]['asset']): string {
  return t('dep.assetRef', {
    type: t(`dep.assetType.${asset.type}`),
    name: asset.name,
    version: asset.version,
  });
}

/** The pinned asset of the version that serves (the current one). */
export function currentAsset(deployment: DeploymentJson) {
  return (deployment.versions.find((entry) => entry.version === deployment.current_version) ??
    deployment.versions.at(-1))!.asset;
}

export function servingLabel(t: Translate, deployment: DeploymentJson): string {
  const split = deployment.split;
  if (!split) return t('dep.servingOne', { version: deployment.current_version });
  const [a, b] = split.versions;
  const total = (a?.weight ?? 0) + (b?.weight ?? 0) || 1;
  const pa = Math.round(((a?.weight ?? 0) / total) * 100);
  return t('dep.servingSplit', { a: a?.version ?? 0, b: b?.version ?? 0, pa, pb: 100 - pa });
}
