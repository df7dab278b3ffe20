-- A recorded run names the feature that produced it (an experiment, a comparison) and, for a
-- resumable one, the cell it covers (an experiment's grid point). One run per cell: a resumed
-- experiment finds the run it recorded before a crash instead of recording a second one.
ALTER TABLE eval_runs ADD COLUMN source_id text;
ALTER TABLE eval_runs ADD COLUMN source_cell text;
UPDATE eval_runs SET source_id = target -> 'resolved' -> 'source' ->> 'id'
  WHERE target -> 'resolved' -> 'source' ->> 'id' IS NOT NULL;
CREATE INDEX eval_runs_source ON eval_runs (project_id, source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX eval_runs_source_cell ON eval_runs (project_id, source_id, source_cell)
  WHERE source_cell IS NOT NULL;
