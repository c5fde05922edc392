"""Every page that lists rows sends as many SQL statements with 3N rows as with N (issue 9).

The pages come from the blueprints (public, residents, committee, evaluation, operators,
staff); each entry names the persona of the access world that may see the page and a
function adding N rows of what the page lists, each with its own related objects (author,
organisation, voter…) so that a query per row or per related object shows. N stays below the
page size: a paginated page would otherwise show the same number of rows twice. Pages that
can only be built once (results, the bulletin board, the evaluation summary) compare two
rounds, one with N rows and one with 3N.
"""

import itertools
from dataclasses import dataclass

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    NeedStatus,
    OrganizationMember,
    OutboxMessage,
    ProgressReport,
    ProposalStatus,
    Qpv,
    ReportBudgetLine,
    ReportKind,
    Role,
    Territory,
    VoterRollEntry,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation, grants, phases, sprints, voting

from .. import factories
from .. import factories_followup as ff
from .. import factories_funds as ffunds
from .. import factories_needs as fneeds
from .. import factories_proposals as fprops
from .. import factories_voting as fvote
from ..access.matrix import login_as
from ..access.world import rebind, world_app, world_template  # noqa: F401  (fixtures)
from .test_query_counts import assert_constant_queries, queries_of

#: Rows added before the first measure (then twice as many): below every page size.
ROWS = 4
_serial = itertools.count(1)


def _name(prefix: str) -> str:
    return f"{prefix} {next(_serial)}"


def _org(member=None):
    return ffunds.make_org(_name("Structure"), member=member)


def _resident():
    return factories.make_user(Role.RESIDENT, first_name=_name("Habitant"))


# -- what each page lists ---------------------------------------------------------------------

def add_rounds(phase: Phase):
    def grow(w, n):
        for _ in range(n):
            round_ = fneeds.make_round(phase, title=_name("Appel"))
            fneeds.make_need(round_, _resident(), status=NeedStatus.RETAINED
                             if phase is not Phase.NEEDS else NeedStatus.PUBLISHED)
    return grow


def add_needs(status: NeedStatus = NeedStatus.PUBLISHED, round_key: str = "round"):
    def grow(w, n):
        for i in range(n):
            need = fneeds.make_need(w[round_key], _resident(), title=_name("Besoin"),
                                    field_index=i % 3, status=status)
            fneeds.support(need, _resident(), w.users["resident"])
    return grow


def add_my_needs(w, n):
    for _ in range(n):
        fneeds.make_need(w["round"], w.users["resident"], title=_name("Mon besoin"))


def add_eligible_proposals(round_key: str, status=ProposalStatus.ELIGIBLE):
    def grow(w, n):
        for _ in range(n):
            fprops.make_proposal(_org(factories.make_user(Role.OPERATOR)), w[round_key],
                                 status=status, title=_name("Proposition"))
    return grow


def add_operator_proposals(w, n):
    for _ in range(n):
        fprops.make_proposal(w["org"], w["call"], title=_name("Proposition"))


def add_committee_rounds(w, n):
    for _ in range(n):
        round_ = fvote.make_round(_name("Appel du comité"))
        fvote.add_member(round_, w.users["committee_member"])


def add_committee_members(w, n):
    for _ in range(n):
        fvote.add_member(w["review_round"], _resident())


def add_roll_entries(w, n):
    roll = voting.roll_of(w["vote_round"])
    for _ in range(n):
        db.session.add(VoterRollEntry(roll_id=roll.id, user_id=_resident().id,
                                      college="Conseil citoyen", pseudonym=_name("p")))
    db.session.flush()


def add_vote_rounds(w, n):
    for _ in range(n):
        fvote.vote_world(members=1)


def add_funded_proposals(w, n):
    for _ in range(n):
        ff.make_proposal(w["fu_round"], _org(), title=_name("Action"))


def add_evaluations(w, n):
    for _ in range(n):
        evaluation.submit_evaluation(w["fu_funded"], ff.make_voter(w["fu_round"]),
                                     evaluation.Answers(4, 3, 5, 4, _name("Avis"),
                                                        evaluation.Renew.YES))


def add_signed_voters(w, n):
    for _ in range(n):
        ff.make_voter(w["fu_round"])


