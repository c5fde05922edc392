"""Evaluation of funded actions by the round's voters, its report, and the next round."""

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..models import (
    ActionOutcome,
    CommentStatus,
    CommitteeMember,
    Evaluation,
    Need,
    NeedOrigin,
    NeedStatus,
    Proposal,
    Renew,
    Role,
    Round,
    RoundField,
    SignIn,
    Territory,
    User,
)
from ..rules import evaluation as rules
from ..rules.phases import Phase
from . import audit, outbox
from .phases import on_enter


class Refusal(StrEnum):
    """Why someone may not evaluate the actions of a round."""

    NOT_RESIDENT = "not_resident"
    NOT_VOTER = "not_voter"
    NOT_COMMITTEE = "not_committee"
    PHASE = "phase"


REFUSAL_MESSAGES = {
    Refusal.NOT_RESIDENT: _l("Seuls les habitants qui ont voté évaluent les actions."),
    Refusal.NOT_VOTER: _l("Vous n'avez pas voté lors de cette édition : seuls les habitants qui "
                          "ont choisi les actions peuvent les évaluer."),
    Refusal.NOT_COMMITTEE: _l("Vous ne faites pas partie du comité d'habitants de cette édition."),
    Refusal.PHASE: _l("L'évaluation de cette édition n'est pas ouverte."),
}


def refusal(user: User, round_: Round) -> Refusal | None:
    """Return why ``user`` may not evaluate ``round_``'s actions now, or None if they may."""
    if user.role is not Role.RESIDENT:
        return Refusal.NOT_RESIDENT
    signed = db.session.scalar(sa.select(SignIn.id).where(
        SignIn.round_id == round_.id, SignIn.user_id == user.id))
    if signed is None:
        return Refusal.NOT_VOTER
    if not round_.open_vote and db.session.scalar(sa.select(CommitteeMember.id).where(
            CommitteeMember.round_id == round_.id, CommitteeMember.user_id == user.id)) is None:
        return Refusal.NOT_COMMITTEE
    if round_.phase is not Phase.EVALUATION:
        return Refusal.PHASE
    return None


def funded(round_: Round) -> list[Proposal]:
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.round_id == round_.id, Proposal.funded_at.is_not(None))
        .options(joinedload(Proposal.organization)).order_by(Proposal.title)))


def evaluated_ids(user: User, round_: Round) -> set[int]:
    """Ids of the actions ``user`` has already evaluated in ``round_``."""
    return set(db.session.scalars(sa.select(Evaluation.proposal_id).where(
        Evaluation.round_id == round_.id, Evaluation.user_id == user.id)))


@dataclass(frozen=True)
class Answers:
    answers_need: int
    quality: int
    reach: int
    relation: int
    comment: str
    renew: Renew

    def __post_init__(self):
        # Accept the raw value of a form ("yes") as well as the enum.
        object.__setattr__(self, "renew", Renew(self.renew))


def submit_evaluation(proposal: Proposal, voter: User, answers: Answers, *,
                      recorded_by: User | None = None) -> Evaluation:
    """Record ``voter``'s evaluation of a funded action (on paper when ``recorded_by``)."""
    round_ = proposal.round
    reason = refusal(voter, round_)
    if reason is not None:
        raise NotAllowed(REFUSAL_MESSAGES[reason])
    if proposal.funded_at is None:
        raise DomainError(_l("Seules les actions financées s'évaluent."))
    for criterion in rules.CRITERIA:
        if getattr(answers, criterion) not in rules.SCALE:
            raise DomainError(_l("Chaque note va de 1 à 5."), field=criterion)
    if proposal.id in evaluated_ids(voter, round_):
        raise DomainError(_l("Cette action a déjà été évaluée par cette personne."))
    evaluation = Evaluation(
        round_id=round_.id, proposal_id=proposal.id, user_id=voter.id,
        answers_need=answers.answers_need, quality=answers.quality, reach=answers.reach,
        relation=answers.relation, comment=answers.comment.strip(), renew=answers.renew,
        on_paper=recorded_by is not None,
        recorded_by_id=recorded_by.id if recorded_by is not None else None,
    )
    db.session.add(evaluation)
    # The unique constraint uq_evaluations_proposal_user settles two concurrent requests.
    db.session.flush()
    if recorded_by is not None:
        audit.record("evaluation.paper", evaluation, actor=recorded_by,
                     details={"proposal": proposal.id, "voter": voter.id})
    else:
        audit.record("evaluation.submit", evaluation, actor=voter,
                     details={"proposal": proposal.id})
    return evaluation


