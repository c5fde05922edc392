"""Rounds: create and edit a draft, the public timeline, the call, phase notifications."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models import (
    BallotType,
    Completion,
    Need,
    NeedStatus,
    Proposal,
    ProposalStatus,
    Qpv,
    Role,
    Round,
    RoundField,
    RoundMilestone,
    RoundYearSplit,
    TallyRule,
    Territory,
    User,
    proposal_needs,
)
from ..rules.phases import ORDER, Phase
from ..timeutil import UTC
from . import audit, outbox
from .phases import on_enter

PHASE_LABELS = {
    Phase.DRAFT: _l("Préparation"),
    Phase.NEEDS: _l("Les habitants écrivent les solutions attendues"),
    Phase.CALL: _l("Appel à solutions ouvert aux structures"),
    Phase.REVIEW: _l("Instruction des propositions"),
    Phase.VOTE: _l("Vote du comité d'habitants"),
    Phase.RESULTS: _l("Résultats"),
    Phase.FOLLOW_UP: _l("Suivi des actions financées"),
    Phase.EVALUATION: _l("Évaluation avec les habitants"),
    Phase.CLOSED: _l("Clôturé"),
}
#: The fields proposed for a new round (the source's examples); staff edit the list.
DEFAULT_FIELDS = ["Éducation", "Emploi et insertion", "Cadre de vie", "Santé", "Culture"]
#: Dates typed by staff are French local dates; the call ends at midnight, Paris time.
PARIS = ZoneInfo("Europe/Paris")
#: Phases the public sees on the round list (a draft is not published yet).
PUBLIC_PHASES = [p for p in ORDER if p is not Phase.DRAFT]


@dataclass
class RoundSettings:
    """What staff type on the round form, already parsed (cents, dates, enums)."""

    territory_id: int
    title: str
    presentation: str
    envelope_cents: int
    max_duration_months: int
    year_splits: list[int | None]
    field_labels: list[str]
    planned: dict[Phase, date | None]
    call_deadline: date | None
    ballot_type: BallotType
    min_approvals: int | None
    max_approvals: int | None
    points_total: int | None
    tally_rule: TallyRule
    open_vote: bool
    completion: Completion = Completion.ADD1


def deadline_from_date(day: date) -> datetime:
    """The end of ``day`` in Paris (23:59:59), as aware UTC."""
    return datetime.combine(day, time(23, 59, 59), PARIS).astimezone(UTC)


def deadline_local_date(round_: Round) -> date | None:
    return round_.call_deadline.astimezone(PARIS).date() if round_.call_deadline else None


def _check(settings: RoundSettings) -> None:
    if db.session.get(Territory, settings.territory_id) is None:
        raise DomainError(_l("Choisissez un territoire de la liste."), field="territory_id")
    if settings.envelope_cents <= 0:
        raise DomainError(_l("L'enveloppe doit être supérieure à zéro."), field="envelope")
    splits = [s for s in settings.year_splits if s is not None]
    if splits and sum(splits) != settings.envelope_cents:
        raise DomainError(_l("La répartition par année doit être égale à l'enveloppe."),
                          field="year1")
    if not settings.field_labels:
        raise DomainError(_l("Indiquez au moins une thématique."), field="fields")
    if any(len(label) > 80 for label in settings.field_labels):
        raise DomainError(_l("Une thématique fait 80 caractères au maximum."), field="fields")
    if len({label.casefold() for label in settings.field_labels}) != len(settings.field_labels):
        raise DomainError(_l("Chaque thématique ne doit apparaître qu'une fois."), field="fields")
    dates = [(p, settings.planned.get(p)) for p in ORDER if settings.planned.get(p)]
    for (_p1, first), (phase, second) in zip(dates, dates[1:], strict=False):
        if second < first:
            raise DomainError(_l("Les dates des phases doivent se suivre dans l'ordre."),
                              field=f"date_{phase.value}")
    if (settings.min_approvals and settings.max_approvals
            and settings.min_approvals > settings.max_approvals):
        raise DomainError(_l("Le minimum d'approbations dépasse le maximum."),
                          field="min_approvals")
    if settings.ballot_type is BallotType.CUMULATIVE and not settings.points_total:
        raise DomainError(_l("Un vote par points demande le nombre de points à répartir."),
                          field="points_total")


def save_round(round_: Round | None, actor: User, settings: RoundSettings) -> Round:
    """Create a round (``round_`` None) or edit it while it is still a draft."""
    if round_ is not None and round_.phase is not Phase.DRAFT:
        raise DomainError(_l("Un appel ne se modifie plus une fois sa préparation terminée."))
    _check(settings)
    creating = round_ is None
    if creating:
        round_ = Round(created_by_id=actor.id)
        db.session.add(round_)
    for name in ("territory_id", "title", "presentation", "envelope_cents",
                 "max_duration_months", "ballot_type", "min_approvals", "max_approvals",
                 "points_total", "tally_rule", "completion", "open_vote"):
        setattr(round_, name, getattr(settings, name))
    round_.call_deadline = (deadline_from_date(settings.call_deadline)
                            if settings.call_deadline else None)
    _replace_fields(round_, settings.field_labels)
    _replace(round_.milestones, "phase", {p: d for p, d in settings.planned.items() if d},
             "planned_on", RoundMilestone)
    _replace(round_.year_splits, "year_index",
             {i: c for i, c in enumerate(settings.year_splits, start=1) if c is not None},
             "amount_cents", RoundYearSplit)
    db.session.flush()
    audit.record("round.create" if creating else "round.update", round_,
                 details={"title": round_.title, "envelope_cents": round_.envelope_cents})
    return round_


def _replace(rows: list, key: str, wanted: dict, value: str, model) -> None:
    """Update the child rows in place (a unique key must not be inserted before its delete)."""
    for row in list(rows):
        if getattr(row, key) in wanted:
            setattr(row, value, wanted.pop(getattr(row, key)))
        else:
            rows.remove(row)
    db.session.flush()
    rows.extend(model(**{key: k, value: v}) for k, v in wanted.items())


def _replace_fields(round_: Round, labels: list[str]) -> None:
    """Keep the rows of labels that stay (their ids), add new ones, drop removed ones."""
    existing = {f.label: f for f in round_.fields}
    round_.fields = [existing.get(label) or RoundField(label=label) for label in labels]
    for position, field in enumerate(round_.fields):
        field.position = position
    db.session.flush()


def public_rounds() -> list[Round]:
    return list(db.session.scalars(
        sa.select(Round).where(Round.phase.in_(PUBLIC_PHASES)).order_by(Round.id.desc())))


def open_rounds() -> list[Round]:
    """Rounds where residents or operators can act now (home page)."""
    return list(db.session.scalars(
        sa.select(Round).where(Round.phase.in_([Phase.NEEDS, Phase.CALL, Phase.VOTE]))
        .order_by(Round.id.desc())))


@dataclass
class Step:
    phase: Phase
    label: str
    planned_on: date | None
    state: str  # "done", "current" or "upcoming"


def timeline(round_: Round) -> list[Step]:
    """Every phase with its planned date and where the round stands."""
    current = ORDER.index(round_.phase)
    planned = {m.phase: m.planned_on for m in round_.milestones}
    return [Step(p, str(PHASE_LABELS[p]), planned.get(p),
                 "done" if i < current else "current" if i == current else "upcoming")
            for i, p in enumerate(ORDER)]


@dataclass
class CallNeed:
    need: Need
    supports: int
    proposals: int


def call_needs(round_: Round) -> list[CallNeed]:
    """Retained needs with their supports and the proposals received (drafts not counted)."""
    supports = Need.support_count
    proposals = (sa.select(sa.func.count(proposal_needs.c.proposal_id))
                 .join(Proposal, Proposal.id == proposal_needs.c.proposal_id)
                 .where(proposal_needs.c.need_id == Need.id,
                        Proposal.status != ProposalStatus.DRAFT)
                 .correlate(Need).scalar_subquery())
    rows = db.session.execute(
        sa.select(Need, supports, proposals)
        .where(Need.round_id == round_.id, Need.status == NeedStatus.RETAINED)
        .order_by(supports.desc(), Need.id)
    ).all()
    return [CallNeed(need, s, p) for need, s, p in rows]


def residents_to_notify(round_: Round) -> list[User]:
    codes = [q.code for q in round_.territory.qpvs]
    return list(db.session.scalars(
        sa.select(User).join(Qpv, Qpv.code == User.qpv_code)
        .where(User.qpv_code.in_(codes), User.role == Role.RESIDENT,
               User.notify_rounds.is_(True), User.is_enabled.is_(True),
               User.email.is_not(None))))


def notify_phase(round_: Round, actor: User) -> None:
    """Tell the residents of the territory who opted in that the round entered a phase."""
    label = PHASE_LABELS[round_.phase]
    for user in residents_to_notify(round_):
        outbox.queue_for_user(
            user, "round.phase",
            _("Appel à solutions « %(title)s » : nouvelle étape", title=round_.title),
            _("Bonjour %(name)s,\n\nL'appel à solutions « %(title)s » de votre quartier entre "
              "dans une nouvelle étape : %(phase)s.\n\nVous recevez ce message parce que vous "
              "avez demandé à être prévenu·e des appels de votre quartier.",
              name=user.first_name, title=round_.title, phase=label))


for _phase in ORDER:
    on_enter(_phase)(notify_phase)
