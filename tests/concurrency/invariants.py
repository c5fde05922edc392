"""The invariants of DESIGN.md §7 that the database itself can show, checked in one call.

    with app.app_context():
        assert check_invariants(db) == []

Each broken rule is one readable line (what, where); an empty list means every rule holds.
Only plain SQL through SQLAlchemy: it runs on PostgreSQL and SQLite, on any data (a storm's,
the demo's). It reads no ballot position nor chain hash, so it holds whether ballots are
chained when cast or when the vote closes; the chain itself is checked on the public board
by tools/verify_board.py.
"""

import json

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from pdvsolutions.models import (
    AuditEvent,
    Ballot,
    BallotLine,
    BallotType,
    DecisionOutcome,
    Evaluation,
    Fund,
    FundEntry,
    FundEntryKind,
    FundingDecision,
    Grant,
    Instrument,
    Need,
    NeedStatus,
    Payment,
    Proposal,
    ProposalStatus,
    Prospect,
    Round,
    RoundResult,
    SignIn,
    Support,
)
from pdvsolutions.rules.pipeline import ProspectStatus

#: Audit actions that record one row each (DESIGN.md §7.5: votes and staff actions).
AUDITED = {
    "ballot": ("vote.ballot_cast", "vote.paper_ballot_recorded"),
    "evaluation": ("evaluation.submit", "evaluation.paper"),
    "funding decision": ("funding.decided",),
    "round grant": ("grant.create",),
}


def check_invariants(db) -> list[str]:
    """Every broken invariant of DESIGN.md §7 found in the database (inside an app context)."""
    session = db.session
    problems: list[str] = []
    for check in (_money_of_rounds, _money_of_funds, _votes, _ballot_limits, _supports,
                  _evaluations, _funding_decisions, _audit):
        problems.extend(check(session))
    return problems


def _rows(session, query) -> list:
    return list(session.execute(query))


# §7.1 Money: selections and grants within the envelope, fund grants within the balance.

def _money_of_rounds(session) -> list[str]:
    problems = []
    envelopes = dict(_rows(session, sa.select(Round.id, Round.envelope_cents)))
    costs = dict(_rows(session, sa.select(Proposal.id, Proposal.requested_cents)))
    for round_id, spent, selected in _rows(session, sa.select(
            RoundResult.round_id, RoundResult.spent_cents, RoundResult.selected)):
        total = sum(costs.get(pid, 0) for pid in json.loads(selected))
        if max(spent, total) > envelopes[round_id]:
            problems.append(f"round {round_id}: selection {total} (spent {spent}) > envelope "
                            f"{envelopes[round_id]}")
    funded = sa.select(Proposal.round_id, sa.func.sum(Proposal.requested_cents)).where(
        Proposal.funded_at.is_not(None)).group_by(Proposal.round_id)
    for round_id, total in _rows(session, funded):
        if total > envelopes[round_id]:
            problems.append(f"round {round_id}: funded proposals {total} > envelope "
                            f"{envelopes[round_id]}")
    granted = sa.select(Grant.round_id, sa.func.sum(Grant.amount_cents)).where(
        Grant.instrument == Instrument.ROUND, Grant.round_id.is_not(None)).group_by(Grant.round_id)
    for round_id, total in _rows(session, granted):
        if total > envelopes[round_id]:
            problems.append(f"round {round_id}: grants {total} > envelope {envelopes[round_id]}")
    planned = sa.select(Grant.id, Grant.amount_cents, sa.func.sum(Payment.amount_cents)).join(
        Payment, Payment.grant_id == Grant.id).group_by(Grant.id, Grant.amount_cents)
    for grant_id, amount, total in _rows(session, planned):
        if total > amount:
            problems.append(f"grant {grant_id}: instalments {total} > amount {amount}")
    return problems


def _money_of_funds(session) -> list[str]:
    """The balance (total − commitments + releases) is never negative, at any ledger line."""
    problems = []
    totals = dict(_rows(session, sa.select(Fund.id, Fund.total_cents)))
    balances = dict(totals)
    lowest = dict(totals)
    entries = sa.select(FundEntry.fund_id, FundEntry.kind, FundEntry.amount_cents).order_by(
        FundEntry.id)
    for fund_id, kind, amount in _rows(session, entries):
        if kind is FundEntryKind.COMMITMENT:
            balances[fund_id] -= amount
        elif kind is FundEntryKind.RELEASE:
            balances[fund_id] += amount
        lowest[fund_id] = min(lowest[fund_id], balances[fund_id])
    for fund_id, low in lowest.items():
        if low < 0:
            problems.append(f"fund {fund_id}: balance went down to {low} (total "
                            f"{totals[fund_id]})")
    committed = sa.select(FundEntry.grant_id, sa.func.sum(FundEntry.amount_cents)).where(
        FundEntry.kind == FundEntryKind.COMMITMENT, FundEntry.grant_id.is_not(None)).group_by(
        FundEntry.grant_id)
    amounts = dict(_rows(session, sa.select(Grant.id, Grant.amount_cents).where(
        Grant.instrument == Instrument.FUND)))
    for grant_id, total in _rows(session, committed):
        if total != amounts.get(grant_id):
            problems.append(f"grant {grant_id}: committed {total} on the fund, granted "
                            f"{amounts.get(grant_id)}")
    return problems