def voter_count(round_: Round) -> int:
    return db.session.scalar(sa.select(sa.func.count(SignIn.id)).where(
        SignIn.round_id == round_.id, SignIn.user_id.is_not(None)))


def _ratings(round_: Round, proposal_id: int | None = None) -> list[tuple[int, rules.Rating]]:
    query = sa.select(Evaluation).where(Evaluation.round_id == round_.id)
    if proposal_id is not None:
        query = query.where(Evaluation.proposal_id == proposal_id)
    return [(e.proposal_id, rules.Rating(e.answers_need, e.quality, e.reach, e.relation,
                                         e.renew.value))
            for e in db.session.scalars(query)]


@dataclass(frozen=True)
class ActionReport:
    proposal: Proposal
    summary: rules.Summary
    comments: list[str]


@dataclass(frozen=True)
class RoundReport:
    round: Round
    voters: int
    evaluators: int
    actions: list[ActionReport]
    overall: rules.Summary

    @property
    def response_rate(self):
        return rules.rate(self.evaluators, self.voters)


def _visible_comments(round_: Round, proposal_id: int | None = None) -> dict[int, list[str]]:
    """Proposal id → the comments left visible by moderation, in order."""
    query = (sa.select(Evaluation.proposal_id, Evaluation.comment)
             .where(Evaluation.round_id == round_.id, Evaluation.comment != "",
                    Evaluation.comment_status == CommentStatus.VISIBLE)
             .order_by(Evaluation.id))
    if proposal_id is not None:
        query = query.where(Evaluation.proposal_id == proposal_id)
    comments: dict[int, list[str]] = {}
    for pid, comment in db.session.execute(query):
        comments.setdefault(pid, []).append(comment)
    return comments


def action_report(proposal: Proposal) -> ActionReport:
    """The residents' evaluation of one funded action (response rate among the round's voters,
    averages and distributions per criterion, renew votes, visible comments)."""
    round_ = proposal.round
    ratings = [r for _, r in _ratings(round_, proposal.id)]
    return ActionReport(proposal, rules.summarize(ratings, voter_count(round_)),
                        _visible_comments(round_, proposal.id).get(proposal.id, []))


def round_report(round_: Round) -> RoundReport:
    """The evaluation report of a round: per action and overall, with visible comments."""
    voters = voter_count(round_)
    ratings = _ratings(round_)
    comments = _visible_comments(round_)
    actions = [
        ActionReport(p, rules.summarize([r for pid, r in ratings if pid == p.id], voters),
                     comments.get(p.id, []))
        for p in funded(round_)
    ]
    evaluators = db.session.scalar(sa.select(sa.func.count(sa.distinct(Evaluation.user_id)))
                                   .where(Evaluation.round_id == round_.id))
    return RoundReport(round_, voters, evaluators, actions,
                       rules.summarize([r for _, r in ratings], voters))


def send_reminders(round_: Round, actor: User) -> tuple[int, int]:
    """Queue a reminder to each voter who has not evaluated every action.

    Returns (messages queued, voters without an e-mail address, to reach otherwise).
    """
    if round_.phase is not Phase.EVALUATION:
        raise DomainError(_l("L'évaluation de cette édition n'est pas ouverte."))
    actions = len(funded(round_))
    done = dict(db.session.execute(
        sa.select(Evaluation.user_id, sa.func.count(Evaluation.id))
        .where(Evaluation.round_id == round_.id).group_by(Evaluation.user_id)).all())
    voters = db.session.scalars(sa.select(User).join(SignIn, SignIn.user_id == User.id)
                                .where(SignIn.round_id == round_.id).order_by(User.id))
    link = f"{current_app.config['PUBLIC_BASE_URL']}/evaluation/{round_.id}"
    queued = unreachable = 0
    for voter in voters:
        if done.get(voter.id, 0) >= actions:
            continue
        message = outbox.queue_for_user(
            voter, "evaluation_reminder",
            _l("Donnez votre avis sur les actions que vous avez choisies"),
            _l("Bonjour %(name)s,\n\nVous avez voté pour l'édition « %(title)s ». Les actions "
               "financées attendent votre évaluation : %(link)s\n",
               name=voter.first_name, title=round_.title, link=link))
        if message is None:
            unreachable += 1
        else:
            queued += 1
    audit.record("evaluation.reminders", round_, actor=actor,
                 details={"queued": queued, "without_email": unreachable})
    return queued, unreachable


