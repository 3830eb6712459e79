package dev.warden.storage.sql;

import static dev.warden.storage.sql.SqlColumns.instant;
import static dev.warden.storage.sql.SqlColumns.millis;

import dev.warden.storage.PhishingDefence;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** {@link PhishingDefence} over the transaction's handle. */
final class SqlPhishingDefence implements PhishingDefence {

    private final Handle h;

    SqlPhishingDefence(Handle h) {
        this.h = h;
    }

    @Override
    public boolean putMessage(
            String code, String user, String recipient, String subject, Instant at) {
        return h.createUpdate(
                                "INSERT INTO sent_messages (code, user_name, recipient, subject,"
                                        + " sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, code)
                        .bind(1, user)
                        .bind(2, recipient)
                        .bind(3, subject)
                        .bind(4, millis(at))
                        .execute()
                == 1;
    }

    @Override
    public Optional<SentMessage> message(String code) {
        return h.createQuery("SELECT * FROM sent_messages WHERE code = ?")
                .bind(0, code)
                .map(
                        (rs, ctx) ->
                                new SentMessage(
                                        rs.getString("code"),
                                        rs.getString("user_name"),
                                        rs.getString("recipient"),
                                        rs.getString("subject"),
                                        instant(rs, "sent_at")))
                .findOne();
    }

    @Override
    public boolean hasKnownAddresses(String user) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM known_sign_ins WHERE user_name = ?)")
                .bind(0, user)
                .mapTo(Boolean.class)
                .one();
    }

    @Override
    public Optional<KnownAddress> knownAddress(String user, String address) {
        return h.createQuery("SELECT * FROM known_sign_ins WHERE user_name = ? AND address = ?")
                .bind(0, user)
                .bind(1, address)
                .map(
                        (rs, ctx) ->
                                new KnownAddress(
                                        rs.getString("address"),
                                        rs.getString("client"),
                                        instant(rs, "first_seen"),
                                        instant(rs, "last_seen")))
                .findOne();
    }

    @Override
    public void noteSignIn(String user, String address, String client, Instant at) {
        h.createUpdate(
                        "INSERT INTO known_sign_ins (user_name, address, client, first_seen,"
                                + " last_seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_name,"
                                + " address) DO UPDATE SET last_seen = excluded.last_seen")
                .bind(0, user)
                .bind(1, address)
                .bind(2, client)
                .bind(3, millis(at))
                .bind(4, millis(at))
                .execute();
    }

    @Override
    public void putSignInCode(String user, String address, String codeHash, Instant expires) {
        h.createUpdate(
                        "INSERT INTO sign_in_codes (user_name, address, code_hash, expires) VALUES"
                                + " (?, ?, ?, ?) ON CONFLICT (user_name, address) DO UPDATE SET"
                                + " code_hash = excluded.code_hash, expires = excluded.expires")
                .bind(0, user)
                .bind(1, address)
                .bind(2, codeHash)
                .bind(3, millis(expires))
                .execute();
    }

    @Override
    public Optional<SignInCode> signInCode(String user, String address) {
        return h.createQuery(
                        "SELECT code_hash, expires FROM sign_in_codes WHERE user_name = ? AND"
                                + " address = ?")
                .bind(0, user)
                .bind(1, address)
                .map((rs, ctx) -> new SignInCode(rs.getString(1), instant(rs, 2)))
                .findOne();
    }

    @Override
    public void removeSignInCode(String user, String address) {
        h.createUpdate("DELETE FROM sign_in_codes WHERE user_name = ? AND address = ?")
                .bind(0, user)
                .bind(1, address)
                .execute();
    }

    @Override
    public boolean putAlert(String user, String address, String pkg, Instant at) {
        return h.createUpdate(
                                "INSERT INTO new_address_alerts (user_name, address, package, at)"
                                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, user)
                        .bind(1, address)
                        .bind(2, pkg)
                        .bind(3, millis(at))
                        .execute()
                == 1;
    }

    @Override
    public Optional<PasskeyGrace> passkeyGrace(String user) {
        return h.createQuery("SELECT started, last_reminded FROM passkey_grace WHERE user_name = ?")
                .bind(0, user)
                .map((rs, ctx) -> new PasskeyGrace(instant(rs, 1), instant(rs, 2)))
                .findOne();
    }

    @Override
    public PasskeyGrace startPasskeyGrace(String user, Instant at) {
        h.createUpdate(
                        "INSERT INTO passkey_grace (user_name, started) VALUES (?, ?) ON CONFLICT"
                                + " DO NOTHING")
                .bind(0, user)
                .bind(1, millis(at))
                .execute();
        return passkeyGrace(user).orElseThrow();
    }

    @Override
    public void markReminded(String user, Instant at) {
        h.createUpdate("UPDATE passkey_grace SET last_reminded = ? WHERE user_name = ?")
                .bind(0, millis(at))
                .bind(1, user)
                .execute();
    }
}
