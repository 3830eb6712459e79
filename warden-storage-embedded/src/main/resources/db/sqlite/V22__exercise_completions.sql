-- Training: the security exercises each maintainer completed, and when. A row is written only by
-- the maintainer's own request (an answer or a check of their own account's state).
CREATE TABLE exercise_completions (
    user_name TEXT NOT NULL,
    exercise  TEXT NOT NULL,
    at        INTEGER NOT NULL,
    how       TEXT NOT NULL,
    PRIMARY KEY (user_name, exercise)
);