def add_reports(w, n, *, status="submitted"):
    for _ in range(n):
        db.session.add(ProgressReport(
            proposal_id=w["fu_funded"].id, kind=ReportKind.INTERIM, done=_name("Séances"),
            people_reached=10, status=status, budget_lines=[ReportBudgetLine(
                account_code="60", label="Achats", planned_cents=1000, actual_cents=900)]))
    db.session.flush()


def add_acknowledged_reports(w, n):
    add_reports(w, n, status="acknowledged")


def add_reported_actions(w, n):
    """Funded actions of the operator's organisation, each with a report."""
    for _ in range(n):
        proposal = ff.make_proposal(w["fu_round"], w["fu_funded"].organization,
                                    title=_name("Action"))
        db.session.add(ProgressReport(proposal_id=proposal.id, kind=ReportKind.INTERIM,
                                      done=_name("Séances"), people_reached=10))
    db.session.flush()


def add_payments(w, n):
    for _ in range(n):
        grants.plan_payment(w["fu_grant"], w.users["staff"], planned_on=ff.GRANT_DATE,
                            amount_cents=1000, condition=_name("Tranche"))


def add_followup_rounds(w, n):
    for _ in range(n):
        round_ = ff.make_round(Phase.FOLLOW_UP, title=_name("Édition"))
        ff.make_proposal(round_, _org())


def add_outbox(w, n):
    for _ in range(n):
        user = _resident()
        db.session.add(OutboxMessage(user_id=user.id, to_address=user.email, kind="test",
                                     subject=_name("Objet"), body="Bonjour"))
    db.session.flush()


def add_territories(w, n):
    for _ in range(n):
        code = f"QN99{next(_serial):03d}M"
        qpv = Qpv(code=code, name=_name("Quartier"), communes="Marseille",
                  department_code="013", epci_siren="200054807", epci_name="Métropole")
        db.session.add(Territory(name=_name("Territoire"), qpvs=[qpv]))
    db.session.flush()


def add_organizations(w, n):
    for _ in range(n):
        _org(factories.make_user(Role.OPERATOR))


def add_org_members(w, n):
    for _ in range(n):
        db.session.add(OrganizationMember(organization_id=w["org"].id,
                                          user_id=factories.make_user(Role.OPERATOR).id))
    db.session.flush()


def add_review_rounds(w, n):
    for _ in range(n):
        round_ = fprops.make_round(Phase.REVIEW, deadline_days=-1)
        fprops.make_proposal(_org(), round_, status=ProposalStatus.SUBMITTED)


def add_funds(w, n):
    for _ in range(n):
        ffunds.make_fund(name=_name("Fonds"))


def add_challenges(w, n):
    for _ in range(n):
        ffunds.make_prospect(challenge=ffunds.make_challenge(_name("Défi")))


def add_prospects(w, n):
    for _ in range(n):
        ffunds.make_prospect()


def add_operator_sprints(w, n):
    organization = w["sprint"].prospect.organization
    for _ in range(n):
        ffunds.make_sprint(organization)


def add_journal(w, n):
    for _ in range(n):
        sprints.add_journal_entry(w["sprint"], w.users["staff"], _name("Appel avec la structure"))


def add_agreements(w, n):
    for _ in range(n):
        ffunds.make_agreement(_org(), reference=_name("CPO"))


def add_public_grants(w, n):
    for _ in range(n):
        round_ = ff.make_round(Phase.FOLLOW_UP, title=_name("Édition"))
        proposal = ff.make_proposal(round_, _org(), title=_name("Action"))
        grants.record_grant(proposal, w.users["staff"], reference=_name("DEL"),
                            decided_on=ff.GRANT_DATE, amount_cents=proposal.requested_cents,
                            adjustment_reason=None, years=[(2026, proposal.requested_cents)])


@dataclass
class Page:
    name: str
    url: object  # str or World -> str
    persona: str
    grow: object  # (World, n) -> None

    def resolve(self, world) -> str:
        return self.url(world) if callable(self.url) else self.url


def _r(key, tail=""):
    return lambda w: f"/appels/{w[key].id}{tail}"


