-- Governance: the use-case inventory, versioned approaches, tracked assets with their lifecycle
-- stage, each asset's history (who created or changed it: separation of duties reads it) and the
-- approval decisions (insert-only: a reversal is a new decision).
CREATE TABLE gov_use_cases (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id),
  name text NOT NULL,
  purpose text NOT NULL DEFAULT '',
  business_owner text,
  -- active | blocked (a prohibited assessment) | retired
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked', 'retired')),
  tags jsonb NOT NULL DEFAULT '[]',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE gov_approaches (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  use_case_id text NOT NULL REFERENCES gov_use_cases (id) ON DELETE CASCADE,
  version integer NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- { metric: { min?, max? } } an evaluation run must meet before validation passes.
  thresholds jsonb NOT NULL DEFAULT '{}',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (use_case_id, version)
);

CREATE TABLE gov_assets (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  use_case_id text NOT NULL REFERENCES gov_use_cases (id) ON DELETE CASCADE,
  approach_id text NOT NULL REFERENCES gov_approaches (id) ON DELETE CASCADE,
  kind text NOT NULL,
  -- What the asset is called in its own module (a template name, a collection id, a URL …).
  ref text NOT NULL,
  -- The pinned version of the asset (a template version, a collection config version), if any.
  ref_version integer,
  -- Where the asset's own changes appear in the audit chain (target type and id).
  source_type text,
  source_id text,
  name text NOT NULL,
  stage text NOT NULL DEFAULT 'idea',
  -- Bumped by every transition and change: a concurrent writer holding an older value loses.
  row_version integer NOT NULL DEFAULT 1,
  -- Bumped by every change to the asset itself: approvals bind to one revision.
  revision integer NOT NULL DEFAULT 1,
  -- The revision the current decisions approve (null: not approved). Recomputed with each
  -- decision and cleared by each change, so the gate reads one row.
  approved_revision integer,
  -- The audit record whose change was applied last: a change seen by several replicas applies once.
  last_change_seq bigint NOT NULL DEFAULT 0,
  metadata jsonb NOT NULL DEFAULT '{}',
  -- Uploaded evaluation results (evaluation_run assets): { metrics: { name: number } }.
  results jsonb,
  validation_report jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX gov_assets_ref ON gov_assets (project_id, kind, ref, coalesce(ref_version, 0));
CREATE INDEX gov_assets_source ON gov_assets (source_type, source_id);
CREATE INDEX gov_assets_use_case ON gov_assets (use_case_id, approach_id);

CREATE TABLE gov_asset_history (
  id text PRIMARY KEY,
  asset_id text NOT NULL REFERENCES gov_assets (id) ON DELETE CASCADE,
  project_id text NOT NULL,
  -- create | change | transition | report | refused
  event text NOT NULL,
  from_stage text,
  to_stage text,
  actor text,
  actor_role text,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_asset_history_asset ON gov_asset_history (asset_id, at);

CREATE TABLE gov_approvals (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  use_case_id text NOT NULL REFERENCES gov_use_cases (id) ON DELETE CASCADE,
  asset_id text NOT NULL REFERENCES gov_assets (id) ON DELETE CASCADE,
  asset_revision integer NOT NULL,
  decision text NOT NULL CHECK (decision IN ('go', 'no_go')),
  reasons text NOT NULL,
  approver text NOT NULL,
  approver_role text NOT NULL,
  risk_tier text,
  risk_version integer,
  -- The earlier decision this one reverses, if any.
  supersedes text REFERENCES gov_approvals (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_approvals_asset ON gov_approvals (asset_id, asset_revision, created_at);

-- Decisions are final: a row is never updated (a reversal is a new decision).
CREATE FUNCTION gov_approvals_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'approval decisions are final; record a new decision instead';
END;
$$;
CREATE TRIGGER gov_approvals_no_update BEFORE UPDATE ON gov_approvals
  FOR EACH ROW EXECUTE FUNCTION gov_approvals_final();

-- How far the change feed has applied the audit chain (shared by replicas; one row).
CREATE TABLE gov_change_feed (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL
);
