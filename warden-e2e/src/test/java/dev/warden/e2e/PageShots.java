package dev.warden.e2e;

import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Screenshots of a page at desktop (1280x800) and phone (390x844) widths, full page, to {@code
 * target/screenshots/<name>-desktop.png} and {@code -phone.png}, and the checks every page of the
 * registry must pass. Watch the page before it navigates (console errors and CSP violations are
 * heard as they happen), then {@link #check} each page it shows:
 *
 * <pre>{@code
 * PageShots shots = PageShots.watch(page);
 * page.navigate(base + "/-/web/log");
 * shots.check("log");
 * }</pre>
 *
 * A check fails with every problem it found: a console error or uncaught exception, a CSP
 * violation, no {@code lang} on the html element, not exactly one h1 or a heading that skips a
 * level (outside a README, whose headings are the author's), a form field (input, select, textarea,
 * but hidden fields and buttons) without a label ({@code label[for]}, a wrapping label, {@code
 * aria-label} or {@code aria-labelledby}), an image without {@code alt}, a link or button without
 * text, or the page scrolling sideways at 360 or 390 pixels.
 */
final class PageShots {

    static final Path DIR = Path.of("target", "screenshots").toAbsolutePath();

    /** Records {@code securitypolicyviolation} events before any script of the page runs. */
    private static final String RECORD_VIOLATIONS =
            """
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => {
              window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
                + (e.sourceFile ? ' in ' + e.sourceFile + ':' + e.lineNumber : ''));
            }, true);
            """;

    /** The checks that read the DOM; each problem is one line. */
    private static final String DOM_PROBLEMS =
            """
            () => {
              const problems = [];
              const short = el => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 160);
              if (!(document.documentElement.getAttribute('lang') || '').trim()) {
                problems.push('the html element has no lang');
              }
              // a README's headings are its author's: they count neither as the page's h1 nor
              // in its heading order
              const user = '.readme, [data-user-content]';
              const h1 = [...document.querySelectorAll('h1')].filter(h => !h.closest(user)).length;
              if (h1 !== 1) {
                problems.push('the page has ' + h1 + ' h1 elements, not exactly one');
              }
              let last = 0;
              for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
                if (h.closest(user)) continue;
                const level = Number(h.tagName.substring(1));
                if (level > last + 1) {
                  problems.push('heading h' + level + ' follows h' + last + ': ' + short(h));
                }
                last = level;
              }
              const skip = ['hidden', 'submit', 'button', 'reset', 'image'];
              for (const el of document.querySelectorAll('input, select, textarea')) {
                if (skip.includes((el.getAttribute('type') || '').toLowerCase())) continue;
                const labelled = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
                  || el.closest('label')
                  || (el.getAttribute('aria-label') || '').trim()
                  || (el.getAttribute('aria-labelledby') || '').trim();
                if (!labelled) problems.push('form field without a label: ' + short(el));
              }
              for (const img of document.querySelectorAll('img:not([alt])')) {
                problems.push('image without alt: ' + short(img));
              }
              const named = el => (el.textContent || '').trim()
                || (el.getAttribute('aria-label') || '').trim()
                || (el.getAttribute('aria-labelledby') || '').trim()
                || [...el.querySelectorAll('img[alt]')].some(i => i.alt.trim());
              for (const a of document.querySelectorAll('a[href]')) {
                if (!named(a)) problems.push('link without text: ' + short(a));
              }
              for (const b of document.querySelectorAll('button')) {
                if (!named(b)) problems.push('button without text: ' + short(b));
              }
              return problems;
            }
            """;

    private static final String OVERFLOW =
            "() => document.documentElement.scrollWidth - window.innerWidth";

    private final Page page;
    private final List<String> errors = new ArrayList<>();

    private PageShots(Page page) {
        this.page = page;
    }

    /** Starts listening on {@code page}: call before it navigates to what it will check. */
    static PageShots watch(Page page) {
        PageShots shots = new PageShots(page);
        page.addInitScript(RECORD_VIOLATIONS);
        page.onConsoleMessage(shots::console);
        page.onPageError(error -> shots.errors.add("uncaught error: " + error));
        return shots;
    }

    private void console(ConsoleMessage m) {
        if (!"error".equals(m.type())) {
            return;
        }
        // a page answering 4xx is logged as a failed load of the document itself: the status is
        // what the test asserts, not a fault of the page
        boolean document =
                m.text().startsWith("Failed to load resource")
                        && m.location() != null
                        && m.location().startsWith(page.url());
        if (!document) {
            errors.add("console error: " + m.text() + " (" + m.location() + ")");
        }
    }

    /**
     * Saves the page's screenshots as {@code name} and fails with everything wrong with it. The
     * viewport is the desktop one afterwards.
     */
    void check(String name) {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {360, 390}) {
            page.setViewportSize(width, 844);
            int over = ((Number) page.evaluate(OVERFLOW)).intValue();
            if (over > 0) {
                problems.add("scrolls sideways by " + over + " px at " + width + " px wide");
            }
        }
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(DIR.resolve(name + "-phone.png"))
                        .setFullPage(true));
        page.setViewportSize(1280, 800);
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(DIR.resolve(name + "-desktop.png"))
                        .setFullPage(true));
        Object csp = page.evaluate("() => window.__cspViolations || []");
        for (Object v : (List<?>) csp) {
            problems.add("CSP violation: " + v);
        }
        for (Object p : (List<?>) page.evaluate(DOM_PROBLEMS)) {
            problems.add(String.valueOf(p));
        }
        problems.addAll(errors);
        errors.clear();
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "page " + name + " (" + page.url() + "):\n  " + String.join("\n  ", problems));
        }
    }
}