PAGES = [
    Page("home (open rounds)", "/", "anonymous", add_rounds(Phase.NEEDS)),
    Page("public round list", "/appels", "anonymous", add_rounds(Phase.NEEDS)),
    Page("public needs list by supports", _r("round", "/solutions"), "resident", add_needs()),
    Page("public needs list by date", _r("round", "/solutions?tri=recent"), "anonymous",
         add_needs()),
    Page("public needs list by field", _r("round", "/solutions?tri=field"), "anonymous",
         add_needs()),
    Page("public call", _r("call_round", "/appel"), "anonymous",
         add_needs(NeedStatus.RETAINED, "call_round")),
    Page("printable call", _r("call_round", "/appel/imprimer"), "anonymous",
         add_needs(NeedStatus.RETAINED, "call_round")),
    Page("public proposals", lambda w: f"/editions/{w['vote'].id}/propositions", "anonymous",
         add_eligible_proposals("vote")),
    Page("open data: needs", "/donnees-ouvertes/besoins.csv", "anonymous", add_needs()),
    Page("open data: needs (JSON)", "/donnees-ouvertes/besoins.json", "anonymous",
         add_needs()),
    Page("open data: proposals", "/donnees-ouvertes/propositions.csv", "anonymous",
         add_eligible_proposals("vote")),
    Page("open data: results", "/donnees-ouvertes/resultats.csv", "anonymous",
         add_funded_proposals),
    Page("open data: evaluations", "/donnees-ouvertes/evaluations.csv", "anonymous",
         add_evaluations),
    Page("open data: grants (SCDL)", "/donnees-ouvertes/subventions.csv", "anonymous",
         add_public_grants),
    Page("my needs", "/habitants/mes-solutions", "resident", add_my_needs),
    Page("committee: my rounds", "/comite/", "committee_member", add_committee_rounds),
    Page("evaluation: actions to evaluate", lambda w: f"/evaluation/{w['fu_round'].id}",
         "voter", add_funded_proposals),
    Page("operator home", "/structures/", "operator", add_operator_proposals),
    Page("operator reports", "/structures/bilans/", "operator", add_reported_actions),
    Page("committee: reports of the round",
         lambda w: f"/comite/appels/{w['fu_round'].id}/bilans", "voter", add_reported_actions),
    Page("public page of a funded action",
         lambda w: f"/appels/{w['fu_round'].id}/actions/{w['fu_funded'].id}", "anonymous",
         add_acknowledged_reports),
    Page("operator sprints", "/structures/sprints/", "operator", add_operator_sprints),
    Page("staff rounds", "/agents/appels", "staff", add_rounds(Phase.NEEDS)),
    Page("staff moderation", lambda w: f"/agents/appels/{w['round'].id}/solutions", "staff",
         add_needs()),
    Page("staff moderation (hidden)",
         lambda w: f"/agents/appels/{w['round'].id}/solutions?statut=hidden", "staff",
         add_needs(NeedStatus.HIDDEN)),
    Page("staff outbox", "/agents/courriels", "staff", add_outbox),
    Page("staff territories", "/agents/territoires", "staff", add_territories),
    Page("staff organisations", "/agents/structures", "staff", add_organizations),
    Page("staff organisation page", lambda w: f"/agents/structures/{w['org'].id}", "staff",
         add_org_members),
    Page("staff review rounds", "/agents/instruction", "staff", add_review_rounds),
    Page("staff review board", lambda w: f"/agents/instruction/{w['review'].id}", "staff",
         add_eligible_proposals("review", ProposalStatus.SUBMITTED)),
    Page("staff vote rounds", "/agents/votes", "staff", add_vote_rounds),
    Page("staff committee", lambda w: f"/agents/appels/{w['review_round'].id}/comite",
         "staff", add_committee_members),
    Page("staff paper ballot (voters left)",
         lambda w: f"/agents/appels/{w['vote_round'].id}/vote/papier", "staff",
         add_roll_entries),
    Page("staff follow-up rounds", "/agents/suivi", "staff", add_followup_rounds),
    Page("staff follow-up of a round", lambda w: f"/agents/suivi/{w['fu_round'].id}", "staff",
         add_funded_proposals),
    Page("staff grant and payments", lambda w: f"/agents/conventions/{w['fu_grant'].id}",
         "staff", add_payments),
    Page("staff evaluation comments",
         lambda w: f"/agents/evaluation/{w['fu_round'].id}/commentaires", "staff",
         add_evaluations),
    Page("staff evaluation report", lambda w: f"/agents/evaluation/{w['fu_round'].id}/rapport",
         "staff", add_evaluations),
    Page("staff evaluation report (CSV)",
         lambda w: f"/agents/evaluation/{w['fu_round'].id}/rapport.csv", "staff",
         add_evaluations),
    Page("staff paper evaluation (voters)",
         lambda w: f"/agents/evaluation/{w['fu_round'].id}/papier", "staff", add_signed_voters),
    Page("staff funds", "/agents/fonds", "staff", add_funds),
    Page("staff challenges", "/agents/defis", "staff", add_challenges),
    Page("staff sourcing board", "/agents/reperage", "staff", add_prospects),
    Page("staff sourcing export", "/agents/reperage.csv", "staff", add_prospects),
    Page("staff sprint journal", lambda w: f"/agents/sprints/{w['sprint'].id}", "staff",
         add_journal),
    Page("staff CPO list", "/agents/cpo", "staff", add_agreements),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_list_page_queries_do_not_grow_with_rows(world_app, page):  # noqa: F811
    app, world = world_app
    client = app.test_client()
    with app.app_context():
        world = rebind(world)
        url = page.resolve(world)
        login_as(client, world.users[page.persona])
    world_ids = world

    def grow(n):
        page.grow(rebind(world_ids), n)

    assert_constant_queries(client, url, grow, rows=ROWS)


# -- pages built once: two rounds, N and 3N rows ----------------------------------------------

def _voted_round(ballots: int, *, publish: bool) -> int:
    """A round whose vote is closed with ``ballots`` ballots (and published results)."""
    world = fvote.vote_world(members=ballots)
    for member, proposal in zip(world["members"], itertools.cycle(world["proposals"])):
        voting.cast_ballot(world["round"], member, {proposal.id: 1})
    phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
    if publish:
        voting.tally_round(world["round"], world["staff"])
        voting.publish_results(world["round"], world["staff"])
    return world["round"].id


def _closed_round(actions: int) -> int:
    """A closed round with ``actions`` funded proposals, each evaluated and reported on."""
    staff = factories.make_user(Role.STAFF)
    round_ = ff.make_round(Phase.EVALUATION, title=_name("Édition close"))
    for _ in range(actions):
        proposal = ff.make_proposal(round_, _org(), title=_name("Action"))
        evaluation.submit_evaluation(proposal, ff.make_voter(round_), evaluation.Answers(
            5, 4, 4, 5, _name("Avis"), evaluation.Renew.YES))
        db.session.add(ProgressReport(proposal_id=proposal.id, kind=ReportKind.FINAL,
                                      done="Fait", people_reached=5, status="acknowledged"))
    phases.change_phase(round_, Phase.CLOSED, staff)
    return round_.id


def _assert_same_queries(app, build, url_of, persona=None):
    client = app.test_client()
    with app.app_context():
        small, large = build(ROWS), build(3 * ROWS)
        db.session.commit()
        if persona is not None:
            login_as(client, factories.make_user(persona))
            db.session.commit()
    for url in (url_of(small), url_of(large)):  # the same warm-up for both (caches filled)
        queries_of(client, url)
    few, many = queries_of(client, url_of(small)), queries_of(client, url_of(large))
    assert len(many) <= len(few), (f"{url_of(large)}: {len(few)} statements with {ROWS} rows, "
                                   f"{len(many)} with {3 * ROWS}:\n" + "\n".join(many))


@pytest.mark.parametrize(("build", "url_of"), [
    (lambda n: _voted_round(n, publish=True), lambda r: f"/appels/{r}/resultats"),
    (lambda n: _voted_round(n, publish=False), lambda r: f"/appels/{r}/bulletins"),
    (lambda n: _voted_round(n, publish=False), lambda r: f"/appels/{r}/bulletins.json"),
    (_closed_round, lambda r: f"/editions/{r}/evaluation"),
], ids=["results", "board", "board JSON", "evaluation summary"])
def test_vote_and_evaluation_pages_queries_do_not_grow(app, build, url_of):
    _assert_same_queries(app, build, url_of)


def test_staff_vote_page_queries_do_not_grow_with_ballots(app):
    _assert_same_queries(app, lambda n: _voted_round(n, publish=True),
                         lambda r: f"/agents/appels/{r}/vote", persona=Role.STAFF)

