-- Each write checks the account's latest event of a few rare kinds (an email change, a recovery
-- code used); without this index that read scans all of the account's events, which grow with
-- every publish.
CREATE INDEX security_events_kind ON security_events (user_name, kind, at);
