/**
 * @module tuning/tuned-governance
 * The port through which tuning registers what it produces in governance (heads, adapters, prompt
 * versions) and asks whether a version may serve; the module wiring adapts the governance
 * service to it. Its own file so that the jobs using it do not import the tuning service.
 */

/**
 * What tuning needs of governance (the module wiring adapts the governance service to it): heads
 * are tracked as models; prompt optimisation tracks a template version and its evaluation run.
 */
export interface HeadGovernance {
  track(input: {
    projectId: string;
    actor: string;
    useCaseId: string;
    /** Default `model`. */
    kind?: 'model' | 'prompt_template' | 'evaluation_run' | undefined;
    ref: string;
    version?: number | undefined;
    name: string;
    metadata: Record<string, string | number | boolean>;
  }): Promise<{ id: string }>;
  /** The use case, or a `not_found` error when the project has none of that id. */
  findUseCase(projectId: string, id: string): Promise<unknown>;
  /** Whether the version may serve in production (untracked heads may). */
  check(
    projectId: string,
    ref: string,
    version: number,
  ): Promise<{ allowed: boolean; tracked?: boolean; missing: { code: string; message: string }[] }>;
}
