/**
 * @module api/few-shot-limits
 * A template's few-shot pool: its limits and defaults, free of schema code so the SDK (and the
 * console through it) can read them without the schemas. Re-exported by `api/prompts`.
 */

/** Most examples a few-shot pool may hold. */
export const FEW_SHOT_POOL_MAX_EXAMPLES = 2000;
/** Largest few-shot pool accepted (UTF-8 bytes of its examples' JSON). */
export const FEW_SHOT_POOL_LIMIT_BYTES = 768 * 1024;
/** How much a few-shot pool's selection favours diversity over similarity, when not given. */
export const FEW_SHOT_DEFAULT_DIVERSITY = 0.3;
