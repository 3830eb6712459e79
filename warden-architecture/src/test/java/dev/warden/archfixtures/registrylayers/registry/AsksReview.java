package dev.warden.archfixtures.registrylayers.registry;

/** Allowed: the registry asks the review about a release. */
public class AsksReview {
    dev.warden.archfixtures.registrylayers.review.Reviewer reviewer;
}
