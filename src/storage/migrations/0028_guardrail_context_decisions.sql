-- Decisions about content a retrieval put into a prompt (a RAG passage screened for indirect
-- injection): direction 'context', with the span offsets into that passage, and the passage it
-- read (its chunk id) as the decision's subject. The source stays the endpoint that served the
-- request, so per-endpoint reports and monitors read these rows as before.
ALTER TABLE guardrail_decisions DROP CONSTRAINT IF EXISTS guardrail_decisions_direction_check;
ALTER TABLE guardrail_decisions ADD CONSTRAINT guardrail_decisions_direction_check
  CHECK (direction IN ('input', 'output', 'context'));
ALTER TABLE guardrail_decisions ADD COLUMN subject text;
