"""The vote of a round: freeze the roll, cast and record ballots, close, tally, publish.

Services flush and never commit; the view commits once. A ballot and its sign-in are written
in the same transaction: the unique constraint ``uq_signins_round_member`` refuses a second
ballot of the same member even from two workers at the same instant.
"""

import copy
import json
import math
import secrets
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import DomainError, NotAllowed
from ..extensions import db, insert_now
from ..models import (
    Ballot,
    BallotLine,
    BallotType,
    CommitteeMember,
    Completion,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    Role,
    Round,
    RoundResult,
    SignIn,
    TallyRule,
    User,
    VoterRoll,
    VoterRollEntry,
)
from ..rules import board as board_rules
from ..rules import tally as tally_rules
from ..rules.ballots import BallotRules, ballot_problems
from ..rules.phases import Phase
from ..timeutil import utcnow
from . import audit, outbox
from .phases import on_enter

BALLOT_MESSAGES = {
    "unknown_proposal": _l("Ce bulletin contient une proposition qui n'est pas soumise au vote."),
    "bad_points": _l("Le nombre de points doit être un entier positif."),
    "empty": _l("Choisissez au moins une proposition."),
    "too_few": _l("Vous devez choisir plus de propositions (voir le minimum indiqué)."),
    "too_many": _l("Vous avez choisi trop de propositions (voir le maximum indiqué)."),
    "over_budget": _l("Le total des propositions choisies dépasse l'enveloppe : retirez-en."),
    "points_exceeded": _l("Vous avez distribué plus de points que vous n'en avez."),
    "conflict": _l("Vous ne pouvez pas voter pour une proposition de votre propre structure."),
}


def roll_of(round_: Round) -> VoterRoll | None:
    return db.session.scalar(sa.select(VoterRoll).where(VoterRoll.round_id == round_.id))


def ballot_proposals(round_: Round) -> list[Proposal]:
    """The eligible proposals of the round, in a stable order (cheapest first, then id)."""
    return list(db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.round_id == round_.id, Proposal.status == ProposalStatus.ELIGIBLE)
        .order_by(Proposal.title, Proposal.id)
    ))


def ballot_rules(round_: Round) -> BallotRules:
    return BallotRules(
        ballot_type=round_.ballot_type.value,
        envelope_cents=round_.envelope_cents,
        min_approvals=round_.min_approvals,
        max_approvals=round_.max_approvals,
        points_total=round_.points_total,
    )


def conflicted_organization_ids(round_: Round, user: User) -> set[int]:
    """Organisations applying to the round of which ``user`` is a member (conflict of interest)."""
    return set(db.session.scalars(
        sa.select(Proposal.organization_id)
        .join(OrganizationMember, OrganizationMember.organization_id == Proposal.organization_id)
        .where(Proposal.round_id == round_.id, Proposal.status != ProposalStatus.DRAFT,
               OrganizationMember.user_id == user.id)
        .distinct()
    ))


def roll_entry(round_: Round, user: User) -> VoterRollEntry | None:
    return db.session.scalar(
        sa.select(VoterRollEntry).join(VoterRoll)
        .where(VoterRoll.round_id == round_.id, VoterRollEntry.user_id == user.id)
    )


def members_yet_to_vote(round_: Round) -> list[User]:
    """Accounts on the frozen roll without a sign-in yet (for paper ballot entry)."""
    voted = sa.select(SignIn.user_id).where(SignIn.round_id == round_.id,
                                            SignIn.user_id.is_not(None))
    return list(db.session.scalars(
        sa.select(User).join(VoterRollEntry, VoterRollEntry.user_id == User.id).join(VoterRoll)
        .where(VoterRoll.round_id == round_.id, User.id.not_in(voted))
        .order_by(User.first_name, User.last_name, User.id)))


def _standing_columns(round_id, user_id):
    on_roll = sa.select(VoterRollEntry.id).join(VoterRoll).where(
        VoterRoll.round_id == round_id, VoterRollEntry.user_id == user_id)
    voted = sa.select(SignIn.id).where(SignIn.round_id == round_id, SignIn.user_id == user_id)
    return on_roll.exists(), voted.exists()


