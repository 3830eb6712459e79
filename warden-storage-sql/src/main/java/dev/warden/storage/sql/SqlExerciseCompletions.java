package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.ExerciseCompletions;

import org.jdbi.v3.core.Handle;

import java.util.List;

/** {@link ExerciseCompletions} over the transaction's handle. */
final class SqlExerciseCompletions implements ExerciseCompletions {

    private final Handle h;

    SqlExerciseCompletions(Handle h) {
        this.h = h;
    }

    @Override
    public List<Completion> of(String user) {
        return h.createQuery(
                        "SELECT user_name, exercise, at, how FROM exercise_completions WHERE"
                                + " user_name = ? ORDER BY at, exercise")
                .bind(0, user)
                .map(
                        (rs, ctx) ->
                                new Completion(
                                        rs.getString("user_name"),
                                        rs.getString("exercise"),
                                        instant(rs, "at"),
                                        rs.getString("how")))
                .list();
    }

    @Override
    public boolean add(Completion c) {
        return h.createUpdate(
                                "INSERT INTO exercise_completions (user_name, exercise, at, how)"
                                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, c.user())
                        .bind(1, c.exercise())
                        .bind(2, millis(c.at()))
                        .bind(3, c.how())
                        .execute()
                > 0;
    }
}
