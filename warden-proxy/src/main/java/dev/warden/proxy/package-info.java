/**
 * The verifying upstream proxy: uplinks, verification on ingest, the policy for what comes in, and
 * the cache. Domain code: no HTTP (the {@link dev.warden.proxy.Upstream} port), no JDBC (the
 * storage contracts).
 */
package dev.warden.proxy;
