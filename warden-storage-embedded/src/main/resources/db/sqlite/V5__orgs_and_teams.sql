-- Organizations own a scope (@org); members have a role; teams of members are granted packages.
CREATE TABLE orgs (
    name    TEXT PRIMARY KEY,
    created INTEGER NOT NULL
);

CREATE TABLE org_members (
    org       TEXT NOT NULL,
    user_name TEXT NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (org, user_name)
);
CREATE INDEX org_members_user ON org_members (user_name);

CREATE TABLE teams (
    org         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (org, name)
);

CREATE TABLE team_members (
    org       TEXT NOT NULL,
    team      TEXT NOT NULL,
    user_name TEXT NOT NULL,
    PRIMARY KEY (org, team, user_name)
);
CREATE INDEX team_members_user ON team_members (user_name);

CREATE TABLE team_packages (
    org        TEXT NOT NULL,
    team       TEXT NOT NULL,
    package    TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (org, team, package)
);
CREATE INDEX team_packages_package ON team_packages (package);
