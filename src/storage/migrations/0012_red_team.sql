-- Red-team runs: a probe set sent through a target's guarded path (the policy's input and output
-- checks, then the model), one result per probe, and the report aggregated when the run ends.
CREATE TABLE red_team_runs (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  -- The evals.redteam job that runs it (no foreign key: jobs are pruned on their own schedule).
  job_id text,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- { type: model | template, ... } as requested.
  target jsonb NOT NULL,
  -- How the guardrail policy was chosen: { mode: project | named | inline | none, name? }.
  policy jsonb NOT NULL,
  -- The inline policy body, when one was given.
  policy_body jsonb,
  probe_set text NOT NULL,
  probe_count integer NOT NULL,
  -- The probes as run (a set may change later; the report refers to these).
  probes jsonb NOT NULL,
  report jsonb,
  error jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX red_team_runs_project ON red_team_runs (project_id, created_at DESC);

CREATE TABLE red_team_results (
  run_id text NOT NULL REFERENCES red_team_runs (id) ON DELETE CASCADE,
  probe_id text NOT NULL,
  -- The probe's place in the run (drill-down order).
  position integer NOT NULL,
  category text NOT NULL,
  language text NOT NULL,
  -- blocked_input | filtered (answered; a guardrail masked or removed text, input or output) |
  -- answered | error
  outcome text NOT NULL,
  success boolean NOT NULL,
  result jsonb NOT NULL,
  PRIMARY KEY (run_id, probe_id)
);
CREATE INDEX red_team_results_order ON red_team_results (run_id, position);
