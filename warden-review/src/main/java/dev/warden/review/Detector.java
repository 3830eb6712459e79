package dev.warden.review;

import java.util.List;

/** One family of signals. A detector that throws is reported by name, the others still run. */
interface Detector {

    /** A short kebab-case name, used when it could not run. */
    String name();

    void examine(Release release, List<Finding> out);

    /** Most findings name a few places, not every one of hundreds. */
    int MAX_EVIDENCE = 5;
}
