/**
 * @module api/error-codes
 * The one table of error codes: every error code Keel answers with maps to an HTTP status and a
 * CLI exit code. The server (through `core/codes`), the CLI and the SDK all read it from here.
 * Adding a code here is the only way to add an error kind.
 */

export const errorCodes = {
  invalid_request: { status: 400, exit: 2, title: 'Invalid request' },
  invalid_json: { status: 400, exit: 2, title: 'Malformed JSON' },
  invalid_config: { status: 400, exit: 78, title: 'Invalid configuration' },
  context_length_exceeded: { status: 400, exit: 2, title: 'Prompt does not fit the context window' },
  missing_variable: { status: 400, exit: 2, title: 'Template variable missing' },
  unauthorized: { status: 401, exit: 77, title: 'Authentication required' },
  forbidden: { status: 403, exit: 77, title: 'Not allowed' },
  not_found: { status: 404, exit: 4, title: 'Not found' },
  model_not_found: { status: 404, exit: 4, title: 'Model not found' },
  conflict: { status: 409, exit: 5, title: 'Conflict' },
  locked: { status: 409, exit: 5, title: 'Locked by another user' },
  payload_too_large: { status: 413, exit: 2, title: 'Payload too large' },
  unsupported_media_type: { status: 415, exit: 2, title: 'Unsupported media type' },
  unprocessable: { status: 422, exit: 2, title: 'Unprocessable input' },
  model_load_failed: { status: 422, exit: 6, title: 'Model could not be loaded' },
  output_validation_failed: { status: 422, exit: 6, title: 'Output does not match the schema' },
  guardrail_blocked: { status: 422, exit: 6, title: 'Blocked by a guardrail policy' },
  rate_limited: { status: 429, exit: 75, title: 'Too many requests' },
  client_closed: { status: 499, exit: 130, title: 'Client closed the request' },
  internal: { status: 500, exit: 70, title: 'Internal error' },
  not_implemented: { status: 501, exit: 69, title: 'Not supported by this provider' },
  upstream_error: { status: 502, exit: 69, title: 'Upstream provider error' },
  upstream_unavailable: { status: 502, exit: 69, title: 'Upstream provider unreachable' },
  service_unavailable: { status: 503, exit: 69, title: 'Service unavailable' },
  timeout: { status: 504, exit: 124, title: 'Time limit reached' },
  network_error: { status: 502, exit: 69, title: 'Network error' },
  checksum_mismatch: { status: 422, exit: 65, title: 'Checksum mismatch' },
  invalid_transition: { status: 409, exit: 5, title: 'Lifecycle transition not allowed from this stage' },
  gate_refused: {
    status: 409,
    exit: 5,
    title: 'Refused by a governance gate (evidence or approval missing)',
  },
  deployment_not_found: { status: 404, exit: 4, title: 'Deployment not found' },
  deployment_gone: { status: 410, exit: 4, title: 'Deployment deleted' },
  asset_not_approved: { status: 403, exit: 77, title: 'Asset not approved for this space' },
  pinned_version_unavailable: { status: 409, exit: 5, title: 'Pinned asset version no longer exists' },
  unsupported_version: { status: 400, exit: 2, title: 'Unknown API version' },
  project_required: { status: 400, exit: 2, title: 'project_id or space_id required' },
  too_many_inputs: { status: 400, exit: 2, title: 'Too many inputs' },
  insufficient_data: { status: 400, exit: 2, title: 'Too few data points' },
  irregular_frequency: { status: 400, exit: 2, title: 'Time series is not evenly spaced' },
  invalid_dataset: { status: 422, exit: 65, title: 'Dataset does not fit its column mapping' },
  invalid_encoding: { status: 422, exit: 65, title: 'File is not valid UTF-8' },
  threshold_failed: { status: 422, exit: 3, title: 'An evaluation threshold failed' },
  data_query_refused: { status: 400, exit: 2, title: 'Query refused: only one read-only SELECT is allowed' },
  invalid_data_file: { status: 422, exit: 65, title: 'Data file could not be read' },
  document_corrupt: { status: 422, exit: 65, title: 'Document is corrupt or unreadable' },
  document_encrypted: { status: 422, exit: 65, title: 'Document is password-protected' },
  ocr_unavailable: { status: 501, exit: 69, title: 'OCR (tesseract) is not installed' },
  font_unavailable: { status: 501, exit: 69, title: 'No font with Hangul glyphs for a PDF with Korean text' },
  adapter_not_lora: { status: 422, exit: 65, title: 'File is not a LoRA adapter' },
  adapter_architecture_mismatch: {
    status: 422,
    exit: 65,
    title: "Adapter architecture differs from the base model's",
  },
  adapter_base_mismatch: { status: 422, exit: 65, title: 'Adapter was made for another base model' },
} as const satisfies Record<string, { status: number; exit: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** Whether a string from the wire is one of Keel's codes. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCodes, code);
}
