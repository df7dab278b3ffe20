-- Prompt Lab at rest: runs and session drafts hold what the guardrail policy let through; the raw
-- values are sealed (AES-256-GCM with the server key, as pseudonym maps are) beside them.
-- `guardrail_policy` names the policy the row was masked under (NULL: none applied).
-- `privacy_checked` is false only on rows written before this migration: they may hold raw values
-- (see docs/architecture/prompts.md, "Stored values and PII").
ALTER TABLE prompt_runs ADD COLUMN guardrail_policy text;
ALTER TABLE prompt_runs ADD COLUMN sealed jsonb;
ALTER TABLE prompt_runs ADD COLUMN privacy_checked boolean NOT NULL DEFAULT false;

ALTER TABLE prompt_sessions ADD COLUMN draft_policy text;
ALTER TABLE prompt_sessions ADD COLUMN draft_sealed jsonb;
ALTER TABLE prompt_sessions ADD COLUMN privacy_checked boolean NOT NULL DEFAULT false;
