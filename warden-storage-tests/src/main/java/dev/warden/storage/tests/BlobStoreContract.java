package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.BlobStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What every {@link BlobStore} driver promises, run against each of them: a driver's test module
 * subclasses this with a factory for a fresh store. Each test writes blobs of its own random
 * content, so the tests of one class may share a store.
 */
public abstract class BlobStoreContract {

    private static final Random RANDOM = new Random();

    private BlobStore store;

    /** A store for one test (it may hold blobs of other tests of the same class). */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    protected final BlobStore store() {
        return store;
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String sha512Hex(byte[] data) {
        return HexFormat.of().formatHex(sha512().digest(data));
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(BlobStore.Blob blob) throws IOException {
        try (InputStream in = blob.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void aBlobPutIsReadBackWithItsSize() throws Exception {
        byte[] data = randomBytes(10_000);
        String key = sha512Hex(data);

        store.put(key, data);

        BlobStore.Blob blob = store.get(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(data.length);
        assertThat(read(blob)).isEqualTo(data);
    }

    @Test
    void aBlobCanBeOpenedMoreThanOnce() throws Exception {
        byte[] data = randomBytes(3_000);
        String key = sha512Hex(data);
        store.put(key, data);

        BlobStore.Blob blob = store.get(key).orElseThrow();

        assertThat(read(blob)).isEqualTo(data);
        assertThat(read(blob)).isEqualTo(data);
    }

    @Test
    void anEmptyBlobIsKept() throws Exception {
        byte[] data = new byte[0];
        String key = sha512Hex(data);

        store.put(key, data);

        BlobStore.Blob blob = store.get(key).orElseThrow();
        assertThat(blob.size()).isZero();
        assertThat(read(blob)).isEmpty();
    }

    @Test
    void aSecondPutOfTheSameBlobChangesNothing() throws Exception {
        byte[] data = "the same tarball twice".getBytes(StandardCharsets.UTF_8);
        String key = sha512Hex(data);

        store.put(key, data);
        store.put(key, data.clone());

        BlobStore.Blob blob = store.get(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(data.length);
        assertThat(read(blob)).isEqualTo(data);
    }

    @Test
    void aBlobNeverPutIsAbsent() throws Exception {
        String key = sha512Hex(randomBytes(64));

        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void aLargeBlobIsStreamedBackWhole() throws Exception {
        byte[] data = randomBytes(20 * 1024 * 1024);
        String key = sha512Hex(data);

        store.put(key, data);

        BlobStore.Blob blob = store.get(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(data.length);
        // read in small pieces, as the server sends it, and hash on the way
        MessageDigest digest = sha512();
        long total = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = blob.open()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(data.length);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(key);
    }

    @Test
    void concurrentPutsOfTheSameBlobAllSucceedAndKeepOneCopy() throws Exception {
        byte[] data = randomBytes(256 * 1024);
        String key = sha512Hex(data);
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                puts.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    store.put(key, data.clone());
                                    return null;
                                }));
            }
            start.countDown();
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }

        BlobStore.Blob blob = store.get(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(data.length);
        assertThat(sha512Hex(read(blob))).isEqualTo(key);
    }

    @Test
    void aKeyThatIsNotLowerCaseSha512HexIsRefusedAndNothingIsStored() throws Exception {
        byte[] data = randomBytes(100);
        String key = sha512Hex(data);

        for (String bad :
                List.of(
                        key.toUpperCase(java.util.Locale.ROOT),
                        key.substring(1),
                        key + "0",
                        "../" + key.substring(3),
                        key.substring(0, 127) + "g",
                        "")) {
            assertThatThrownBy(() -> store.put(bad, data))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a sha512 hex key");
            assertThatThrownBy(() -> store.get(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a sha512 hex key");
        }
        assertThat(store.get(key)).isEmpty();
    }
}
