package dev.warden.review;

import java.nio.charset.StandardCharsets;

/** File kinds told by their first bytes: executables and archives. */
enum Magic {
    ELF(true),
    MACH_O(true),
    PE(true),
    WASM(false),
    ZIP(false),
    GZIP(false),
    SEVEN_ZIP(false),
    TAR(false),
    RAR(false),
    BZIP2(false),
    XZ(false);

    /** Native code a machine runs directly. */
    final boolean executable;

    Magic(boolean executable) {
        this.executable = executable;
    }

    boolean archive() {
        return !executable && this != WASM;
    }

    static Magic of(byte[] d) {
        if (d.length < 4) {
            return null;
        }
        int a = d[0] & 0xFF, b = d[1] & 0xFF, c = d[2] & 0xFF, e = d[3] & 0xFF;
        if (a == 0x7F && b == 'E' && c == 'L' && e == 'F') {
            return ELF;
        }
        int be = a << 24 | b << 16 | c << 8 | e;
        if (be == 0xFEEDFACE || be == 0xFEEDFACF || be == 0xCEFAEDFE || be == 0xCFFAEDFE) {
            return MACH_O;
        }
        // 0xCAFEBABE is a fat Mach-O and a Java class alike: a fat binary has few architectures.
        if (be == 0xCAFEBABE && d.length >= 8 && (d[4] | d[5] | d[6]) == 0 && (d[7] & 0xFF) < 20) {
            return MACH_O;
        }
        if (a == 'M' && b == 'Z' && d.length >= 64) {
            int pe = (d[0x3C] & 0xFF) | (d[0x3D] & 0xFF) << 8 | (d[0x3E] & 0xFF) << 16;
            if (pe > 0 && pe + 4 <= d.length && d[pe] == 'P' && d[pe + 1] == 'E') {
                return PE;
            }
        }
        if (a == 0 && b == 'a' && c == 's' && e == 'm') {
            return WASM;
        }
        if (a == 'P' && b == 'K' && (c == 3 || c == 5 || c == 7)) {
            return ZIP;
        }
        if (a == 0x1F && b == 0x8B) {
            return GZIP;
        }
        if (a == '7' && b == 'z' && c == 0xBC && e == 0xAF) {
            return SEVEN_ZIP;
        }
        if (a == 'R' && b == 'a' && c == 'r' && e == '!') {
            return RAR;
        }
        if (a == 'B' && b == 'Z' && c == 'h') {
            return BZIP2;
        }
        if (a == 0xFD && b == '7' && c == 'z' && e == 'X') {
            return XZ;
        }
        if (d.length >= 262 && "ustar".equals(new String(d, 257, 5, StandardCharsets.US_ASCII))) {
            return TAR;
        }
        return null;
    }
}
