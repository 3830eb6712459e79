package dev.warden.verify.report;

/** The outcome of one check of one package, from best to worst. */
public enum Status {
    /** Checked and holds. */
    PASS,
    /** Nothing to check (e.g. no provenance where none is required): reported, never failing. */
    INFO,
    /** Would fail, but a policy exception that has not expired waives it. */
    WAIVED,
    /** Fails: the run exits 1. */
    FAIL
}
