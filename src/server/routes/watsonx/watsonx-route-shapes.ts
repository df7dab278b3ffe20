/**
 * @module server/routes/watsonx/watsonx-route-shapes
 * The OpenAPI error responses the watsonx.ai-compatible routes share: watsonx.ai's error shape
 * (`errors[]`, `trace`, `status_code`), not Keel's.
 */
import { watsonxErrorSchema } from '../../../api/watsonx.js';

/** One error response in watsonx.ai's error shape with `description`. */
export const watsonxError = (description: string) => ({
  description,
  content: { 'application/json': { schema: watsonxErrorSchema } },
});
