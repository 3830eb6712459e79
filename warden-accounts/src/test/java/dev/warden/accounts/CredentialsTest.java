package dev.warden.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

class CredentialsTest {

    final TokenCodec codec = new TokenCodec();

    @Test
    void tokensCarryPrefixAndChecksum() {
        String secret = codec.newSecret();
        assertThat(secret).startsWith("wdn_").hasSize(40);
        assertThat(TokenCodec.wellFormed(secret)).isTrue();
        assertThat(TokenCodec.hash(secret)).hasSize(64).doesNotContain(secret.substring(4));
        assertThat(TokenCodec.wellFormed(null)).isFalse();
        assertThat(TokenCodec.wellFormed("npm_" + secret.substring(4))).isFalse();
        assertThat(TokenCodec.wellFormed(secret + "x")).isFalse();
    }

    @Property(tries = 300)
    void anySingleCharacterChangeBreaksTheChecksum(
            @ForAll @IntRange(min = 4, max = 39) int position) {
        String secret = codec.newSecret();
        char c = secret.charAt(position);
        String altered =
                secret.substring(0, position)
                        + (c == 'a' ? 'b' : 'a')
                        + secret.substring(position + 1);
        assertThat(TokenCodec.wellFormed(altered)).isFalse();
    }

    @Test
    void passwordsHashWithArgon2id() {
        PasswordHasher hasher = new PasswordHasher(1024, 1, 1);
        String phc = hasher.hash("correct horse battery");
        assertThat(phc).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(hasher.verify("correct horse battery", phc)).isTrue();
        assertThat(hasher.verify("correct horse batterz", phc)).isFalse();
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
        assertThat(hasher.verify("x", "$2b$10$notargon")).isFalse();
    }

    @Test
    void cidrMatching() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.7").contains(InetAddress.getByName("192.168.1.7")))
                .isTrue();
        assertThat(Cidr.parse("192.168.1.0/25").contains(InetAddress.getByName("192.168.1.200")))
                .isFalse();
        assertThat(Cidr.parse("::1/128").contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("::1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(Problem.class);
    }
}