# The statements of a ballot are built once (with bound parameters): a vote week runs them
# thousands of times, and building a statement again each time was a tenth of its Python work.
_ROUND_ID, _USER_ID = sa.bindparam("round_id"), sa.bindparam("user_id")
_STANDING = sa.select(*_standing_columns(_ROUND_ID, _USER_ID))
_LOCK_ROUND = (sa.select(Round).where(Round.id == _ROUND_ID)
               .with_for_update(read=True, key_share=True)
               .execution_options(populate_existing=True))
_LOCK_ROUND_KEY = sa.select(Round.id).where(Round.id == _ROUND_ID).with_for_update(
    read=True, key_share=True)
_LOCK_ROLL = (sa.select(VoterRoll, *_standing_columns(_ROUND_ID, _USER_ID))
              .where(VoterRoll.round_id == _ROUND_ID)
              .with_for_update(read=True, of=VoterRoll)
              .execution_options(populate_existing=True))
_COSTS_AND_OWN = sa.select(
    Proposal.id, Proposal.requested_cents,
    sa.select(OrganizationMember.id).where(
        OrganizationMember.organization_id == Proposal.organization_id,
        OrganizationMember.user_id == _USER_ID).exists(),
).where(Proposal.round_id == _ROUND_ID, Proposal.status == ProposalStatus.ELIGIBLE)
_INSERT_SIGNIN = sa.insert(SignIn.__table__)


def _roll_standing(round_: Round, user: User) -> tuple[bool, bool]:
    """(on the roll, already signed in) of ``user`` in ``round_``, in one query."""
    row = db.session.execute(_STANDING, {"round_id": round_.id, "user_id": user.id}).one()
    return bool(row[0]), bool(row[1])


@dataclass(frozen=True)
class Standing:
    """The round's roll as read under its lock, and where one person stands on it."""

    roll: VoterRoll | None
    on_roll: bool
    voted: bool


def lock_round(round_id: int) -> Round | None:
    """The round, read with a key-share lock (the first lock of a ballot: see ``cast_ballot``)."""
    return db.session.scalar(_LOCK_ROUND, {"round_id": round_id})


def lock_roll(round_: Round, user: User) -> Standing:
    """The round's roll under a share lock, read again (a vote closed meanwhile is seen), with
    the standing of ``user`` on it, in one query. The caller holds the round's lock."""
    row = db.session.execute(_LOCK_ROLL, {"round_id": round_.id, "user_id": user.id}
                             ).one_or_none()
    if row is None:
        return Standing(None, False, False)
    return Standing(row[0], bool(row[1]), bool(row[2]))


VOTE_NOT_OPEN = _l("Le vote de cet appel n'est pas ouvert.")
NOT_ON_ROLL = _l("Vous n'êtes pas inscrit·e sur la liste des votants de cet appel.")
ALREADY_VOTED = _l("Vous avez déjà voté dans cet appel : un bulletin est définitif.")


def _vote_open(round_: Round, roll: VoterRoll | None) -> bool:
    return round_.phase is Phase.VOTE and roll is not None and roll.closed_at is None


def vote_refusal_for_round(round_: Round, roll: VoterRoll | None = None) -> str | None:
    """Why nobody can vote now in ``round_``, or None while the vote is open.

    ``roll`` is the round's roll when the caller has it already (locked, say)."""
    return None if _vote_open(round_, roll or roll_of(round_)) else str(VOTE_NOT_OPEN)


def _standing_refusal(round_: Round, standing: Standing) -> str | None:
    if not _vote_open(round_, standing.roll):
        return str(VOTE_NOT_OPEN)
    if not standing.on_roll:
        return str(NOT_ON_ROLL)
    if standing.voted:
        return str(ALREADY_VOTED)
    return None


def vote_refusal(round_: Round, user: User, roll: VoterRoll | None = None) -> str | None:
    """Why ``user`` cannot vote now in ``round_`` (a message), or None when they can."""
    roll = roll or roll_of(round_)
    if vote_refusal_for_round(round_, roll):
        return str(VOTE_NOT_OPEN)
    return _standing_refusal(round_, Standing(roll, *_roll_standing(round_, user)))


