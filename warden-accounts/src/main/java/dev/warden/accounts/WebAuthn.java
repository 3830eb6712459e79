package dev.warden.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Passkeys.Credential;
import dev.warden.storage.Transients.Transient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Passkeys and security keys (WebAuthn), the phishing-resistant factor, with Yubico's
 * java-webauthn-server doing the verification: the relying party is the registry's host name and
 * only its own origin is accepted, so a look-alike site cannot use a credential.
 *
 * <p>Registrations are discoverable (resident) credentials, so a passkey alone signs a user in: the
 * authenticator proves possession and, with user verification required, the user's presence and PIN
 * or biometric. Ceremonies in progress are kept for 5 minutes as {@code Transients} records (the
 * request's JSON by ceremony id), so a ceremony started on one node finishes on any; each is used
 * once.
 */
public final class WebAuthn {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final MetadataStore store;
    private final Clock clock;
    private final SecurityLog log;
    private final RelyingParty rp;
    private final SecureRandom random = new SecureRandom();

    /** The records' kinds: one per type of ceremony, so one cannot be finished as the other. */
    private static final String REGISTRATION = "webauthn.registration";

    private static final String ASSERTION = "webauthn.assertion";

    WebAuthn(MetadataStore store, Clock clock, SecurityLog log, String publicUrl) {
        this.store = store;
        this.clock = clock;
        this.log = log;
        URI url = URI.create(publicUrl);
        String origin =
                url.getScheme()
                        + "://"
                        + url.getHost()
                        + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.rp =
                RelyingParty.builder()
                        .identity(
                                RelyingPartyIdentity.builder()
                                        .id(url.getHost())
                                        .name("Warden")
                                        .build())
                        .credentialRepository(new Repository())
                        .origins(Set.of(origin))
                        .allowOriginPort(false)
                        .build();
    }

    /**
     * Whether browsers will run WebAuthn ceremonies for this registry's host (not for IP
     * addresses).
     */
    public boolean available() {
        String id = rp.getIdentity().getId();
        return !id.matches("[0-9.]+") && !id.contains(":");
    }

    /** A ceremony started: its id and the options for {@code navigator.credentials}, as JSON. */
    public record Started(String id, String optionsJson) {}

    private String remember(String kind, String requestJson) {
        Instant now = clock.instant();
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        boolean room =
                store.writeDerived(
                        tx -> {
                            var t = tx.transients();
                            t.purgeExpired(now);
                            if (t.count(REGISTRATION, now) + t.count(ASSERTION, now) > 10_000) {
                                return false;
                            }
                            t.put(new Transient(kind, id, requestJson, now.plus(TTL)));
                            return true;
                        });
        if (!room) {
            throw new Problem(
                    Problem.Kind.TOO_MANY_REQUESTS,
                    "too many passkey ceremonies in progress; try again shortly");
        }
        return id;
    }

    /** The request of a ceremony, taken: a second finish of the same ceremony finds nothing. */
    private String take(String id, String kind) {
        Instant now = clock.instant();
        Optional<String> json =
                id == null
                        ? Optional.empty()
                        : store.writeDerived(
                                tx -> {
                                    var t = tx.transients();
                                    Optional<Transient> r = t.get(kind, id, now);
                                    r.ifPresent(x -> t.delete(kind, id, now));
                                    return r.map(Transient::value);
                                });
        return json.orElseThrow(
                () ->
                        Problem.badRequest(
                                "this passkey request is unknown or has expired; start again"));
    }

    public Started startRegistration(String user, String email) {
        String handle =
                store.write(
                        tx ->
                                tx.passkeys()
                                        .handleOf(user)
                                        .orElseGet(
                                                () -> {
                                                    byte[] b = new byte[32];
                                                    random.nextBytes(b);
                                                    String h = new ByteArray(b).getBase64Url();
                                                    tx.passkeys().putHandle(user, h);
                                                    return h;
                                                }));
        PublicKeyCredentialCreationOptions options;
        try {
            options =
                    rp.startRegistration(
                            StartRegistrationOptions.builder()
                                    .user(
                                            UserIdentity.builder()
                                                    .name(user)
                                                    .displayName(email == null ? user : email)
                                                    .id(ByteArray.fromBase64Url(handle))
                                                    .build())
                                    .authenticatorSelection(
                                            AuthenticatorSelectionCriteria.builder()
                                                    .residentKey(ResidentKeyRequirement.REQUIRED)
                                                    .userVerification(
                                                            UserVerificationRequirement.REQUIRED)
                                                    .build())
                                    .build());
            return new Started(
                    remember(REGISTRATION, options.toJson()), options.toCredentialsCreateJson());
        } catch (JsonProcessingException
                | com.yubico.webauthn.data.exception.Base64UrlException e) {
            throw new IllegalStateException(e);
        }
    }

    public void finishRegistration(
            String user,
            String ceremony,
            String credentialJson,
            String nickname,
            InetAddress from) {
        PublicKeyCredentialCreationOptions request;
        try {
            request = PublicKeyCredentialCreationOptions.fromJson(take(ceremony, REGISTRATION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored passkey registration is not readable", e);
        }
        if (!request.getUser().getName().equals(user)) {
            throw Problem.forbidden("this passkey request belongs to another account");
        }
        RegistrationResult result;
        try {
            var response = PublicKeyCredential.parseRegistrationResponseJson(credentialJson);
            result =
                    rp.finishRegistration(
                            FinishRegistrationOptions.builder()
                                    .request(request)
                                    .response(response)
                                    .build());
        } catch (IOException e) {
            throw Problem.badRequest("the passkey response is not valid JSON");
        } catch (RegistrationFailedException e) {
            throw Problem.badRequest("the passkey could not be registered: " + e.getMessage());
        }
        String id = result.getKeyId().getId().getBase64Url();
        store.write(
                tx -> {
                    if (tx.passkeys().find(id).isPresent()) {
                        throw Problem.conflict("this passkey is already registered");
                    }
                    tx.passkeys()
                            .insert(
                                    new Credential(
                                            id,
                                            user,
                                            result.getPublicKeyCose().getBase64Url(),
                                            result.getSignatureCount(),
                                            nickname == null || nickname.isBlank()
                                                    ? "passkey"
                                                    : nickname.substring(
                                                            0, Math.min(64, nickname.length())),
                                            clock.instant()));
                    return null;
                });
        log.record(
                user,
                "passkey.registered",
                from,
                Map.of("credential", id.substring(0, Math.min(16, id.length()))));
    }

    public Started startAssertion() {
        AssertionRequest request =
                rp.startAssertion(
                        StartAssertionOptions.builder()
                                .userVerification(UserVerificationRequirement.REQUIRED)
                                .build());
        try {
            return new Started(
                    remember(ASSERTION, request.toJson()), request.toCredentialsGetJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies a sign-in with a passkey; returns the user it belongs to. */
    public String finishAssertion(String ceremony, String credentialJson, InetAddress from) {
        AssertionRequest request;
        try {
            request = AssertionRequest.fromJson(take(ceremony, ASSERTION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored passkey sign-in is not readable", e);
        }
        AssertionResult result;
        try {
            var response = PublicKeyCredential.parseAssertionResponseJson(credentialJson);
            result =
                    rp.finishAssertion(
                            FinishAssertionOptions.builder()
                                    .request(request)
                                    .response(response)
                                    .build());
        } catch (IOException e) {
            throw Problem.badRequest("the passkey response is not valid JSON");
        } catch (AssertionFailedException e) {
            throw Problem.unauthorized("the passkey was not accepted");
        }
        if (!result.isSuccess()) {
            throw Problem.unauthorized("the passkey was not accepted");
        }
        String user = result.getUsername();
        store.write(
                tx -> {
                    tx.passkeys()
                            .updateSignCount(
                                    result.getCredential().getCredentialId().getBase64Url(),
                                    result.getSignatureCount());
                    return null;
                });
        log.record(user, "login", from, Map.of("via", "passkey"));
        return user;
    }

    public void remove(String user, String credentialId, InetAddress from) {
        boolean removed = store.write(tx -> tx.passkeys().delete(credentialId, user));
        if (!removed) {
            throw Problem.notFound("no such passkey");
        }
        log.record(
                user,
                "passkey.removed",
                from,
                Map.of(
                        "credential",
                        credentialId.substring(0, Math.min(16, credentialId.length()))));
    }

    public java.util.List<Credential> credentials(String user) {
        return store.read(tx -> tx.passkeys().of(user));
    }

    /** Yubico's view of the stored credentials. */
    private final class Repository implements CredentialRepository {
        @Override
        public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
            return store.read(tx -> tx.passkeys().of(username)).stream()
                    .map(
                            c ->
                                    PublicKeyCredentialDescriptor.builder()
                                            .id(bytes(c.credentialId()))
                                            .build())
                    .collect(Collectors.toSet());
        }

        @Override
        public Optional<ByteArray> getUserHandleForUsername(String username) {
            return store.read(tx -> tx.passkeys().handleOf(username)).map(WebAuthn::bytes);
        }

        @Override
        public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
            return store.read(tx -> tx.passkeys().userOfHandle(userHandle.getBase64Url()));
        }

        @Override
        public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
            return store.read(
                    tx ->
                            tx.passkeys()
                                    .find(credentialId.getBase64Url())
                                    .filter(
                                            c ->
                                                    tx.passkeys()
                                                            .handleOf(c.user())
                                                            .map(
                                                                    h ->
                                                                            h.equals(
                                                                                    userHandle
                                                                                            .getBase64Url()))
                                                            .orElse(false))
                                    .map(c -> registered(c, userHandle)));
        }

        @Override
        public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
            return store.read(
                    tx ->
                            tx.passkeys()
                                    .find(credentialId.getBase64Url())
                                    .map(
                                            c ->
                                                    Set.of(
                                                            registered(
                                                                    c,
                                                                    bytes(
                                                                            tx.passkeys()
                                                                                    .handleOf(
                                                                                            c
                                                                                                    .user())
                                                                                    .orElseThrow()))))
                                    .orElse(Set.of()));
        }
    }

    private static RegisteredCredential registered(Credential c, ByteArray handle) {
        return RegisteredCredential.builder()
                .credentialId(bytes(c.credentialId()))
                .userHandle(handle)
                .publicKeyCose(bytes(c.publicKey()))
                .signatureCount(c.signCount())
                .build();
    }

    private static ByteArray bytes(String base64Url) {
        try {
            return ByteArray.fromBase64Url(base64Url);
        } catch (com.yubico.webauthn.data.exception.Base64UrlException e) {
            throw new IllegalStateException(e);
        }
    }
}
