package dev.warden.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A log store in memory, for property tests that build thousands of logs. */
final class MemoryLogStore implements LogStore {

    private final List<byte[]> entries = new ArrayList<>();
    private final Map<String, Long> byHash = new HashMap<>();
    private final Map<TileKey, byte[]> tiles = new HashMap<>();
    private String checkpoint;

    @Override
    public synchronized String checkpoint() {
        return checkpoint;
    }

    @Override
    public synchronized void integrate(
            long firstIndex,
            List<byte[]> batch,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> changed,
            String note) {
        if (firstIndex != entries.size()) {
            throw new IllegalStateException("out of order");
        }
        for (int i = 0; i < batch.size(); i++) {
            entries.add(batch.get(i));
            byHash.put(Merkle.hex(leafHashes.get(i)), firstIndex + i);
        }
        tiles.putAll(changed);
        checkpoint = note;
    }

    @Override
    public synchronized boolean updateCheckpoint(long size, String note) {
        checkpoint = note;
        return true;
    }

    @Override
    public synchronized byte[] tile(int level, long index) {
        return tiles.get(new TileKey(level, index));
    }

    @Override
    public synchronized List<byte[]> entries(long from, long to) {
        return new ArrayList<>(entries.subList((int) from, (int) to));
    }

    @Override
    public synchronized OptionalLong indexOf(byte[] leafHash) {
        Long i = byHash.get(Merkle.hex(leafHash));
        return i == null ? OptionalLong.empty() : OptionalLong.of(i);
    }

    @Override
    public void close() {}
}
