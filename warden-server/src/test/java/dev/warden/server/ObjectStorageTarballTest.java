package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.http.Reply;
import dev.warden.storage.BlobStore;
import dev.warden.storage.postgres.PostgresStorage;
import dev.warden.storage.tests.BlobStoreContract;
import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tarballs whose blobs are in object storage (no local file): small ones are read once and kept,
 * large ones streamed with their length. The blobs are real objects in a real S3-compatible server.
 */
class ObjectStorageTarballTest {

    private static PostgresStorage storage;

    @BeforeAll
    static void open() {
        S3Server s3 = S3Server.shared();
        PostgresCluster pg = PostgresCluster.shared();
        storage =
                PostgresStorage.open(
                        new PostgresStorage.Settings(
                                pg.jdbcUrl(pg.newDatabase()),
                                pg.user(),
                                pg.password(),
                                2,
                                true,
                                s3.endpoint(),
                                s3.region(),
                                s3.newBucket(),
                                s3.accessKey(),
                                s3.secretKey(),
                                true,
                                ""));
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    private static BlobStore.Blob stored(byte[] data) throws IOException {
        String key = BlobStoreContract.sha512Hex(data);
        storage.blobs().put(key, data);
        return storage.blobs().get(key).orElseThrow();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void anObjectStorageBlobHasNoLocalPath() throws Exception {
        assertThat(stored(BlobStoreContract.randomBytes(10)).localPath()).isEmpty();
    }

    @Test
    void aSmallBlobIsReadFromTheStoreOnceAndThenServedFromMemory() throws Exception {
        byte[] data = BlobStoreContract.randomBytes(100_000);
        String key = BlobStoreContract.sha512Hex(data);
        Counting blob = new Counting(stored(data));
        TarballBuffers buffers = new TarballBuffers(1 << 20, 1 << 20);

        ByteBuffer first = buffers.keep(key, blob);
        ByteBuffer second = buffers.keep(key, blob);

        assertThat(bytes(first)).isEqualTo(data);
        assertThat(bytes(second)).isEqualTo(data);
        assertThat(blob.opened.get()).isEqualTo(1);
        // what the I/O thread's fast path finds for the next anonymous read
        assertThat(bytes(buffers.cached(key))).isEqualTo(data);
    }

    @Test
    void aBlobLargerThanTheMemoryLimitIsStreamedWithItsLength() throws Exception {
        byte[] data = BlobStoreContract.randomBytes(300_000);
        BlobStore.Blob blob = stored(data);
        TarballBuffers buffers = new TarballBuffers(1 << 20, 64 * 1024);

        assertThat(buffers.keep(BlobStoreContract.sha512Hex(data), blob)).isNull();

        Map<String, String> headers = new LinkedHashMap<>();
        Reply reply = TarballReplies.streamed(blob, headers);
        assertThat(reply).isInstanceOf(Reply.Stream.class);
        assertThat(reply.headers()).containsEntry("Content-Length", "300000");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((Reply.Stream) reply).writer().writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    /** A stored blob that counts how often its bytes are fetched from the store. */
    private static final class Counting implements BlobStore.Blob {
        final BlobStore.Blob blob;
        final AtomicInteger opened = new AtomicInteger();

        Counting(BlobStore.Blob blob) {
            this.blob = blob;
        }

        @Override
        public long size() {
            return blob.size();
        }

        @Override
        public InputStream open() throws IOException {
            opened.incrementAndGet();
            return blob.open();
        }

        @Override
        public Optional<Path> localPath() {
            return blob.localPath();
        }
    }
}
