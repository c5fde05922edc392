"""Demo of the follow-up: a round in follow-up with grants, payments and reports; a round in
evaluation where some voters have evaluated; a closed round with its report and a next round
pre-filled from it. Idempotent: each round is looked up by its title first."""

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    CommitteeMember,
    Need,
    NeedStatus,
    Organization,
    OrganizationMember,
    ProgressReport,
    Proposal,
    ProposalStatus,
    Renew,
    ReportBudgetLine,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    Role,
    Round,
    RoundField,
    Territory,
    User,
)
from ..rules.phases import Phase
from ..services import evaluation, grants, voting
from ..services.phases import change_phase
from ..timeutil import utcnow

TERRITORY = "Marseille – Grand Saint-Barthélemy et Malpassé"
ORGANIZATIONS = [
    ("Association Réussite 13-14", "73282932000074", "W133000001"),
    ("Régie de quartier Malpassé", "44306184100047", None),
]
#: (title, phase) of the demo rounds, oldest first.
ROUNDS = [
    ("Appel à solutions 2024 – Grand Saint-Barthélemy", Phase.CLOSED),
    ("Appel à solutions 2025 – Grand Saint-Barthélemy", Phase.EVALUATION),
    ("Appel à solutions 2026 – Grand Saint-Barthélemy", Phase.FOLLOW_UP),
]
NEXT_TITLE = "Appel à solutions 2027 – Grand Saint-Barthélemy"
ACTIONS = [
    ("Soutien scolaire du soir au collège", "Des cours du soir pour les collégiens",
     "Éducation", 0, 1_800_000),
    ("Chantiers d'insertion propreté", "Plus de cafards dans les immeubles",
     "Cadre de vie", 1, 2_400_000),
]


def _one(query):
    return db.session.scalar(query)


def _organizations(operator: User) -> list[Organization]:
    orgs = []
    for name, siret, rna in ORGANIZATIONS:
        org = _one(sa.select(Organization).where(Organization.siret == siret))
        if org is None:
            org = Organization(name=name, legal_form="association" if rna else "regie",
                               siret=siret, rna=rna, verified_at=utcnow())
            db.session.add(org)
            db.session.flush()
            db.session.add(OrganizationMember(organization_id=org.id, user_id=operator.id,
                                              is_admin=True))
        orgs.append(org)
    return orgs


def _round(title: str, territory: Territory, orgs, members, staff) -> Round:
    """A round just after its published result, reached through a real vote: needs, the
    committee's ballots (each with its sign-in), the tally, the funded actions."""
    round_ = Round(territory_id=territory.id, title=title, phase=Phase.REVIEW,
                   envelope_cents=5_000_000,
                   presentation="Budget participatif de fonctionnement du quartier.",
                   created_by_id=staff.id,
                   fields=[RoundField(label="Éducation", position=0),
                           RoundField(label="Cadre de vie", position=1)])
    db.session.add(round_)
    db.session.flush()
    for title_, need_title, field_label, org_index, cents in ACTIONS:
        field = next(f for f in round_.fields if f.label == field_label)
        need = Need(round_id=round_.id, field_id=field.id, title=need_title,
                    description=need_title + ".", status=NeedStatus.RETAINED)
        db.session.add(need)
        db.session.add(Proposal(round_id=round_.id, organization_id=orgs[org_index].id,
                                title=title_, status=ProposalStatus.ELIGIBLE,
                                requested_cents=cents, submitted_at=utcnow(), needs=[need]))
    for member in members:
        db.session.add(CommitteeMember(round_id=round_.id, user_id=member.id,
                                       college="Conseil citoyen"))
    db.session.flush()
    change_phase(round_, Phase.VOTE, staff)
    # Both actions fit in the envelope: every member approves both, or the first one.
    proposals = voting.ballot_proposals(round_)
    for number, member in enumerate(members):
        voting.cast_ballot(round_, member, {p.id: 1 for p in proposals[:1 + number % 2]})
    change_phase(round_, Phase.RESULTS, staff)
    voting.tally_round(round_, staff)
    voting.publish_results(round_, staff)
    change_phase(round_, Phase.FOLLOW_UP, staff)
    return round_


