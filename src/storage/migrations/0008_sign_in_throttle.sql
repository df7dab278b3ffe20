-- Failed sign-ins per account (a digest of the e-mail) and per client address, so that every
-- replica sees the same counts: after a few failures in a window the subject is locked for a
-- growing interval (platform/sign-in-throttle).
CREATE TABLE sign_in_throttle (
  subject text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);
