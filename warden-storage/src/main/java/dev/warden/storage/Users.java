package dev.warden.storage;

import java.time.Instant;
import java.util.Optional;

/** Registry accounts. */
public interface Users {

    Optional<UserRecord> find(String name);

    void insert(UserRecord user);

    void update(UserRecord user);

    long count();

    /** An account; {@code passwordHash} is a PHC-format string, never a password. */
    record UserRecord(
            String name, String email, String passwordHash, Instant created, boolean admin) {
        @Override
        public String toString() {
            return "UserRecord[name=" + name + ", email=" + email + ", admin=" + admin + "]";
        }
    }
}
