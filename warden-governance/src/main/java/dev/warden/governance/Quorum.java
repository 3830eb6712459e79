package dev.warden.governance;

import dev.warden.common.Problem;
import dev.warden.storage.Governance.ChangeRequest;
import dev.warden.storage.Governance.StageRecord;
import dev.warden.storage.MetadataStore.ReadTx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whose approvals count, and how many a stage or change request needs: the package's policy as it
 * stands now (a stage opened under a looser one asks as much), approvals only from those who could
 * act on the package when it was opened, never the requester's (nor the stager's, unless the policy
 * lets one maintainer release alone), and optionally only from accounts of a minimum age.
 */
final class Quorum {

    private final Policies policies;
    private final PackageFacts facts;
    private final Clock clock;

    /**
     * @param minApproverAge approvals from accounts younger than this do not count toward a quorum
     *     (zero: every account's count)
     */
    Quorum(Policies policies, PackageFacts facts, Clock clock, Duration minApproverAge) {
        this.minApproverAge = minApproverAge;
        this.policies = policies;
        this.facts = facts;
        this.clock = clock;
    }

    /** Whether a change request has the approvals its package's policy asks now. */
    boolean hasQuorum(ReadTx tx, ChangeRequest r) {
        ChangeRequest now = underCurrentPolicy(tx, r);
        return countingApprovals(tx, now) >= now.required();
    }

    int countingApprovals(ReadTx tx, ChangeRequest r) {
        int n = 0;
        for (String user : tx.governance().requestApprovers(r.id())) {
            if (!user.equals(r.actor()) && disqualified(tx, r.pkg(), user, r.created()) == null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Approvals that count: those of current maintainers, and the stager's own only where the
     * policy allows it.
     */
    int countingApprovals(ReadTx tx, StageRecord s) {
        int n = 0;
        for (String user : tx.governance().approvers(s.id())) {
            if (stagerOfFirstRelease(tx, s, user)) {
                n++;
            } else if ((s.selfApproval() || !user.equals(s.actor()))
                    && disqualified(tx, s.pkg(), user, s.created()) == null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether {@code user} staged the first release of a package that has no maintainer yet, under
     * a policy that lets a stager approve alone: a new package's held or quarantined first release
     * is then approved by its publisher (with a second factor, as a solo maintainer approves their
     * own), since nobody else could ever release it.
     */
    boolean stagerOfFirstRelease(ReadTx tx, StageRecord s, String user) {
        return s.selfApproval()
                && user.equals(s.actor())
                && tx.packages().find(s.pkg()).isEmpty()
                && tx.maintainers().of(s.pkg()).isEmpty();
    }

    private final Duration minApproverAge;

    /**
     * Why {@code user}'s approval of a stage or change request of {@code pkg} opened at {@code
     * opened} does not count, or null when it does. It counts from someone who could act on the
     * package when it was opened (so nobody made an approver afterwards, by an owner change, an org
     * role, a team or a grant, decides on what was already waiting), and whose account is old
     * enough when the registry asks for a minimum age.
     */
    String disqualified(ReadTx tx, String pkg, String user, Instant opened) {
        Optional<Instant> since = facts.maintainerSince(tx, pkg, user);
        if (since.isEmpty()) {
            return "you are not a maintainer of " + Problem.clip(pkg);
        }
        if (since.get().isAfter(opened)) {
            return "you could act on "
                    + Problem.clip(pkg)
                    + " only from "
                    + since.get()
                    + ", after this was opened at "
                    + opened
                    + ": only those who could act on the package by then may approve it";
        }
        Duration age = minApproverAge;
        if (!age.isZero()) {
            Optional<Instant> created = tx.users().find(user).map(u -> u.created());
            if (created.isEmpty()
                    || created.get().plus(age).isAfter(PackageGovernance.now(clock))) {
                return "your account is younger than "
                        + age.toDays()
                        + " days: on this registry its approval does not count toward a quorum yet";
            }
        }
        return null;
    }

    /**
     * A stage as its package's policy stands now: a policy tightened after it was staged asks as
     * many approvals of it, and no longer lets its stager approve it alone.
     */
    StageRecord underCurrentPolicy(ReadTx tx, StageRecord s) {
        int asked = policies.policy(tx, s.pkg()).approvals();
        if (asked <= 0 || (s.required() >= asked && !s.selfApproval())) {
            return s;
        }
        return new StageRecord(
                s.id(),
                s.pkg(),
                s.version(),
                s.tag(),
                s.document(),
                s.blobKey(),
                s.shasum(),
                s.integrity(),
                s.actor(),
                s.actorType(),
                s.publisher(),
                Math.max(s.required(), asked),
                false,
                s.coolOffUntil(),
                s.created(),
                s.expires(),
                s.state(),
                s.decided(),
                s.decidedBy(),
                s.holdReason(),
                s.release());
    }

    /**
     * A change request as its package's policy stands now: a tightened policy asks as many
     * approvals of it.
     */
    ChangeRequest underCurrentPolicy(ReadTx tx, ChangeRequest r) {
        int asked = policies.policy(tx, r.pkg()).approvals();
        if (r.required() >= asked) {
            return r;
        }
        return new ChangeRequest(
                r.id(),
                r.pkg(),
                r.kind(),
                r.payload(),
                r.actor(),
                asked,
                r.created(),
                r.expires(),
                r.state(),
                r.decided(),
                r.decidedBy());
    }
}
