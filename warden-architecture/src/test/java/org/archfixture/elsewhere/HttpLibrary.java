package org.archfixture.elsewhere;

/**
 * A library outside the review's allowed ones (stands in for an HTTP client, a database driver).
 */
public class HttpLibrary {}