def vote_refusals(rounds: list[Round], user: User) -> dict[int, str | None]:
    """``vote_refusal`` of each round, in three queries whatever the number of rounds."""
    ids = [r.id for r in rounds]
    rolls = {roll.round_id: roll for roll in db.session.scalars(
        sa.select(VoterRoll).where(VoterRoll.round_id.in_(ids)))}
    on_roll = set(db.session.scalars(
        sa.select(VoterRoll.round_id).join(VoterRollEntry)
        .where(VoterRoll.round_id.in_(ids), VoterRollEntry.user_id == user.id)))
    voted = set(db.session.scalars(
        sa.select(SignIn.round_id).where(SignIn.round_id.in_(ids), SignIn.user_id == user.id)))
    refusals: dict[int, str | None] = {}
    for round_ in rounds:
        if not _vote_open(round_, rolls.get(round_.id)):
            refusals[round_.id] = str(VOTE_NOT_OPEN)
        elif round_.id not in on_roll:
            refusals[round_.id] = str(NOT_ON_ROLL)
        else:
            refusals[round_.id] = str(ALREADY_VOTED) if round_.id in voted else None
    return refusals


@on_enter(Phase.VOTE)
def freeze_roll(round_: Round, actor: User) -> VoterRoll:
    """Freeze the voter roll: the committee, or every resident of the territory (open vote)."""
    if roll_of(round_) is not None:
        raise DomainError(_("La liste des votants de cet appel est déjà arrêtée."))
    if round_.open_vote:
        codes = [q.code for q in round_.territory.qpvs]
        people = [(user_id, None) for user_id in db.session.scalars(
            sa.select(User.id).where(User.role == Role.RESIDENT, User.is_enabled.is_(True),
                                     User.qpv_code.in_(codes)))]
    else:
        people = list(db.session.execute(
            sa.select(CommitteeMember.user_id, CommitteeMember.college)
            .where(CommitteeMember.round_id == round_.id)).tuples())
    if not people:
        raise DomainError(_("La liste des votants est vide : désignez d'abord le comité."))
    entries = [VoterRollEntry(user_id=user_id, college=college,
                              pseudonym=secrets.token_hex(16)) for user_id, college in people]
    roll = VoterRoll(
        round_id=round_.id, size=len(entries), entries=entries, frozen_at=utcnow(),
        fingerprint=board_rules.voter_roll_fingerprint([e.pseudonym for e in entries]),
        head_hash=board_rules.GENESIS,
    )
    db.session.add(roll)
    db.session.flush()
    audit.record("vote.roll_frozen", round_, actor=actor,
                 details={"size": roll.size, "fingerprint": roll.fingerprint})
    return roll


def check_choices(round_: Round, member: User, choices: dict[int, int]) -> None:
    """Raise DomainError when the ballot breaks the round's rules or a conflict of interest.

    One query: the eligible proposals, each with whether ``member`` belongs to the
    organisation behind it (a chosen proposal is eligible, so this is the same conflict as
    ``conflicted_organization_ids``)."""
    rows = db.session.execute(_COSTS_AND_OWN, {"round_id": round_.id, "user_id": member.id}
                              ).all()
    problems = ballot_problems(ballot_rules(round_), choices, {pid: cost for pid, cost, _o in rows})
    if problems:
        raise DomainError(" ".join(str(BALLOT_MESSAGES[code]) for code in problems))
    if any(is_own and pid in choices for pid, _cost, is_own in rows):
        raise DomainError(BALLOT_MESSAGES["conflict"])


