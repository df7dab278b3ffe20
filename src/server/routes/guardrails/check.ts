/**
 * @module server/routes/guardrails/check
 * Checking text outside a generation: `POST /api/v1/guardrails/check` (Keel: spans, actions and
 * the text to use instead) and `POST /ml/v1/text/detection` (watsonx.ai's shape).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  checkRequestSchema,
  checkResponseSchema,
  detectionRequestSchema,
  detectionResponseSchema,
} from '../../../api/guardrails.js';
import { keelErrorSchema } from '../../../api/platform.js';
import { watsonxErrorSchema } from '../../../api/watsonx.js';
import { assertCheckable, wellFormed } from '../../../guardrails/detectors.js';
import { evaluate } from '../../../guardrails/evaluate.js';
import { parsePolicyBody } from '../../../guardrails/guardrail-service.js';
import { defaultPolicy, type PolicyBody, policyBodySchema } from '../../../guardrails/policy.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { projectScope } from '../../project-scope.js';
import { json } from '../../respond.js';
import { versionQuery } from '../watsonx/text-generation.js';

const checkRoute = createRoute({
  method: 'post',
  path: '/api/v1/guardrails/check',
  tags: ['Guardrails'],
  summary: 'Check a text for PII, HAP and prompt injection',
  request: { body: { required: true, content: { 'application/json': { schema: checkRequestSchema } } } },
  responses: {
    200: {
      description: 'Spans found and the action the policy takes',
      content: { 'application/json': { schema: checkResponseSchema } },
    },
    400: {
      description: 'Invalid request or policy',
      content: { 'application/json': { schema: keelErrorSchema } },
    },
    413: { description: 'Text too long', content: { 'application/json': { schema: keelErrorSchema } } },
  },
});

const detectionRoute = createRoute({
  method: 'post',
  path: '/ml/v1/text/detection',
  tags: ['watsonx.ai-compatible'],
  summary: 'Text detection (HAP, PII, prompt injection)',
  request: {
    query: versionQuery,
    body: { required: true, content: { 'application/json': { schema: detectionRequestSchema } } },
  },
  responses: {
    200: { description: 'Detections', content: { 'application/json': { schema: detectionResponseSchema } } },
    400: { description: 'Invalid request', content: { 'application/json': { schema: watsonxErrorSchema } } },
  },
});

/** A policy that flags what the named detectors find at one threshold (the `detectors` shorthand). */
function detectorsOnly(names: readonly string[], threshold: number | undefined): PolicyBody {
  const side = Object.fromEntries(
    (['pii', 'hap', 'injection'] as const).map((name) => [
      name,
      { enabled: names.includes(name), action: 'flag', ...(threshold !== undefined ? { threshold } : {}) },
    ]),
  );
  return policyBodySchema.parse({ input: side, output: side });
}

const summary = ['block', 'pseudonymise', 'mask', 'flag'] as const;

export function registerGuardrailCheck(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  app.openapi(checkRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'read');
    let policyName = 'default';
    let policy: PolicyBody;
    if (body.policy) {
      policy = parsePolicyBody(body.policy);
      policyName = 'request';
    } else if (body.policy_name) {
      policy = (await services.guardrails.getPolicy(scope.projectId, body.policy_name)).body;
      policyName = body.policy_name;
    } else if (body.detectors) {
      policy = detectorsOnly(body.detectors, body.threshold);
      policyName = 'detectors';
    } else {
      policy = (await services.guardrails.resolve(scope.projectId, {}))?.body ?? defaultPolicy();
    }
    const side = body.direction === 'input' ? policy.input : policy.output;
    assertCheckable(body.text);
    const extraSpans = await services.guardrails.modelSpans(
      body.text,
      side,
      body.mode ?? 'prompt',
      scope.projectId,
    );
    const evaluation = evaluate(body.text, side, {
      direction: body.direction,
      ...(body.mode ? { mode: body.mode } : {}),
      hashKey: services.guardrails.secretKey,
      extraSpans,
    });
    services.guardrails.record(evaluation.decisions, {
      projectId: scope.projectId,
      keyId: scope.keyId,
      source: '/api/v1/guardrails/check',
      policy: policyName,
    });
    const text = wellFormed(body.text);
    const strongest = summary.find((action) => evaluation.spans.some((span) => span.action === action));
    return json({
      blocked: evaluation.blocked,
      action: strongest ?? 'allow',
      text: evaluation.text,
      spans: evaluation.spans.map((span) => ({
        type: span.type,
        start: span.start,
        end: span.end,
        score: span.score,
        detector: span.detector,
        version: span.version,
        action: span.action,
        ...(span.reasons ? { reasons: span.reasons } : {}),
        ...(body.include_text ? { text: text.slice(span.start, span.end) } : {}),
      })),
      policy: policyName,
    });
  });

  app.openapi(detectionRoute, async (c) => {
    const body = c.req.valid('json');
    const scope = projectScope(c, 'invoke', body.project_id ?? body.space_id);
    const asked = {
      hap: body.detectors.hap,
      pii: body.detectors.pii,
      injection: body.detectors.prompt_injection,
    };
    const side = Object.fromEntries(
      Object.entries(asked).map(([name, options]) => [
        name,
        {
          enabled: options !== undefined,
          action: 'flag',
          ...(options?.threshold !== undefined ? { threshold: options.threshold } : {}),
        },
      ]),
    );
    const inputPolicy = policyBodySchema.parse({ input: side }).input;
    assertCheckable(body.input);
    const evaluation = evaluate(body.input, inputPolicy, {
      direction: 'input',
      hashKey: services.guardrails.secretKey,
      extraSpans: await services.guardrails.modelSpans(body.input, inputPolicy),
    });
    services.guardrails.record(evaluation.decisions, {
      projectId: scope.projectId,
      keyId: scope.keyId,
      source: '/ml/v1/text/detection',
      policy: 'detection',
    });
    const text = wellFormed(body.input);
    const detections = evaluation.spans
      .map((span) => ({
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
        detection_type: span.detector === 'injection' ? 'prompt_injection' : span.detector,
        detection:
          span.detector === 'hap' ? 'has_HAP' : span.detector === 'pii' ? span.type : 'has_prompt_injection',
        score: span.score,
        entity: span.type,
      }))
      .sort((a, b) => a.start - b.start);
    return json({ detections });
  });
}
