-- Governance risk: each project's own risk questionnaires (uploaded replacements of the built-in
-- file, numbered per project) and risk assessments (insert-only: a completed assessment is never
-- changed; a new one with the next version supersedes it).
CREATE TABLE gov_risk_questionnaires (
  project_id text NOT NULL REFERENCES projects (id),
  revision integer NOT NULL,
  questionnaire jsonb NOT NULL,
  digest text NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, revision)
);

CREATE TABLE gov_risk_assessments (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  use_case_id text NOT NULL REFERENCES gov_use_cases (id) ON DELETE CASCADE,
  approach_id text,
  version integer NOT NULL,
  supersedes text REFERENCES gov_risk_assessments (id),
  questionnaire_id text NOT NULL,
  questionnaire_version text NOT NULL,
  -- 0: the built-in questionnaire; otherwise the project's gov_risk_questionnaires revision.
  questionnaire_revision integer NOT NULL,
  questionnaire_digest text NOT NULL,
  answers jsonb NOT NULL,
  tier text NOT NULL CHECK (tier IN ('minimal', 'limited', 'high', 'prohibited')),
  eu_category text NOT NULL CHECK (eu_category IN ('minimal', 'limited', 'high', 'prohibited')),
  korea_high_impact boolean NOT NULL,
  prohibited boolean NOT NULL,
  scorecard jsonb NOT NULL,
  note text,
  created_by text,
  completed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (use_case_id, version)
);
CREATE INDEX gov_risk_assessments_project ON gov_risk_assessments (project_id, completed_at);

-- Completed assessments and questionnaire revisions are records: never updated or deleted
-- (deleting a use case removes its assessments through the cascade, which is a DELETE of the
-- use case, allowed).
CREATE FUNCTION gov_risk_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is insert-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER gov_risk_assessments_no_update BEFORE UPDATE ON gov_risk_assessments
  FOR EACH ROW EXECUTE FUNCTION gov_risk_immutable();
CREATE TRIGGER gov_risk_questionnaires_no_update BEFORE UPDATE ON gov_risk_questionnaires
  FOR EACH ROW EXECUTE FUNCTION gov_risk_immutable();
