package dev.warden.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's chromium driven by Playwright, as every browser test here starts it: Playwright's own
 * browser download is skipped (the machine has none to fetch from) and chromium runs headless
 * without its background network traffic.
 */
final class Chromium {

    private Chromium() {}

    static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    static Browser launch(Playwright pw) {
        return pw.chromium()
                .launch(
                        new BrowserType.LaunchOptions()
                                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                                .setHeadless(true)
                                .setArgs(
                                        List.of(
                                                "--no-sandbox",
                                                "--disable-gpu",
                                                "--disable-background-networking",
                                                "--disable-component-update",
                                                "--disable-sync",
                                                "--no-first-run")));
    }
}
