"""Access table of the anti-appel à projets (staff), the CPO (staff) and the operators'
sprint pages (their own organisations only: another organisation's objects are 404)."""

from pdvsolutions.models import Role

from .. import factories
from ..factories_funds import (
    add_budget,
    make_agreement,
    make_fund,
    make_org,
    make_prospect,
    make_sprint,
)
from .matrix import Case

STAFF = frozenset({"staff"})
OPERATOR = frozenset({"operator"})
#: The operator of another organisation gets 404 on the first operator's objects.
#: Operators of other organisations (this table's persona and the proposals table's) get 404.
OTHER_404 = {"operator_funds_other": 404, "operator_other": 404}
EXTRA_PERSONAS = ["operator_funds_other"]


def extend_world(world) -> None:
    other = factories.make_user(Role.OPERATOR, first_name="Yanis")
    world.add_persona("operator_funds_other", other, {"operator"})
    make_org("Structure de l'autre opérateur", member=other)
    organization = make_org("Structure de l'opérateur", member=world.users["operator"])
    world["fund"] = make_fund()
    world["prospect"] = make_prospect(status="contacted")
    world["sprint"] = make_sprint(organization)
    add_budget(world["sprint"], world.users["operator"])
    world["pitched"] = make_sprint(pitched=True).prospect
    world["agreement"] = make_agreement(organization)


def _sprint(w):
    return w["sprint"].id


CASES = [
    Case("staff.fund_list", "/agents/fonds", allowed=STAFF),
    Case("staff.fund_new", "/agents/fonds/nouveau", allowed=STAFF),
    Case("staff.fund_detail", lambda w: f"/agents/fonds/{w['fund'].id}", allowed=STAFF),
    Case("staff.challenge_list", "/agents/defis", allowed=STAFF),
    Case("staff.challenge_new", "/agents/defis/nouveau", allowed=STAFF),
    Case("staff.prospect_new",
         lambda w: f"/agents/defis/{w['prospect'].challenge_id}/structures/nouvelle",
         allowed=STAFF),
    Case("staff.prospect_board", "/agents/reperage", allowed=STAFF),
    Case("staff.prospect_export", "/agents/reperage.csv", allowed=STAFF),
    Case("staff.prospect_detail", lambda w: f"/agents/reperage/{w['prospect'].id}",
         allowed=STAFF),
    # An empty form re-renders with its errors (400) and changes nothing.
    Case("staff.contact_add", lambda w: f"/agents/reperage/{w['prospect'].id}/contacts",
         method="POST", allowed=STAFF, ok=400),
    Case("staff.prospect_status_set", lambda w: f"/agents/reperage/{w['prospect'].id}/statut",
         method="POST", allowed=STAFF, ok=400),
    Case("staff.sprint_new", lambda w: f"/agents/reperage/{w['prospect'].id}/sprint",
         allowed=STAFF),
    Case("staff.sprint_detail", lambda w: f"/agents/sprints/{_sprint(w)}", allowed=STAFF),
    Case("staff.sprint_journal_add", lambda w: f"/agents/sprints/{_sprint(w)}/journal",
         method="POST", allowed=STAFF, ok=400),
    Case("staff.checkpoint_done",
         lambda w: f"/agents/sprints/{_sprint(w)}/jalons/{w['sprint'].checkpoints[0].id}",
         method="POST", allowed=STAFF, ok=302),
    Case("staff.decision_new", lambda w: f"/agents/reperage/{w['pitched'].id}/decision",
         allowed=STAFF),
    Case("staff.agreement_list", "/agents/cpo", allowed=STAFF),
    Case("staff.agreement_new", "/agents/cpo/nouvelle", allowed=STAFF),
    Case("staff.agreement_detail", lambda w: f"/agents/cpo/{w['agreement'].id}", allowed=STAFF),
    Case("staff.review_new",
         lambda w: f"/agents/cpo/tranches/{w['agreement'].tranches[1].id}/revue",
         allowed=STAFF),
    Case("sprints_op.sprint_list", "/structures/sprints/", allowed=OPERATOR),
    Case("sprints_op.sprint_detail", lambda w: f"/structures/sprints/{_sprint(w)}",
         allowed=OPERATOR, overrides=OTHER_404),
    Case("sprints_op.journal_add", lambda w: f"/structures/sprints/{_sprint(w)}/journal",
         method="POST", allowed=OPERATOR, ok=400, overrides=OTHER_404),
    Case("sprints_op.deliverables_edit", lambda w: f"/structures/sprints/{_sprint(w)}/livrables",
         allowed=OPERATOR, overrides=OTHER_404),
    # An empty line is re-rendered with its errors (400); a line of the sprint is deleted.
    Case("sprints_op.budget_line_add",
         lambda w: f"/structures/sprints/{_sprint(w)}/livrables/budget/lignes",
         method="POST", allowed=OPERATOR, ok=400, overrides=OTHER_404),
    Case("sprints_op.budget_line_delete",
         lambda w: f"/structures/sprints/{_sprint(w)}/livrables/budget/lignes/"
                   f"{w['sprint'].budget_lines[0].id}/supprimer",
         method="POST", allowed=OPERATOR, ok=302, overrides=OTHER_404),
    Case("sprints_op.agreement_detail",
         lambda w: f"/structures/sprints/conventions/{w['agreement'].id}",
         allowed=OPERATOR, overrides=OTHER_404),
]
