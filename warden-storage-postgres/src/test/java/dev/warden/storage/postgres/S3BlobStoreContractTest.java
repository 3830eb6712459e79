package dev.warden.storage.postgres;

import dev.warden.storage.BlobStore;
import dev.warden.storage.tests.BlobStoreContract;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The blob store contract on a real S3-compatible server, in a bucket of this class's own. */
class S3BlobStoreContractTest extends BlobStoreContract {

    private static S3Objects objects;

    @BeforeAll
    static void bucket() {
        S3Server s3 = S3Server.shared();
        objects = S3Objects.open(S3Settings.of(s3, s3.newBucket(), ""));
    }

    @AfterAll
    static void close() {
        objects.close();
    }

    @Override
    protected BlobStore newStore() {
        return new S3BlobStore(objects);
    }
}
