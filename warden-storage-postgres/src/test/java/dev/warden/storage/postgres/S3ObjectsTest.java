package dev.warden.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.BlobStore;
import dev.warden.storage.tests.BlobStoreContract;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The bucket as the driver sees it: keys under the prefix, missing objects, a server down. */
class S3ObjectsTest {

    private final S3Server s3 = S3Server.shared();

    @Test
    void blobsAreKeptUnderThePrefixAsBlobsSlashTheirHash() throws Exception {
        String bucket = s3.newBucket();
        byte[] data = BlobStoreContract.randomBytes(500);
        String hash = BlobStoreContract.sha512Hex(data);
        try (S3Objects objects = S3Objects.open(S3Settings.of(s3, bucket, "/node-a"))) {
            new S3BlobStore(objects).put(hash, data);
        }

        try (S3Client client = s3.client()) {
            List<String> keys =
                    client.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                            .map(S3Object::key)
                            // S3Proxy's file system backend lists its directories too
                            .filter(k -> !k.endsWith("/"))
                            .toList();
            assertThat(keys).containsExactly("node-a/blobs/" + hash);
        }
    }

    @Test
    void theSamePrefixSpelledWithOrWithoutSlashesNamesOnePlace() {
        assertThat(S3Objects.normalPrefix("warden")).isEqualTo("warden/");
        assertThat(S3Objects.normalPrefix("/warden/")).isEqualTo("warden/");
        assertThat(S3Objects.normalPrefix("")).isEmpty();
        assertThat(S3Objects.normalPrefix(null)).isEmpty();
    }

    @Test
    void aMissingObjectIsEmptyEveryWay() throws Exception {
        try (S3Objects objects = S3Objects.open(S3Settings.of(s3, s3.newBucket(), ""))) {
            assertThat(objects.get("tiles/nothing")).isEmpty();
            assertThat(objects.open("tiles/nothing")).isEmpty();
            assertThat(objects.size("tiles/nothing")).isEmpty();
            assertThat(objects.exists("tiles/nothing")).isFalse();
        }
    }

    @Test
    void anObjectIsPutReadSizedAndDeleted() throws Exception {
        try (S3Objects objects = S3Objects.open(S3Settings.of(s3, s3.newBucket(), "p"))) {
            byte[] data = "checkpoint".getBytes(StandardCharsets.UTF_8);
            objects.put("log/checkpoint", data);

            assertThat(objects.get("log/checkpoint")).contains(data);
            assertThat(objects.size("log/checkpoint")).hasValue(data.length);
            ObjectStore.Sized sized = objects.open("log/checkpoint").orElseThrow();
            try (var in = sized.stream()) {
                assertThat(sized.size()).isEqualTo(data.length);
                assertThat(in.readAllBytes()).isEqualTo(data);
            }

            objects.delete("log/checkpoint");
            assertThat(objects.exists("log/checkpoint")).isFalse();
        }
    }

    @Test
    void healthIsOkForTheBucketAndAReasonForAMissingOne() {
        try (S3Objects ok = S3Objects.open(S3Settings.of(s3, s3.newBucket(), ""));
                S3Objects missing = S3Objects.open(S3Settings.of(s3, "no-such-bucket-x", ""))) {
            assertThat(ok.health()).isEqualTo("ok");
            assertThat(missing.health())
                    .isEqualTo("S3 head of s3://no-such-bucket-x/ failed: HTTP 404 NoSuchBucket");
        }
    }

    @Test
    void aServerThatIsDownGivesAOneLineReasonNamingBucketAndKeyButNotTheSecret() throws Exception {
        String hash = BlobStoreContract.sha512Hex(new byte[] {1});
        String bucket;
        PostgresStorage.Settings settings;
        try (S3Server own = S3Server.start()) {
            bucket = own.newBucket();
            settings = S3Settings.of(own, bucket, "");
        }
        try (S3Objects objects = S3Objects.open(settings)) {
            BlobStore blobs = new S3BlobStore(objects);

            assertThatThrownBy(() -> blobs.put(hash, new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(
                            "S3 head of s3://" + bucket + "/blobs/" + hash + " failed: ")
                    .hasMessageNotContaining(S3Server.SECRET_KEY)
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> objects.put("k", new byte[] {1}))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("S3 put of s3://" + bucket + "/k failed: ");
            assertThat(objects.health()).startsWith("S3 head of s3://" + bucket + "/ failed: ");
        }
    }

    @Test
    void settingsWithoutABucketAreRefusedWhenOpened() {
        PostgresStorage.Settings noBucket = S3Settings.of(s3, " ", "");

        assertThatThrownBy(() -> S3Objects.open(noBucket))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage.s3_bucket is required");
    }
}