# §7.2 One sign-in, hence one ballot, per member per round; no partial ballot.

def _votes(session) -> list[str]:
    problems = []
    twice = sa.select(SignIn.round_id, SignIn.user_id, sa.func.count(SignIn.id)).where(
        SignIn.user_id.is_not(None)).group_by(SignIn.round_id, SignIn.user_id).having(
        sa.func.count(SignIn.id) > 1)
    for round_id, user_id, n in _rows(session, twice):
        problems.append(f"round {round_id}: member {user_id} signed in {n} times")
    ballots = dict(_rows(session, sa.select(Ballot.round_id, sa.func.count(Ballot.id))
                         .group_by(Ballot.round_id)))
    signins = dict(_rows(session, sa.select(SignIn.round_id, sa.func.count(SignIn.id))
                         .group_by(SignIn.round_id)))
    for round_id in sorted(set(ballots) | set(signins)):
        if ballots.get(round_id, 0) != signins.get(round_id, 0):
            problems.append(f"round {round_id}: {ballots.get(round_id, 0)} ballots for "
                            f"{signins.get(round_id, 0)} sign-ins")
    empty = sa.select(Ballot.round_id, Ballot.id).where(
        ~sa.exists().where(BallotLine.ballot_id == Ballot.id))
    for round_id, ballot_id in _rows(session, empty):
        problems.append(f"round {round_id}: ballot {ballot_id} has no line")
    foreign = sa.select(Ballot.round_id, Ballot.id, Proposal.id).join(
        BallotLine, BallotLine.ballot_id == Ballot.id).join(
        Proposal, Proposal.id == BallotLine.proposal_id).where(
        sa.or_(Proposal.round_id != Ballot.round_id, Proposal.status != ProposalStatus.ELIGIBLE))
    for round_id, ballot_id, proposal_id in _rows(session, foreign):
        problems.append(f"round {round_id}: ballot {ballot_id} chooses proposal {proposal_id}, "
                        "not on its ballot paper")
    return problems


def _ballot_limits(session) -> list[str]:
    """Sums within the round's limits: budget (knapsack), approvals, points."""
    problems = []
    per_ballot = (
        sa.select(Ballot.id, Round.id, Round.ballot_type, Round.envelope_cents,
                  Round.min_approvals, Round.max_approvals, Round.points_total,
                  sa.func.count(BallotLine.id), sa.func.sum(BallotLine.points),
                  sa.func.max(BallotLine.points), sa.func.sum(Proposal.requested_cents))
        .join(Round, Round.id == Ballot.round_id)
        .join(BallotLine, BallotLine.ballot_id == Ballot.id)
        .join(Proposal, Proposal.id == BallotLine.proposal_id)
        .group_by(Ballot.id, Round.id, Round.ballot_type, Round.envelope_cents,
                  Round.min_approvals, Round.max_approvals, Round.points_total))
    for (ballot_id, round_id, kind, envelope, least, most, points_total, approvals, points,
         highest, cost) in _rows(session, per_ballot):
        where = f"round {round_id}: ballot {ballot_id}"
        if kind is BallotType.CUMULATIVE:
            if points_total is not None and points > points_total:
                problems.append(f"{where} spreads {points} points > {points_total}")
            continue
        if highest != 1:
            problems.append(f"{where} gives {highest} points on an approval ballot")
        if kind is BallotType.KNAPSACK and cost > envelope:
            problems.append(f"{where} costs {cost} > envelope {envelope}")
        if least is not None and approvals < least:
            problems.append(f"{where} has {approvals} approvals < {least}")
        if most is not None and approvals > most:
            problems.append(f"{where} has {approvals} approvals > {most}")
    return problems


# §7.2 One support per resident per need (and none left on a merged duplicate).

def _supports(session) -> list[str]:
    problems = []
    twice = sa.select(Support.need_id, Support.user_id, sa.func.count(Support.id)).where(
        Support.user_id.is_not(None)).group_by(Support.need_id, Support.user_id).having(
        sa.func.count(Support.id) > 1)
    for need_id, user_id, n in _rows(session, twice):
        problems.append(f"need {need_id}: resident {user_id} supports it {n} times")
    on_merged = sa.select(Need.id, sa.func.count(Support.id)).join(
        Support, Support.need_id == Need.id).where(Need.status == NeedStatus.MERGED).group_by(
        Need.id)
    for need_id, n in _rows(session, on_merged):
        problems.append(f"need {need_id}: merged, yet {n} supports stay on it")
    kept = aliased(Need)
    chained = sa.select(Need.id, kept.id, kept.status).join(
        kept, kept.id == Need.merged_into_id).where(
        kept.status.not_in([NeedStatus.PUBLISHED, NeedStatus.RETAINED]))
    for need_id, kept_id, status in _rows(session, chained):
        problems.append(f"need {need_id}: merged into need {kept_id}, which is {status.value}")
    return problems


