package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.awareness.PasskeyRule;
import dev.warden.common.Problem;
import dev.warden.governance.PackageGovernance;
import dev.warden.registry.Registry;

/**
 * A maintainer's approval or rejection from a web form, whichever page the form is on (the package
 * page or the approvals queue): the same checks in the same order, so no page is a way around them.
 * Two-factor authentication must be on, the form's one-time password must be fresh, an approval
 * must satisfy the registry's passkey rule ({@code require_passkeys}) as {@code npm stage approve}
 * must, and then governance applies its own rules (no self-approval, maintainers only, nothing
 * decided twice).
 */
final class WebDecisions {

    private final Registry registry;
    private final Accounts accounts;
    private final PasskeyRule passkeys;

    WebDecisions(Registry registry, Accounts accounts, PasskeyRule passkeys) {
        this.registry = registry;
        this.accounts = accounts;
        this.passkeys = passkeys;
    }

    /**
     * Decides the stage or change request {@code id} ({@code kind} "stage" or "request") as {@code
     * who}, or throws the refusal with its reason; nothing changes when refused.
     *
     * @param action "approve" or "reject"
     * @param otp the form's one-time password
     * @param address where the form came from, for the second factor's throttle
     */
    void decide(
            String kind,
            String id,
            String action,
            Principal who,
            String otp,
            java.net.InetAddress address) {
        if (!action.equals("approve") && !action.equals("reject")) {
            throw Problem.badRequest("the decision must be approve or reject");
        }
        if (!kind.equals("stage") && !kind.equals("request")) {
            throw Problem.badRequest("the decision must be about a stage or a request");
        }
        if (accounts.secondFactors().activeMode(who.user()).isEmpty()) {
            throw Problem.forbidden(
                    "Approving or rejecting needs two-factor authentication on your account:"
                            + " enable it first.");
        }
        String code = otp == null ? "" : otp.trim();
        if (code.isEmpty()
                || !accounts.secondFactors().verify(who.user(), code, address, who.tokenHash())) {
            throw Problem.unauthorized(
                    "That one-time password is not right (or was used already): nothing was"
                            + " decided. Go back and try again with a new code.");
        }
        PackageGovernance g = registry.governance();
        switch (kind + "/" + action) {
            case "stage/approve" -> {
                passkeys.checkApproval(who.user(), id);
                g.approve(id, who);
            }
            case "stage/reject" -> g.reject(id, who);
            case "request/approve" -> {
                passkeys.checkApproval(who.user(), id);
                g.approveRequest(id, who);
            }
            default -> g.rejectRequest(id, who);
        }
    }
}
