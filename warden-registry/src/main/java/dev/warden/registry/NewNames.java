package dev.warden.registry;

import java.util.function.Consumer;

/**
 * Who is told of package names new to this registry (the upstream proxy): a guard asked before a
 * name's first version is published or staged, and a listener told after the commit that created
 * the package.
 */
public final class NewNames {

    private volatile Consumer<String> guard = name -> {};
    private volatile Consumer<String> created = name -> {};

    NewNames() {}

    /**
     * Checks each new package name before its first version is published or staged, outside any
     * transaction (the upstream proxy's: a name an uplink has would be shadowed); it refuses by
     * throwing a {@link dev.warden.common.Problem}.
     */
    public void guard(Consumer<String> guard) {
        this.guard = guard;
    }

    /**
     * Tells {@code listener} the name of each package created here, after the commit of its first
     * version (the upstream proxy forgets the name: a local package wins from then on).
     */
    public void onCreated(Consumer<String> listener) {
        this.created = listener;
    }

    void check(String name) {
        guard.accept(name);
    }

    void created(String name) {
        created.accept(name);
    }
}
