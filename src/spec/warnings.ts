/**
 * A setting a provider or detector could not honour. Calls succeed with warnings rather than fail
 * on unsupported options; the caller decides whether a warning matters.
 */
export interface CallWarning {
  type: 'unsupported-setting' | 'other';
  /** The setting, in the caller's vocabulary (e.g. `repetition_penalty`). */
  setting?: string;
  message: string;
}
