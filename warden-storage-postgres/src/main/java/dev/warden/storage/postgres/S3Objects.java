package dev.warden.storage.postgres;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bucket through the AWS SDK v2, over the JDK's URL connection (no Netty, no Apache client).
 * Configured for S3-compatible servers (MinIO, Ceph, R2, S3Proxy) as well as AWS: an endpoint
 * override, path-style addressing when asked, and checksums only where the API requires them (the
 * SDK's newer default trailing checksums are not understood by every compatible server).
 *
 * <p>Every call has bounded timeouts and the SDK's standard retries (3 attempts). A missing object
 * is an empty answer; any other failure is an {@link IOException} whose message is one line naming
 * the operation, the bucket and the key, never the credentials.
 */
final class S3Objects implements ObjectStore, AutoCloseable {

    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration SOCKET = Duration.ofSeconds(30);
    private static final Duration ATTEMPT = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(180);

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final String secret;

    private S3Objects(S3Client client, String bucket, String prefix, String secret) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.secret = secret;
    }

    /** A client of the settings' bucket; nothing is asked of the server until the first call. */
    static S3Objects open(PostgresStorage.Settings s) {
        if (s.s3Endpoint() == null) {
            throw new IllegalArgumentException("storage.s3_endpoint is required");
        }
        if (s.s3Bucket() == null || s.s3Bucket().isBlank()) {
            throw new IllegalArgumentException("storage.s3_bucket is required");
        }
        if (s.s3AccessKey() == null || s.s3SecretKey() == null) {
            throw new IllegalArgumentException(
                    "storage.s3_access_key and storage.s3_secret_key are required");
        }
        String region = s.s3Region() == null || s.s3Region().isBlank() ? "us-east-1" : s.s3Region();
        S3Client client =
                S3Client.builder()
                        .endpointOverride(s.s3Endpoint())
                        .region(Region.of(region))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                s.s3AccessKey(), s.s3SecretKey())))
                        .serviceConfiguration(
                                S3Configuration.builder()
                                        .pathStyleAccessEnabled(s.s3PathStyle())
                                        .build())
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .httpClient(
                                UrlConnectionHttpClient.builder()
                                        .connectionTimeout(CONNECT)
                                        .socketTimeout(SOCKET)
                                        .build())
                        .overrideConfiguration(
                                o ->
                                        o.retryStrategy(RetryMode.STANDARD)
                                                .apiCallAttemptTimeout(ATTEMPT)
                                                .apiCallTimeout(CALL))
                        .build();
        return new S3Objects(client, s.s3Bucket(), normalPrefix(s.s3Prefix()), s.s3SecretKey());
    }

    /** "" or a prefix ending in one "/", so "warden" and "warden/" name the same place. */
    static String normalPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        String full = full(key);
        try {
            client.putObject(
                    b -> b.bucket(bucket).key(full).contentLength((long) data.length),
                    RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw failure("put", full, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        String full = full(key);
        try {
            return Optional.of(
                    client.getObjectAsBytes(b -> b.bucket(bucket).key(full)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("get", full, e);
        }
    }

    @Override
    public Optional<Sized> open(String key) throws IOException {
        String full = full(key);
        try {
            ResponseInputStream<GetObjectResponse> in =
                    client.getObject(b -> b.bucket(bucket).key(full));
            return Optional.of(new Sized(in.response().contentLength(), in));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("get", full, e);
        }
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        String full = full(key);
        try {
            return OptionalLong.of(
                    client.headObject(b -> b.bucket(bucket).key(full)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            // a HEAD has no body, so a missing key comes back as a bare 404
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw failure("head", full, e);
        } catch (SdkException e) {
            throw failure("head", full, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return size(key).isPresent();
    }

    @Override
    public void delete(String key) throws IOException {
        String full = full(key);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(full));
        } catch (SdkException e) {
            throw failure("delete", full, e);
        }
    }

    /** "ok" when the bucket answers a HEAD, else a one-line reason. */
    String health() {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return "ok";
        } catch (SdkException e) {
            return failure("head", "", e).getMessage();
        }
    }

    private String full(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException("an object key must be a non-empty relative name");
        }
        return prefix + key;
    }

    private IOException failure(String op, String key, SdkException e) {
        String where = "s3://" + bucket + "/" + key;
        String reason;
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            reason = "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        } else {
            reason = String.valueOf(e.getMessage());
        }
        reason = oneLine(reason);
        if (secret != null && !secret.isEmpty()) {
            reason = reason.replace(secret, "***");
        }
        return new IOException("S3 " + op + " of " + where + " failed: " + reason, e);
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    @Override
    public void close() {
        client.close();
    }
}
