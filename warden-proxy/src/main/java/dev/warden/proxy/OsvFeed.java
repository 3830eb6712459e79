package dev.warden.proxy;

/** PLACEHOLDER: see the owners in {@link Proxy} and /work/proxy-design.md. */
final class OsvFeed {}