def cast_ballot(round_: Round, member: User, choices: dict[int, int], *,
                recorded_by: User | None = None, standing: Standing | None = None,
                email_receipt: bool = False) -> Ballot:
    """Write the member's sign-in and drop their secret ballot in the urn, in one transaction.

    ``choices`` maps proposal ids to points (1 for approval ballots). ``recorded_by`` is the
    staff member entering a paper ballot. Raises DomainError when the member may not vote or
    the ballot is invalid; a concurrent second ballot fails on the sign-in's unique constraint.
    The ballot's tracker (the receipt) is final at once; its place on the board is not known
    before the vote closes (``seal_urn``), so nothing stored follows the order of arrival.
    ``email_receipt`` queues the receipt by e-mail (``send_receipt``) before the audit.

    ``standing`` is what ``lock_roll`` read, when the caller took both locks already.
    """
    # Shared locks, round first then roll: voters do not wait for each other, but closing the
    # vote (which takes the round, then the roll, for update) waits for the ballots being
    # written, and a ballot written after it sees the vote closed. Taking the round first
    # avoids a deadlock with a phase change: the sign-in's foreign key would otherwise ask for
    # the round while the closing transaction holds it and waits for the roll. The roll is
    # read again under its lock, so a vote closed meanwhile is seen.
    if standing is None:
        db.session.execute(_LOCK_ROUND_KEY, {"round_id": round_.id})
        standing = lock_roll(round_, member)
    if standing.roll is not None and standing.roll.closed_at is not None:
        raise NotAllowed(_("Le vote de cet appel est clos."))
    refusal = _standing_refusal(round_, standing)
    if refusal:
        raise NotAllowed(refusal)
    check_choices(round_, member, choices)
    on_paper = recorded_by is not None
    # A plain INSERT, first: a second sign-in of the same member fails here.
    db.session.execute(_INSERT_SIGNIN, {
        "round_id": round_.id, "user_id": member.id, "on_paper": on_paper,
        "recorded_by_id": recorded_by.id if on_paper else None})
    ballot = drop_in_urn(round_, choices)
    # The audit says who voted (as the sign-in does), never what: no tracker, no choice. It
    # comes last: its chain lock is held until the commit.
    if on_paper:
        audit.record("vote.paper_ballot_recorded", round_, actor=recorded_by,
                     details={"member": member.id})
    else:
        if email_receipt:
            send_receipt(round_, member, ballot)
        audit.record("vote.ballot_cast", round_, actor=member)
    return ballot


def drop_in_urn(round_: Round, choices: dict[int, int]) -> Ballot:
    """A sealed ballot: random id, content, nonce and tracker; no position, link or lines."""
    content = board_rules.canonical_content(choices)
    nonce = secrets.token_hex(16)
    return insert_now(Ballot(round_id=round_.id, tracker=board_rules.tracker(content, nonce),
                             nonce=nonce, content=content))


def seal_urn(round_: Round, roll: VoterRoll) -> str:
    """Chain every ballot of the round in tracker order and write its lines; return the head.

    The order of the chain depends only on the receipts, never on the order of arrival, and
    every ballot row is rewritten in this transaction: PostgreSQL gives the new row versions
    this transaction's id (``xmin``) and places them in the order of the updates (by random
    id), and the lines are written here, in tracker order. The caller holds the roll's lock.
    """
    ballots = list(db.session.scalars(
        sa.select(Ballot).where(Ballot.round_id == round_.id).order_by(Ballot.tracker)))
    chain = board_rules.chain([(b.tracker, b.content) for b in ballots])
    for ballot, (position, prev, link) in zip(ballots, chain, strict=True):
        ballot.position, ballot.prev_hash, ballot.hash = position, prev, link
    for ballot in ballots:
        db.session.add_all(
            BallotLine(ballot_id=ballot.id, proposal_id=int(pid), points=points)
            for pid, points in json.loads(ballot.content).items())
    roll.head_hash = chain[-1][2] if chain else board_rules.GENESIS
    db.session.flush()
    return roll.head_hash


def send_receipt(round_: Round, member: User, ballot: Ballot) -> None:
    """Queue the receipt by e-mail when the member has an address; erased once sent."""
    outbox.queue_for_user(
        member, "vote_receipt",
        _("Votre reçu de vote : %(title)s", title=round_.title),
        _("Bonjour %(name)s,\n\nVotre bulletin est enregistré. Votre reçu :\n%(tracker)s\n\n"
          "Après la clôture du vote, vous pourrez le retrouver sur le tableau public des "
          "bulletins et vérifier vos choix.", name=member.first_name, tracker=ballot.tracker),
        redact_after_send=True,
    )


def close_vote(round_: Round, actor: User) -> VoterRoll:
    """Close the roll and seal the urn: no ballot after this; the board becomes public."""
    roll = roll_of(round_)
    if roll is None:
        raise DomainError(_("Le vote de cet appel n'a pas été ouvert."))
    # Waits for the ballots being written (they hold the roll in share mode).
    roll = db.session.scalar(
        sa.select(VoterRoll).where(VoterRoll.id == roll.id).with_for_update())
    db.session.refresh(roll)
    if roll.closed_at is None:
        roll.closed_at = utcnow()
        head = seal_urn(round_, roll)
        audit.record("vote.closed", round_, actor=actor,
                     details={"ballots": ballot_count(round_), "head": head})
    return roll


