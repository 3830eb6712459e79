package dev.warden.storage.sql;

import dev.warden.storage.PackageMfa;

import org.jdbi.v3.core.Handle;

import java.util.Optional;

/** {@link PackageMfa} over the transaction's handle. */
final class SqlPackageMfa implements PackageMfa {

    private final Handle h;

    SqlPackageMfa(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<Policy> find(String name) {
        return h.createQuery("SELECT * FROM package_mfa WHERE name = ?")
                .bind(0, name)
                .map(
                        (rs, ctx) ->
                                new Policy(
                                        rs.getInt("publish_requires_tfa") != 0,
                                        rs.getInt("automation_overrides") != 0,
                                        rs.getInt("require_trusted_publisher") != 0))
                .findOne();
    }

    @Override
    public void put(String name, Policy policy) {
        h.createUpdate(
                        """
                        INSERT INTO package_mfa (name, publish_requires_tfa, automation_overrides, require_trusted_publisher)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET publish_requires_tfa = excluded.publish_requires_tfa,
                            automation_overrides = excluded.automation_overrides,
                            require_trusted_publisher = excluded.require_trusted_publisher\
                        """)
                .bind(0, name)
                .bind(1, policy.publishRequiresTfa() ? 1 : 0)
                .bind(2, policy.automationOverrides() ? 1 : 0)
                .bind(3, policy.requireTrustedPublisher() ? 1 : 0)
                .execute();
    }
}
