package dev.warden.awareness;

import dev.warden.awareness.Exercise.Choice;
import dev.warden.awareness.Exercise.Question;
import dev.warden.awareness.Exercise.Step;

import java.util.List;

/**
 * The exercises, with their answer keys: code, not data, so a key is reviewed as a change and never
 * served. Each question is drawn from a guide; each step names the posture step it checks.
 */
final class Catalogue {

    private Catalogue() {}

    static final List<Exercise> ALL =
            List.of(
                    new Question(
                            "phishing-basics",
                            "Spot a phishing mail",
                            "phishing",
                            true,
                            "A mail signed \"npm support\" from support@npmjs.help says your"
                                + " account will be locked unless you update your two-factor"
                                + " authentication within 48 hours, and links to a sign-in page."
                                + " What do you do?",
                            List.of(
                                    new Choice(
                                            "a",
                                            "Follow the link quickly and sign in, so the account"
                                                    + " is not locked."),
                                    new Choice(
                                            "b",
                                            "Reply to the mail and ask whether it is genuine."),
                                    new Choice(
                                            "c",
                                            "Do not follow the link: open the registry yourself"
                                                    + " by typing its address, compare the sender's"
                                                    + " domain with the official-domains page, and"
                                                    + " check the mail's verification code."),
                                    new Choice(
                                            "d",
                                            "Forward it to your co-maintainers so they update"
                                                    + " theirs first.")),
                            "c",
                            "npmjs.help is not a domain of the registry: the September 2025 mail"
                                    + " that took over the maintainer of chalk and debug came from"
                                    + " it. A real Warden mail carries a verification code you can"
                                    + " check at /-/web/verify-message and never asks you to sign"
                                    + " in through a link."),
                    new Question(
                            "passkeys-resist-phishing",
                            "Why passkeys stop phishing",
                            "best-practices",
                            true,
                            "In September 2025 an attacker's look-alike site relayed a"
                                    + " maintainer's password and one-time code to the real"
                                    + " registry. Why would a passkey have stopped it?",
                            List.of(
                                    new Choice("a", "A passkey is longer than a six-digit code."),
                                    new Choice(
                                            "b",
                                            "The browser signs in with a passkey only on the site"
                                                    + " it was registered for: a look-alike domain"
                                                    + " gets nothing it can replay."),
                                    new Choice("c", "A passkey expires after each sign-in."),
                                    new Choice(
                                            "d",
                                            "The registry mails you before each passkey sign-in.")),
                            "b",
                            "A passkey is bound to its site's origin by the browser, so there is"
                                    + " no code to type into the wrong page: the relay that beats"
                                    + " TOTP gets no usable answer."),
                    new Question(
                            "leaked-token-response",
                            "A token leaked: the first move",
                            "leaked-credentials",
                            true,
                            "You find one of your write tokens in a public CI log. What do you do"
                                    + " first?",
                            List.of(
                                    new Choice(
                                            "a",
                                            "Delete the log so nobody else can read the token."),
                                    new Choice(
                                            "b",
                                            "Revoke the token now, then read your security history"
                                                    + " and your packages' recent releases for"
                                                    + " anything you did not do."),
                                    new Choice(
                                            "c", "Change your password: that ends the token too."),
                                    new Choice("d", "Wait and watch whether someone uses it.")),
                            "b",
                            "Deleting the log does not help anyone who already copied it, and a"
                                    + " token is a credential of its own: only revoking it ends it."
                                    + " Then look for what it may have been used for."),
                    new Question(
                            "worm-tokens",
                            "What a worm does with a token",
                            "phishing",
                            false,
                            "The Shai-Hulud worm (2025) ran at install time, collected npm tokens"
                                + " from the machine and published itself into every package those"
                                + " tokens could write. Which setup leaves it the least to take?",
                            List.of(
                                    new Choice(
                                            "a",
                                            "One write token that never expires, in ~/.npmrc on"
                                                    + " every machine."),
                                    new Choice(
                                            "b",
                                            "Publishing from CI by trusted publishing, and any"
                                                    + " write token short-lived, limited to its"
                                                    + " packages and to a network (CIDR)."),
                                    new Choice("c", "A longer password on the account."),
                                    new Choice(
                                            "d", "A read-write token shared by all maintainers.")),
                            "b",
                            "Trusted publishing leaves no long-lived publish token on any machine;"
                                    + " a token that expires soon, covers few packages and works"
                                    + " only from one network is worth little to a worm."),
                    new Step(
                            "add-passkey",
                            "Add a passkey",
                            "best-practices",
                            false,
                            "Add a passkey or security key on your account page"
                                    + " (/-/web/account), then ask Warden to check.",
                            "add-passkey"),
                    new Step(
                            "replace-unexpiring-token",
                            "Replace a token that never expires",
                            "best-practices",
                            false,
                            "Create a token with an expiry (npm token create), move your tools to"
                                    + " it, and revoke every token that never expires (npm token"
                                    + " revoke <id>).",
                            "replace-unexpiring-token"),
                    new Step(
                            "limit-write-token-cidr",
                            "Limit a write token to a network",
                            "best-practices",
                            false,
                            "Create a write token that works only from your CI's or your office's"
                                    + " addresses: npm token create --cidr=<range>.",
                            "limit-write-token-cidr"),
                    new Step(
                            "name-successor",
                            "Name a successor",
                            "best-practices",
                            false,
                            "Name who may take over a package you maintain if all its maintainers"
                                    + " go quiet: PUT /-/package/<pkg>/successors with"
                                    + " {\"successors\": [\"<user>\"]} and a one-time password.",
                            "name-successor"),
                    new Step(
                            "set-up-trusted-publishing",
                            "Set up trusted publishing",
                            "best-practices",
                            false,
                            "Let your CI publish a package you maintain without a stored token:"
                                    + " npm trust github <pkg> --repo <owner/repo> --file"
                                    + " <workflow.yml>.",
                            "set-up-trusted-publishing"));
}