def _grants_and_reports(round_: Round, staff: User, operator: User) -> None:
    year = 2024 + ROUNDS.index(next(r for r in ROUNDS if r[0] == round_.title))
    for index, proposal in enumerate(grants.funded_proposals(round_)):
        grant = grants.record_grant(
            proposal, staff, reference=f"DEL-{year}-{proposal.id:04d}",
            decided_on=date(year, 3, 2), amount_cents=proposal.requested_cents,
            adjustment_reason=None, years=[(year, proposal.requested_cents)])
        half = proposal.requested_cents // 2
        first = grants.plan_payment(grant, staff, planned_on=date(year, 3, 15),
                                    amount_cents=half, condition="À la signature")
        grants.plan_payment(grant, staff, planned_on=date(year, 10, 1),
                            amount_cents=proposal.requested_cents - half,
                            condition="Sur bilan intermédiaire")
        grants.record_paid(first, staff, date(year, 3, 20))
        db.session.add(ProgressReport(
            proposal_id=proposal.id, kind=ReportKind.INTERIM, submitted_by_id=operator.id,
            done="Séances hebdomadaires menées depuis le printemps, avec les parents.",
            people_reached=40 + 15 * index,
            status=ReportStatus.ACKNOWLEDGED if index == 0 else ReportStatus.SUBMITTED,
            indicators=[ReportIndicator(label="Personnes accompagnées", target=60,
                                        achieved=40 + 15 * index, unit="personnes")],
            budget_lines=[
                ReportBudgetLine(account_code="60", label="Achats", planned_cents=200_000,
                                 actual_cents=180_000),
                ReportBudgetLine(account_code="64", label="Charges de personnel",
                                 planned_cents=half, actual_cents=half - 50_000)]))
    db.session.flush()


def _evaluate(round_: Round, members: list[User], how_many: int) -> None:
    for n, member in enumerate(members[:how_many]):
        for proposal in evaluation.funded(round_):
            grade = 3 + (n + proposal.id) % 3
            evaluation.submit_evaluation(proposal, member, evaluation.Answers(
                grade, grade, max(grade - 1, 1), grade,
                "Action utile pour les familles du quartier." if n == 0 else "",
                Renew.YES if grade >= 4 else Renew.DONT_KNOW))


def load() -> str:
    territory = _one(sa.select(Territory).where(Territory.name == TERRITORY))
    staff = _one(sa.select(User).where(User.email == "agent@demo.pdvsolutions.fr"))
    operator = _one(sa.select(User).where(User.email == "operateur@demo.pdvsolutions.fr"))
    members = list(db.session.scalars(sa.select(User).where(User.username.like("membre%"))
                                      .order_by(User.id)))[:8]
    if None in (territory, staff, operator) or not members or staff.role is not Role.STAFF:
        return "demo follow-up: skipped (accounts step missing)"
    if _one(sa.select(Round.id).where(Round.title == ROUNDS[0][0])) is not None:
        return "demo follow-up: already loaded"
    orgs = _organizations(operator)
    for title, phase in ROUNDS:
        round_ = _round(title, territory, orgs, members, staff)
        _grants_and_reports(round_, staff, operator)
        if phase in (Phase.EVALUATION, Phase.CLOSED):
            change_phase(round_, Phase.EVALUATION, staff)
            _evaluate(round_, members, 6 if phase is Phase.CLOSED else 3)
        if phase is Phase.CLOSED:
            change_phase(round_, Phase.CLOSED, staff)
            evaluation.prepare_next_round(territory, staff, title=NEXT_TITLE,
                                          envelope_cents=5_500_000)
    return "demo follow-up: rounds in follow-up, evaluation and closed, next round pre-filled"
