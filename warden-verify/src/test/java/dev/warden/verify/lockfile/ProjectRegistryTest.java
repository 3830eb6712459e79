package dev.warden.verify.lockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

class ProjectRegistryTest {

    @TempDir Path dir;

    @Test
    void noConfigurationNamesNoRegistry() throws Exception {
        ProjectRegistry r = ProjectRegistry.discover(dir);
        assertThat(r.registryFor("left-pad")).isEmpty();
        assertThat(r.registryFor("@acme/x")).isEmpty();
    }

    @Test
    void npmrcDefaultAndScopes() throws Exception {
        Files.writeString(
                dir.resolve(".npmrc"),
                """
                # the company's mirror
                registry = http://registry.example.invalid:4873
                @Acme:registry="https://acme.example.invalid/npm/"
                ; other settings are not the registry's
                //registry.example.invalid:4873/:_authToken=not-read
                fund=false
                """);
        ProjectRegistry r = ProjectRegistry.discover(dir);
        assertThat(r.registryFor("left-pad"))
                .contains(URI.create("http://registry.example.invalid:4873/"));
        assertThat(r.registryFor("@acme/tool"))
                .contains(URI.create("https://acme.example.invalid/npm/"));
        assertThat(r.registryFor("@other/tool"))
                .contains(URI.create("http://registry.example.invalid:4873/"));
    }

    @Test
    void yarnrcYmlOverridesNpmrc() throws Exception {
        Files.writeString(dir.resolve(".npmrc"), "registry=https://npm.example.invalid/\n");
        Files.writeString(
                dir.resolve(".yarnrc.yml"),
                """
                npmRegistryServer: "https://berry.example.invalid"
                npmScopes:
                  acme:
                    npmRegistryServer: "http://192.0.2.10:8080/acme"
                unsafeHttpWhitelist: ["192.0.2.10"]
                """);
        ProjectRegistry r = ProjectRegistry.discover(dir);
        assertThat(r.registryFor("react")).contains(URI.create("https://berry.example.invalid/"));
        assertThat(r.registryFor("@acme/ui")).contains(URI.create("http://192.0.2.10:8080/acme/"));
    }

    @Test
    void yarnrcClassic() throws Exception {
        Files.writeString(
                dir.resolve(".yarnrc"),
                """
                # yarn lockfile v1
                registry "https://classic.example.invalid/"
                "@acme:registry" "https://acme.example.invalid/"
                --install.ignore-scripts true
                """);
        ProjectRegistry r = ProjectRegistry.discover(dir);
        assertThat(r.registryFor("ms")).contains(URI.create("https://classic.example.invalid/"));
        assertThat(r.registryFor("@acme/x")).contains(URI.create("https://acme.example.invalid/"));
        assertThat(r.defaultRegistry())
                .isEqualTo(Optional.of(URI.create("https://classic.example.invalid/")));
    }

    @Test
    void aRegistryThatIsNotAnHttpUrlIsRefusedNamingTheLine() throws Exception {
        Files.writeString(dir.resolve(".npmrc"), "fund=false\nregistry=${NPM_REGISTRY}\n");
        LockfileException e =
                catchThrowableOfType(LockfileException.class, () -> ProjectRegistry.discover(dir));
        assertThat(e.getMessage())
                .isEqualTo(
                        dir.resolve(".npmrc")
                                + " line 2: the registry \"${NPM_REGISTRY}\" is not an absolute"
                                + " http(s) URL");
    }

    @Test
    void malformedYarnrcYmlIsRefused() throws Exception {
        Files.writeString(dir.resolve(".yarnrc.yml"), "npmScopes:\n  acme: [\n");
        LockfileException e =
                catchThrowableOfType(LockfileException.class, () -> ProjectRegistry.discover(dir));
        assertThat(e.getMessage()).startsWith(dir.resolve(".yarnrc.yml") + ": malformed YAML");
    }
}
