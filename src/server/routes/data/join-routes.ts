/**
 * @module server/routes/data/join-routes
 * Join keys between the project's tables: `GET /api/v1/data/joins` lists them with their score
 * and evidence, `POST /api/v1/data/joins/discover` proposes them again from names, types and
 * value containment (decisions are kept), and `PATCH /api/v1/data/joins/{id}` records a person's
 * decision. Viewers read; editors discover and decide.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { dataJoinKeyDecisionSchema, dataJoinKeySchema } from '../../../api/data.js';
import type { JoinKeyRow } from '../../../data/index.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { json } from '../../respond.js';
import { okJson as ok } from '../route-shapes.js';

const tags = ['Data'];
const joinList = z.object({ joins: z.array(dataJoinKeySchema) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/data/joins',
    tags,
    summary: "The project's join keys (proposed, accepted or rejected), best first, with their evidence",
    responses: ok(joinList, 'Join keys'),
  }),
  discover: createRoute({
    method: 'post',
    path: '/api/v1/data/joins/discover',
    tags,
    summary:
      'Propose join keys from name similarity, type and value containment (decisions already made are kept)',
    responses: ok(joinList, 'Join keys'),
  }),
  decide: createRoute({
    method: 'patch',
    path: '/api/v1/data/joins/{id}',
    tags,
    summary: 'Accept or reject a proposed join key (or set it back to proposed)',
    request: {
      params: z.object({ id: z.string().min(1).max(100) }),
      body: { required: true, content: { 'application/json': { schema: dataJoinKeyDecisionSchema } } },
    },
    responses: ok(dataJoinKeySchema, 'The join key'),
  }),
};

function joinJson(row: JoinKeyRow): z.infer<typeof dataJoinKeySchema> {
  const evidence = row.evidence;
  return {
    id: row.id,
    from_table: row.from_table,
    from_column: row.from_column,
    to_table: row.to_table,
    to_column: row.to_column,
    score: Number(row.score),
    evidence: {
      name_similarity: evidence.nameSimilarity,
      name_rule: evidence.nameRule,
      type_family: evidence.typeFamily,
      containment: evidence.containment,
      from_distinct: evidence.fromDistinct,
      to_distinct: evidence.toDistinct,
      sampled: evidence.sampled,
    },
    status: row.status,
    decided_by: row.decided_by,
    decided_at: row.decided_at ? row.decided_at.toISOString() : null,
  };
}

export function registerDataJoinRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { data } = services;

  app.openapi(routes.list, async (c) => {
    const { projectId } = callerOf(c, 'read');
    return json({ joins: (await data.joins(projectId)).map(joinJson) });
  });

  app.openapi(routes.discover, async (c) => {
    const caller = callerOf(c, 'write');
    await data.discoverJoins(caller.projectId, caller.actor);
    return json({ joins: (await data.joins(caller.projectId)).map(joinJson) });
  });

  app.openapi(routes.decide, async (c) => {
    const caller = callerOf(c, 'write');
    const { status } = c.req.valid('json');
    return json(
      joinJson(await data.joinKeys.decide(caller.projectId, c.req.valid('param').id, status, caller.actor)),
    );
  });
}
