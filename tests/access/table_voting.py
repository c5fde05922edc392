"""Access table of the vote: committee ballot, staff committee and vote pages, public pages."""

from pdvsolutions.models import Role
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories
from ..factories_voting import add_member, make_proposal, make_round, vote_world
from .matrix import Case

STAFF = frozenset({"staff"})
RESIDENTS = frozenset({"resident"})
MEMBER = frozenset({"committee_member"})

EXTRA_PERSONAS = ["committee_member", "committee_other"]


def extend_world(world) -> None:
    """A round in vote (committee_member on its roll), a closed round (committee_other voted
    there) and a round still in review (its committee can be edited)."""
    open_ = vote_world(members=1)
    world["vote_round"] = open_["round"]
    world["vote_proposal"] = open_["proposals"][2]
    world.add_persona("committee_member", open_["members"][0], {"resident"})

    closed = vote_world(members=1)
    world["closed_round"] = closed["round"]
    voting.cast_ballot(closed["round"], closed["members"][0], {closed["proposals"][2].id: 1})
    phases.change_phase(closed["round"], Phase.RESULTS, closed["staff"])
    world.add_persona("committee_other", closed["members"][0], {"resident"})

    review = make_round("Appel en instruction")
    make_proposal(review, "Atelier vélo", 10_000_00)
    add_member(review, factories.make_user(Role.RESIDENT, username="membre.revue"))
    world["review_round"] = review


def _vote(w, tail=""):
    return f"/agents/appels/{w['vote_round'].id}/vote{tail}"


def _review(w, tail=""):
    return f"/agents/appels/{w['review_round'].id}/comite{tail}"


CASES = [
    # Committee blueprint: residents only; the ballot only for people on the round's roll.
    Case("committee.round_list", "/comite/", allowed=RESIDENTS),
    Case("committee.ballot_new", lambda w: f"/comite/appels/{w['vote_round'].id}/bulletin",
         allowed=MEMBER),
    Case("committee.ballot_review",
         lambda w: f"/comite/appels/{w['vote_round'].id}/bulletin/relecture", method="POST",
         allowed=MEMBER, data=lambda w: {"proposal": str(w["vote_proposal"].id)}),
    Case("committee.ballot_cast", lambda w: f"/comite/appels/{w['vote_round'].id}/bulletin",
         method="POST", allowed=MEMBER, data=lambda w: {"proposal": str(w["vote_proposal"].id)}),
    # Public pages: anyone; the board's JSON exists once the vote is closed.
    Case("public.round_results", lambda w: f"/appels/{w['closed_round'].id}/resultats"),
    Case("public.board_show", lambda w: f"/appels/{w['closed_round'].id}/bulletins"),
    Case("public.board_download", lambda w: f"/appels/{w['closed_round'].id}/bulletins.json"),
    Case("public.receipt_lookup", lambda w: f"/appels/{w['closed_round'].id}/recu?code=abc"),
    # Staff pages.
    Case("staff.vote_round_list", "/agents/votes", allowed=STAFF),
    Case("staff.committee_show", lambda w: _review(w), allowed=STAFF),
    Case("staff.committee_member_add", lambda w: _review(w, "/membres"), method="POST",
         allowed=STAFF, ok=302,
         data=lambda w: {"add-login": w.users["resident"].email, "add-college": "Conseil citoyen"}),
    Case("staff.committee_member_new", lambda w: _review(w, "/nouveau"), method="POST",
         allowed=STAFF, data={"new-first_name": "Nora", "new-username": "nora.b",
                              "new-qpv_code": factories.QPV_HOME,
                              "new-college": "Conseil citoyen"}),
    Case("staff.committee_member_remove",
         lambda w: _review(w, f"/membres/{voting_member_id(w)}/retrait"), method="POST",
         allowed=STAFF, ok=302),
    Case("staff.committee_open_vote_set", lambda w: _review(w, "/vote-ouvert"), method="POST",
         allowed=STAFF, ok=302),
    Case("staff.vote_show", lambda w: _vote(w), allowed=STAFF),
    Case("staff.vote_open", lambda w: f"/agents/appels/{w['review_round'].id}/vote/ouverture",
         method="POST", allowed=STAFF, ok=302),
    Case("staff.vote_close", lambda w: _vote(w, "/cloture"), method="POST", allowed=STAFF,
         ok=302),
    Case("staff.result_compute",
         lambda w: f"/agents/appels/{w['closed_round'].id}/vote/depouillement", method="POST",
         allowed=STAFF, ok=302),
    Case("staff.result_publish",
         lambda w: f"/agents/appels/{w['closed_round'].id}/vote/publication", method="POST",
         allowed=STAFF, ok=302),
    Case("staff.paper_ballot_new", lambda w: _vote(w, "/papier"), allowed=STAFF),
]


def voting_member_id(world) -> int:
    from pdvsolutions.services import committee

    return committee.members(world["review_round"])[0].id
