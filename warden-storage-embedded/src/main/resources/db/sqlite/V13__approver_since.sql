-- When each way of acting on a package began: a maintainer's addition, an org role that manages
-- the scope, a team membership, a read-write team grant. An approval counts only from someone who
-- could act on the package before the stage or change request was opened. Rows from before this
-- migration are older than any open stage: they get the epoch.
ALTER TABLE maintainers ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE org_members ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE team_members ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE team_packages ADD COLUMN since INTEGER NOT NULL DEFAULT 0;