# §7.2 and §6: one evaluation per voter per funded proposal, by voters only.

def _evaluations(session) -> list[str]:
    problems = []
    twice = sa.select(Evaluation.proposal_id, Evaluation.user_id, sa.func.count(Evaluation.id)
                      ).group_by(Evaluation.proposal_id, Evaluation.user_id).having(
        sa.func.count(Evaluation.id) > 1)
    for proposal_id, user_id, n in _rows(session, twice):
        problems.append(f"proposal {proposal_id}: voter {user_id} evaluated it {n} times")
    not_voter = sa.select(Evaluation.id, Evaluation.round_id, Evaluation.user_id).where(
        ~sa.exists().where(SignIn.round_id == Evaluation.round_id,
                           SignIn.user_id == Evaluation.user_id))
    for evaluation_id, round_id, user_id in _rows(session, not_voter):
        problems.append(f"evaluation {evaluation_id}: user {user_id} did not vote in round "
                        f"{round_id}")
    unfunded = sa.select(Evaluation.id, Proposal.id).join(
        Proposal, Proposal.id == Evaluation.proposal_id).where(
        sa.or_(Proposal.funded_at.is_(None), Proposal.round_id != Evaluation.round_id))
    for evaluation_id, proposal_id in _rows(session, unfunded):
        problems.append(f"evaluation {evaluation_id}: proposal {proposal_id} is not a funded "
                        "action of its round")
    return problems


# §7.1 again, for the anti-appel à projets: one decision per prospect, each funded one paid
# from the fund by exactly one grant.

def _funding_decisions(session) -> list[str]:
    problems = []
    twice = sa.select(FundingDecision.prospect_id, sa.func.count(FundingDecision.id)).group_by(
        FundingDecision.prospect_id).having(sa.func.count(FundingDecision.id) > 1)
    for prospect_id, n in _rows(session, twice):
        problems.append(f"prospect {prospect_id}: {n} funding decisions")
    decided = sa.select(Prospect.id, Prospect.status, FundingDecision.outcome,
                        FundingDecision.grant_id).join(
        FundingDecision, FundingDecision.prospect_id == Prospect.id)
    expected = {DecisionOutcome.FUNDED: ProspectStatus.FUNDED,
                DecisionOutcome.DECLINED: ProspectStatus.DECLINED}
    for prospect_id, status, outcome, grant_id in _rows(session, decided):
        if status is not expected[outcome]:
            problems.append(f"prospect {prospect_id}: {status.value} after a {outcome.value} "
                            "decision")
        if (outcome is DecisionOutcome.FUNDED) != (grant_id is not None):
            problems.append(f"prospect {prospect_id}: {outcome.value} decision with grant "
                            f"{grant_id}")
    undecided = sa.select(Prospect.id).where(
        Prospect.status.in_([ProspectStatus.FUNDED, ProspectStatus.DECLINED]),
        ~sa.exists().where(FundingDecision.prospect_id == Prospect.id))
    for (prospect_id,) in _rows(session, undecided):
        problems.append(f"prospect {prospect_id}: decided without a funding decision")
    return problems


# §7.5 Every vote and staff action in the audit log, and the log's chain unbroken.

def _audit(session) -> list[str]:
    from pdvsolutions.services.audit import verify_chain

    problems = []
    broken = verify_chain()
    if broken is not None:
        problems.append(f"audit chain broken at event {broken.id} ({broken.action})")

    def events(kind: str, object_type: str | None = None):
        query = sa.select(AuditEvent.object_id, sa.func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(AUDITED[kind]), AuditEvent.outcome == "success")
        if object_type:
            query = query.where(AuditEvent.object_type == object_type)
        return {int(key): n for key, n in _rows(session, query.group_by(AuditEvent.object_id))}

    signed = dict(_rows(session, sa.select(SignIn.round_id, sa.func.count(SignIn.id)).where(
        SignIn.user_id.is_not(None)).group_by(SignIn.round_id)))
    audited = events("ballot", "Round")
    for round_id in sorted(set(signed) | set(audited)):
        if signed.get(round_id, 0) != audited.get(round_id, 0):
            problems.append(f"round {round_id}: {signed.get(round_id, 0)} members voted, "
                            f"{audited.get(round_id, 0)} votes in the audit log")
    for kind, model, condition in (
            ("evaluation", Evaluation, sa.true()),
            ("funding decision", FundingDecision, sa.true()),
            ("round grant", Grant, Grant.instrument == Instrument.ROUND)):
        rows = set(session.scalars(sa.select(model.id).where(condition)))
        logged = events(kind)
        if set(logged) != rows or any(n != 1 for n in logged.values()):
            missing = sorted(rows - set(logged))[:5]
            extra = sorted(set(logged) - rows)[:5]
            problems.append(f"{kind}s and audit events differ: missing {missing}, "
                            f"without a row {extra}")
    return problems
