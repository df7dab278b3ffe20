/**
 * @module server/routes/openai/chat-lane
 * `POST /v1/chat/completions` on the direct lane (server/direct-lane): the route's schema, project
 * authorisation, guardrail policy header, generation call and answer, JSON or streamed. Calls to a
 * deployment (`model: "deployment:…"`) are left to the app.
 */
import { chatCompletionRequestSchema } from '../../../api/openai.js';
import { header, type LaneRoute } from '../../direct-lane.js';
import { scopeOf } from '../../project-scope.js';
import { closeSignal } from '../../request-signal.js';
import { isDeploymentModel } from '../deployments/openai-deployment.js';
import { chatCall, chatChunks, chatCompletion } from './chat-completions.js';

type ChatBody = ReturnType<typeof chatCompletionRequestSchema.parse>;

export const chatCompletionsLane: LaneRoute<ChatBody> = {
  path: '/v1/chat/completions',
  format: 'openai',
  parse(json) {
    const result = chatCompletionRequestSchema.safeParse(json);
    return result.success && !isDeploymentModel(result.data.model) ? result.data : undefined;
  },
  async answer({ services, incoming, outgoing, principal, body }) {
    const scope = scopeOf(principal, 'invoke', header(incoming, 'x-keel-project'));
    const call = await chatCall(
      services,
      body,
      scope,
      closeSignal(outgoing),
      header(incoming, 'x-keel-guardrail-policy'),
    );
    if (body.stream)
      return { events: await chatChunks(services, body, call.request, call.warnings, call.context) };
    return chatCompletion(services, body, call.request, call.warnings, call.context);
  },
};
