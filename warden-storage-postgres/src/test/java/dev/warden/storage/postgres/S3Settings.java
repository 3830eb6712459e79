package dev.warden.storage.postgres;

import dev.warden.storage.tests.S3Server;

/** Settings that name only a test S3 server's bucket (the database half unused). */
final class S3Settings {

    private S3Settings() {}

    static PostgresStorage.Settings of(S3Server s3, String bucket, String prefix) {
        return new PostgresStorage.Settings(
                null,
                null,
                null,
                1,
                false,
                s3.endpoint(),
                s3.region(),
                bucket,
                s3.accessKey(),
                s3.secretKey(),
                true,
                prefix);
    }
}