def hide_comment(evaluation: Evaluation, actor: User, reason: str) -> Evaluation:
    """Hide an evaluation's comment from the reports, with a reason (never deleted)."""
    if not reason.strip():
        raise DomainError(_l("Indiquez la raison du masquage."), field="reason")
    evaluation.comment_status = CommentStatus.HIDDEN
    evaluation.comment_hidden_reason = reason.strip()
    db.session.flush()
    audit.record("evaluation.comment_hide", evaluation, actor=actor,
                 details={"reason": evaluation.comment_hidden_reason})
    return evaluation


@on_enter(Phase.CLOSED)
def keep_outcomes(round_: Round, actor: User) -> None:
    """When a round closes, keep each funded action's evaluation and renew outcome."""
    report = round_report(round_)
    for action in report.actions:
        summary = action.summary
        sums = summary.sums()
        db.session.add(ActionOutcome(
            round_id=round_.id, proposal_id=action.proposal.id, voters=summary.voters,
            responses=summary.responses, renew_yes=summary.renew["yes"],
            renew_no=summary.renew["no"], renew_dont_know=summary.renew["dont_know"],
            sum_answers_need=sums["answers_need"], sum_quality=sums["quality"],
            sum_reach=sums["reach"], sum_relation=sums["relation"], renewed=summary.renewed))


def last_closed_round(territory: Territory) -> Round | None:
    return db.session.scalar(
        sa.select(Round).where(Round.territory_id == territory.id, Round.phase == Phase.CLOSED)
        .order_by(Round.created_at.desc(), Round.id.desc()).limit(1))


@dataclass(frozen=True)
class Renewal:
    """A renewed action of the previous round: its needs and its last evaluation."""

    outcome: ActionOutcome
    proposal: Proposal
    needs: list[Need]
    summary: rules.Summary


def prefill_next_round(territory: Territory) -> tuple[Round | None, list[Renewal]]:
    """The last closed round of ``territory`` and its renewed actions, with their needs."""
    previous = last_closed_round(territory)
    if previous is None:
        return None, []
    renewals = []
    outcomes = db.session.scalars(sa.select(ActionOutcome).where(
        ActionOutcome.round_id == previous.id, ActionOutcome.renewed.is_(True))
        .order_by(ActionOutcome.id))
    for outcome in outcomes:
        ratings = [r for _, r in _ratings(previous, outcome.proposal_id)]
        renewals.append(Renewal(outcome, outcome.proposal, list(outcome.proposal.needs),
                                rules.summarize(ratings, outcome.voters)))
    return previous, renewals


def prepare_next_round(territory: Territory, actor: User, *, title: str,
                       envelope_cents: int) -> Round:
    """Create the next round in draft, with the renewed actions' needs pre-filled."""
    previous, renewals = prefill_next_round(territory)
    if previous is None:
        raise DomainError(_l("Aucune édition close sur ce territoire."))
    if envelope_cents <= 0:
        raise DomainError(_l("L'enveloppe doit être supérieure à zéro."), field="envelope")
    new = Round(territory_id=territory.id, title=title.strip(), phase=Phase.DRAFT,
                presentation=previous.presentation, envelope_cents=envelope_cents,
                max_duration_months=previous.max_duration_months,
                ballot_type=previous.ballot_type, tally_rule=previous.tally_rule,
                completion=previous.completion,
                open_vote=previous.open_vote, created_by_id=actor.id,
                fields=[RoundField(label=f.label, position=f.position) for f in previous.fields])
    db.session.add(new)
    db.session.flush()
    fields = {f.label: f for f in new.fields}
    copied = 0
    for renewal in renewals:
        for need in renewal.needs:
            field = fields.get(need.field.label)
            if field is None:
                field = RoundField(label=need.field.label, position=len(fields))
                new.fields.append(field)
                fields[field.label] = field
                db.session.flush()
            copy = Need(round_id=new.id, author_id=None, field_id=field.id, title=need.title,
                        description=need.description, place=need.place,
                        status=NeedStatus.PUBLISHED, assisted_by_id=actor.id)
            db.session.add(copy)
            db.session.flush()
            db.session.add(NeedOrigin(need_id=copy.id, previous_round_id=previous.id,
                                      previous_proposal_id=renewal.proposal.id))
            copied += 1
    db.session.flush()
    audit.record("round.prepare_next", new, actor=actor,
                 details={"previous_round": previous.id, "needs_prefilled": copied})
    return new


def origins(round_: Round) -> dict[int, NeedOrigin]:
    """Need id → origin, for the needs of ``round_`` that came from the previous round."""
    rows = db.session.scalars(sa.select(NeedOrigin).join(Need, Need.id == NeedOrigin.need_id)
                              .where(Need.round_id == round_.id))
    return {o.need_id: o for o in rows}
