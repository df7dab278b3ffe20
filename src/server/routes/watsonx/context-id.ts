/**
 * @module server/routes/watsonx/context-id
 * watsonx routes that require a `project_id` or `space_id` (rerank, forecast, prompt assets and
 * sessions) answer a coded 400 without one, as watsonx.ai does; Keel treats a space id like a
 * project id.
 */
import { KeelError } from '../../../core/errors.js';

export function requiredContextId(
  projectId: string | undefined,
  spaceId: string | undefined,
  where: 'body' | 'query',
): string {
  const id = projectId ?? spaceId;
  if (id) return id;
  throw new KeelError('project_required', 'Either project_id or space_id has to be given.', {
    issues: [
      {
        code: 'project_required',
        path: where === 'body' ? ['project_id'] : ['query', 'project_id'],
        message: 'project_id or space_id is required',
      },
    ],
  });
}
