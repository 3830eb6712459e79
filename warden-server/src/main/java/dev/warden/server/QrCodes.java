package dev.warden.server;

import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;

import java.util.ArrayList;
import java.util.List;

/**
 * QR codes drawn by the page itself: the modules as rectangles of an inline SVG, so the TOTP secret
 * never leaves the server in a URL (no data: URL, no image service) and the CSP stays strict.
 */
final class QrCodes {

    /** The blank border a reader needs, in modules. */
    private static final int QUIET_ZONE = 4;

    private QrCodes() {}

    static AccountViews.Qr of(String text) {
        ByteMatrix m;
        try {
            m = Encoder.encode(text, ErrorCorrectionLevel.M).getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode as a QR code", e);
        }
        // one rectangle per run of dark modules in a row: a few hundred elements, not thousands
        List<AccountViews.QrRun> runs = new ArrayList<>();
        for (int y = 0; y < m.getHeight(); y++) {
            int x = 0;
            while (x < m.getWidth()) {
                if (m.get(x, y) != 1) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < m.getWidth() && m.get(x, y) == 1) {
                    x++;
                }
                runs.add(new AccountViews.QrRun(start + QUIET_ZONE, y + QUIET_ZONE, x - start));
            }
        }
        return new AccountViews.Qr(m.getWidth() + 2 * QUIET_ZONE, runs);
    }
}
