package dev.warden.archfixtures.registrylayers.review;

/** The review side of the registrylayers fixture. */
public class Reviewer {}