# Leaving the vote phase closes the vote, whoever moves the round.
on_enter(Phase.RESULTS)(close_vote)


def ballot_count(round_: Round) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Ballot.id)).where(Ballot.round_id == round_.id))


def result_of(round_: Round) -> RoundResult | None:
    return db.session.scalar(sa.select(RoundResult).where(RoundResult.round_id == round_.id))


def tally_input(round_: Round) -> tally_rules.TallyInput:
    """Plain values for the tally: the eligible proposals with their costs, and the ballots.

    The ballots are read from their sealed content (what the trackers commit to and the board
    publishes), in tracker order, so that the tally and the public recount see the same thing.
    """
    projects = [tally_rules.Project(str(p.id), p.requested_cents)
                for p in ballot_proposals(round_)]
    ballots = [json.loads(content) for content in db.session.scalars(
        sa.select(Ballot.content).where(Ballot.round_id == round_.id).order_by(Ballot.tracker))]
    vote_type = "cumulative" if round_.ballot_type is BallotType.CUMULATIVE else "approval"
    return tally_rules.TallyInput(projects, round_.envelope_cents, ballots, vote_type)


#: Add1 raises each voter's share by one currency unit at a time (shared/pabulib/README.md):
#: one euro, so equal shares is computed in euros (exact fractions of the cents).
COMPLETION_STEP_CENTS = 100


def rule_unit(rule: TallyRule) -> int:
    """Cents per unit of the amounts the rule works in (see ``COMPLETION_STEP_CENTS``)."""
    return COMPLETION_STEP_CENTS if rule is TallyRule.EQUAL_SHARES else 1


def run_rule(rule: TallyRule, data: tally_rules.TallyInput,
             completion: Completion = Completion.NONE) -> tally_rules.TallyResult:
    """Apply the round's rule to the plain values (amounts of the result in ``rule_unit``)."""
    if rule is TallyRule.EQUAL_SHARES:
        unit = rule_unit(rule)
        in_euros = tally_rules.TallyInput(
            [tally_rules.Project(p.id, Fraction(p.cost, unit)) for p in data.projects],
            Fraction(data.budget, unit), data.ballots, data.vote_type)
        return tally_rules.equal_shares(in_euros, completion=completion.value)
    return tally_rules.greedy(data)


def explanation_steps(result: tally_rules.TallyResult, unit: int = 1) -> list[dict]:
    """The per-proposal explanations as JSON-ready dicts, in cents, in the calculation's order.

    ``unit`` is the number of cents of the result's amounts. Exact fractions are rounded for
    display only: shares up, available money down.
    """
    def cents(value, rounding=int):
        return None if value is None else rounding(value * unit)

    steps = []
    for e in result.explanations.values():
        steps.append({
            "project": e.project_id, "code": e.kind.value, "step": e.step,
            "cost": cents(e.cost), "votes": e.votes, "score": int(e.score),
            "remaining": cents(e.remaining),
            "share": cents(e.share, math.ceil),
            "available": cents(e.available, math.floor),
            "paying_all_left": e.paying_all_left,
        })
    return sorted(steps, key=lambda s: (s["step"] is None, s["step"] or 0, s["project"]))


def completion_record(result: tally_rules.TallyResult, data: tally_rules.TallyInput,
                      unit: int) -> dict | None:
    """What the completion of equal shares did, in cents, for the result page and the board."""
    info = result.completion
    if info is None:
        return None
    voters = len(data.ballots)
    return {
        "method": info.method,
        "applied": info.applied,
        "step_cents": unit,
        "share_before_cents": data.budget // voters if voters else 0,
        "share_after_cents": math.floor(info.voter_budget * unit)
        if info.voter_budget is not None else 0,
        "increments": info.increments,
        "prefer_mes": info.prefer_mes,
        "prefer_greedy": info.prefer_greedy,
        "switched_to_greedy": info.switched_to_greedy,
    }


