/**
 * @module guardrails
 * Detectors, policies and the guardrail service that checks model input and output. Other modules
 * import it only through this file.
 */
import path from 'node:path';
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import { loadSecretKey } from '../core/secret-key.js';
import type { DetectorV1 } from '../spec/detector.js';
import { GuardrailService } from './guardrail-service.js';

export { wellFormed } from './detectors.js';
export { type ScreenedDocument, screenDocuments } from './document-screen.js';
export { evaluate, INPUT_REJECTED } from './evaluate.js';
export { GuardrailService, type HeadSpans } from './guardrail-service.js';
export { createInjectionDetector } from './injection/injection-detector.js';
export { loadPipeline, type Pipeline } from './onnx/load-pipeline.js';
export { piiEntityTypes } from './pii/pii-detector.js';
export { type DirectionPolicy, defaultPolicy, type HeadDetectorPolicy, type PolicyBody } from './policy.js';
export {
  openMapping,
  Pseudonymizer,
  placeholderLabel,
  type SealedMapping,
  sealMapping,
} from './pseudonymizer.js';
export {
  type GuardrailOutcome,
  type GuardrailRequest,
  guardPrompt,
  type ModelSpans,
} from './request-guard.js';
export { createStreamGuard, type StreamGuard } from './stream-guard.js';

/** The guardrails module: the policy service, with the optional models a user supplied. */
export const guardrailsModule: KeelModule<
  ModuleBase & { audit: AuditLog },
  { guardrails: GuardrailService }
> = {
  name: 'guardrails',
  async create({ db, config, logger, metrics, audit }) {
    // Optional models a user supplied; loaded now so a bad directory stops the start, clearly.
    const modelDetectors: DetectorV1[] = [];
    if (config.guardrails.nerModel) {
      const { createOnnxNerDetector } = await import('./onnx/onnx-ner-detector.js');
      modelDetectors.push(
        await createOnnxNerDetector({ modelDir: path.resolve(config.dataDir, config.guardrails.nerModel) }),
      );
    }
    if (config.guardrails.hapModel) {
      const { createOnnxHapClassifier } = await import('./onnx/onnx-hap-classifier.js');
      modelDetectors.push(
        await createOnnxHapClassifier({ modelDir: path.resolve(config.dataDir, config.guardrails.hapModel) }),
      );
    }
    const guardrails = new GuardrailService(
      db,
      loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }),
      { metrics, logger, modelDetectors, audit },
    );
    return { guardrails };
  },
  close: ({ guardrails }) => guardrails.close(),
};
