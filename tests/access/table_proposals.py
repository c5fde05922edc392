"""Access table of issue 4: operators' space, staff review, public eligible proposals."""

import io

from pdvsolutions.models import ProposalStatus, Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import organizations as orgs

from .. import factories
from .. import factories_proposals as fp
from .matrix import Case

STAFF = frozenset({"staff"})
OWNER = frozenset({"operator"})
#: The other organisation's operator gets 404 on the first operator's objects (no leak).
#: Operators of other organisations (this table's persona and the funds table's) get 404.
HIDDEN = {"operator_other": 404, "operator_funds_other": 404}
EXTRA_PERSONAS = ["operator_other"]
PDF = b"%PDF-1.4\n% test\n"


def extend_world(world) -> None:
    other = factories.make_user(Role.OPERATOR, first_name="Yacine")
    world.add_persona("operator_other", other, {"operator"})
    operator = world.users["operator"]
    call = fp.make_round(Phase.CALL)
    organization = fp.make_org(operator)
    other_org = fp.make_org(other)
    proposal = fp.make_proposal(organization, call)
    fp.make_proposal(other_org, call, title="Autre proposition")
    document = orgs.store_document(organization, operator, orgs.DocumentKind.STATUTES,
                                   "statuts.pdf", io.BytesIO(PDF))
    review = fp.make_round(Phase.REVIEW, deadline_days=-1)
    submitted = fp.make_proposal(organization, review, status=ProposalStatus.SUBMITTED)
    vote = fp.make_round(Phase.VOTE, deadline_days=-20)
    eligible = fp.make_proposal(other_org, vote, status=ProposalStatus.ELIGIBLE)
    world.objects.update(call=call, org=organization, proposal=proposal, document=document,
                         line=proposal.budget_lines[0], indicator=proposal.indicators[0],
                         review=review, submitted=submitted, vote=vote, eligible=eligible)


def _p(suffix: str = ""):
    return lambda w: f"/structures/propositions/{w['proposal'].id}{suffix}"


def _o(suffix: str = ""):
    return lambda w: f"/structures/organisations/{w['org'].id}{suffix}"


CASES = [
    Case("operators.signup", "/structures/inscription", allowed={"anonymous"}, denied=302),
    Case("operators.home", "/structures/", allowed=OWNER),
    Case("operators.organization_new", "/structures/organisations/nouvelle", allowed=OWNER),
    Case("operators.organization_detail", _o(), allowed=OWNER, overrides=HIDDEN),
    Case("operators.organization_edit", _o("/modifier"), allowed=OWNER, overrides=HIDDEN),
    Case("operators.document_upload", _o("/documents"), method="POST", allowed=OWNER, ok=400,
         overrides=HIDDEN),
    Case("operators.document_download", lambda w: f"/structures/organisations/{w['org'].id}"
         f"/documents/{w['document'].id}", allowed=OWNER, overrides=HIDDEN),
    Case("operators.member_invite", _o("/membres"), method="POST", allowed=OWNER, ok=400,
         overrides=HIDDEN),
    Case("operators.proposal_new",
         lambda w: f"/structures/appels/{w['call'].id}/propositions/nouvelle", allowed=OWNER),
    Case("operators.proposal_detail", _p(), allowed=OWNER, overrides=HIDDEN),
    Case("operators.proposal_edit", _p("/modifier"), allowed=OWNER, overrides=HIDDEN),
    Case("operators.proposal_budget", _p("/budget"), allowed=OWNER, overrides=HIDDEN),
    Case("operators.budget_line_add", _p("/budget/lignes"), method="POST", allowed=OWNER,
         ok=400, overrides=HIDDEN),
    Case("operators.budget_line_delete",
         lambda w: f"/structures/propositions/{w['proposal'].id}/budget/lignes/"
         f"{w['line'].id}/supprimer", method="POST", allowed=OWNER, ok=302, overrides=HIDDEN),
    Case("operators.proposal_split", _p("/repartition"), method="POST", allowed=OWNER, ok=400,
         overrides=HIDDEN),
    Case("operators.indicator_add", _p("/indicateurs"), method="POST", allowed=OWNER, ok=400,
         overrides=HIDDEN),
    Case("operators.indicator_delete",
         lambda w: f"/structures/propositions/{w['proposal'].id}/indicateurs/"
         f"{w['indicator'].id}/supprimer", method="POST", allowed=OWNER, ok=302,
         overrides=HIDDEN),
    Case("operators.proposal_submit", _p("/deposer"), allowed=OWNER, overrides=HIDDEN),
    Case("staff.organization_list", "/agents/structures", allowed=STAFF),
    Case("staff.organization_show", lambda w: f"/agents/structures/{w['org'].id}",
         allowed=STAFF),
    Case("staff.organization_verify", lambda w: f"/agents/structures/{w['org'].id}/verifier",
         method="POST", allowed=STAFF, ok=302),
    Case("staff.organization_document", lambda w: f"/agents/structures/{w['org'].id}"
         f"/documents/{w['document'].id}", allowed=STAFF),
    Case("staff.review_round_list", "/agents/instruction", allowed=STAFF),
    Case("staff.review_board", lambda w: f"/agents/instruction/{w['review'].id}",
         allowed=STAFF),
    Case("staff.proposal_review",
         lambda w: f"/agents/instruction/propositions/{w['submitted'].id}", allowed=STAFF),
    Case("public.proposal_list", lambda w: f"/editions/{w['vote'].id}/propositions"),
    Case("public.proposal_show", lambda w: f"/propositions/{w['eligible'].id}"),
]
