package dev.warden.governance;

import java.util.ArrayList;
import java.util.List;

/**
 * The governance decision, a pure function of facts: the package's policy in force (already raised
 * to the high-impact floor where it applies), who acts, what changes and what the release review
 * noticed. No storage, no clock: the caller gathers the facts and carries out the decision.
 *
 * <ul>
 *   <li>A release is held when its provenance breaks the package's line or a review signal says so;
 *       otherwise it is staged when the client asked to stage it or the policy asks for approvals;
 *       otherwise it goes live.
 *   <li>Any other change is held when it is critical, the policy asks for approvals and a
 *       maintainer makes it; a change by someone else goes on to be refused by the change itself,
 *       and an approved change request is applied, not held again.
 * </ul>
 */
public final class Rules {

    private Rules() {}

    /** The facts a decision is taken on. */
    public record Facts(GovernancePolicy policy, Actor actor, Change change, List<Signal> signals) {
        public Facts {
            signals = List.copyOf(signals);
        }

        public Facts(GovernancePolicy policy, Actor actor, Change change) {
            this(policy, actor, change, List.of());
        }
    }

    public static Decision decide(Facts facts) {
        return switch (facts.change()) {
            case Change.Release release -> release(facts, release);
            default -> change(facts);
        };
    }

    private static Decision release(Facts f, Change.Release release) {
        int approvals = f.policy().approvals();
        int required = Math.max(1, approvals);
        List<String> reasons = new ArrayList<>();
        if (release.provenanceBreak() != null) {
            reasons.add(release.provenanceBreak());
        }
        f.signals().stream().filter(Signal::hold).forEach(s -> reasons.add(s.summary()));
        if (!reasons.isEmpty()) {
            return new Decision.Held(
                    String.join("; ", reasons),
                    required,
                    approvals == 0,
                    f.policy().coolOffHours());
        }
        if (release.explicitStage() || approvals > 0) {
            return new Decision.Staged(required, approvals == 0, f.policy().coolOffHours());
        }
        return Decision.LIVE;
    }

    private static Decision change(Facts f) {
        Actor actor = f.actor();
        int approvals = f.policy().approvals();
        if (actor.approved()
                || actor.trustedPublisher()
                || !actor.maintainer()
                || approvals == 0
                || !f.change().critical()) {
            return Decision.LIVE;
        }
        return new Decision.Held(f.change().description(), approvals, false, 0);
    }
}