def tally_round(round_: Round, actor: User) -> RoundResult:
    """Compute the result by the round's rule (once the vote is closed) and store it."""
    roll = roll_of(round_)
    if round_.phase is not Phase.RESULTS or roll is None or roll.closed_at is None:
        raise DomainError(_("Le dépouillement se fait après la clôture du vote."))
    result = result_of(round_)
    if result is not None and result.published:
        raise DomainError(_("Les résultats sont déjà publiés : ils ne changent plus."))
    data = tally_input(round_)
    completion = (round_.completion if round_.tally_rule is TallyRule.EQUAL_SHARES
                  else Completion.NONE)
    outcome = run_rule(round_.tally_rule, data, completion)
    unit = rule_unit(round_.tally_rule)
    selected = sorted(int(pid) for pid in outcome.selected)
    if outcome.cost * unit > round_.envelope_cents:  # invariant 1: never happens; refuse
        raise DomainError(_("La sélection dépasse l'enveloppe : résultat refusé."))
    if result is None:
        result = RoundResult(round_id=round_.id)
        db.session.add(result)
    result.rule = round_.tally_rule
    result.selected = json.dumps(selected)
    result.explanation = json.dumps(explanation_steps(outcome, unit), sort_keys=True)
    record = completion_record(outcome, data, unit)
    result.completion = json.dumps(record, sort_keys=True) if record else None
    result.scores = json.dumps({pid: int(v) for pid, v in tally_rules.scores(data).items()},
                               sort_keys=True)
    result.spent_cents = int(outcome.cost * unit)
    result.computed_at = utcnow()
    db.session.flush()
    audit.record("vote.tallied", round_, actor=actor,
                 details={"rule": result.rule.value, "selected": selected,
                          "completion": record["method"] if record else None})
    return result


def publish_results(round_: Round, actor: User) -> RoundResult:
    """Publish the stored result: counts become public, selected proposals are funded."""
    result = result_of(round_)
    if result is None:
        raise DomainError(_("Lancez d'abord le dépouillement."))
    if result.published:
        raise DomainError(_("Les résultats sont déjà publiés."))
    now = utcnow()
    result.published = True
    round_.results_published_at = now
    selected = json.loads(result.selected)
    for proposal in db.session.scalars(sa.select(Proposal).where(Proposal.id.in_(selected))):
        proposal.funded_at = now
    db.session.flush()
    audit.record("vote.results_published", round_, actor=actor, details={"selected": selected})
    return result


#: Participation of closed rolls, by (roll id, fingerprint, closing time). Once a vote is
#: closed nobody signs in any more, so its figures never change: each worker counts them once
#: instead of on every view of the results page, where they read every sign-in and every entry
#: of the roll (0.7 ms of PostgreSQL per thousand ballots, issue 9). The fingerprint (a hash of
#: random pseudonyms) keeps a roll of another database with the same id from matching.
_CLOSED_PARTICIPATION: dict[tuple, dict] = {}
_CLOSED_PARTICIPATION_MAX = 256


def participation(round_: Round, roll: VoterRoll | None = None) -> dict:
    """Ballots over roll size, overall and by college (None in an open vote).

    ``roll`` is the round's roll when the caller has read it already."""
    roll = roll or roll_of(round_)
    if roll is None:
        return {"size": 0, "voted": 0, "colleges": []}
    if roll.closed_at is None:
        return _count_participation(round_, roll)
    key = (roll.id, roll.fingerprint, roll.closed_at)
    figures = _CLOSED_PARTICIPATION.get(key)
    if figures is None:
        if len(_CLOSED_PARTICIPATION) >= _CLOSED_PARTICIPATION_MAX:
            _CLOSED_PARTICIPATION.clear()
        figures = _CLOSED_PARTICIPATION[key] = _count_participation(round_, roll)
    return copy.deepcopy(figures)


def _count_participation(round_: Round, roll: VoterRoll) -> dict:
    rows = db.session.execute(
        sa.select(VoterRollEntry.college, sa.func.count(VoterRollEntry.id),
                  sa.func.count(SignIn.id))
        .outerjoin(SignIn, sa.and_(SignIn.user_id == VoterRollEntry.user_id,
                                   SignIn.round_id == round_.id))
        .where(VoterRollEntry.roll_id == roll.id)
        .group_by(VoterRollEntry.college).order_by(VoterRollEntry.college)).all()
    return {
        "size": roll.size,
        "voted": db.session.scalar(sa.select(sa.func.count(SignIn.id))
                                   .where(SignIn.round_id == round_.id)),
        "colleges": [{"college": c, "size": n, "voted": v} for c, n, v in rows if c],
    }
