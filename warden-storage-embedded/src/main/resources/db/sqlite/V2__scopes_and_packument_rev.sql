-- Who holds a scope: set when the first package in it is published, never freed by unpublishing.
CREATE TABLE scopes (
    scope   TEXT PRIMARY KEY,
    owner   TEXT NOT NULL,
    created INTEGER NOT NULL
);
INSERT INTO scopes (scope, owner, created)
SELECT substr(p.name, 2, instr(p.name, '/') - 2), MIN(m.user_name), MIN(p.created)
FROM packages p JOIN maintainers m ON m.name = p.name
WHERE p.name LIKE '@%/%'
GROUP BY substr(p.name, 2, instr(p.name, '/') - 2);

-- The package revision a precomputed packument reflects, so caches keep the newest.
ALTER TABLE packuments ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
