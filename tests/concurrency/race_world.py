"""The data of the mixed race: five contests that run at once on the production stack.

Every round reaches its phase through the real services (vote, tally, publication), so that
the data itself keeps the invariants and ``check_invariants`` is silent before the race.
Returns plain values (ids, e-mails, costs): the objects expire at commit.
"""

import itertools
import random
from dataclasses import dataclass, field

import pyotp

from pdvsolutions.extensions import db
from pdvsolutions.models import BallotType, Need, Role, Round
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from .. import factories
from ..factories_funds import make_fund, make_org, make_sprint
from ..factories_needs import make_need, support
from ..factories_needs import make_round as make_needs_round
from ..factories_security import enrol
from ..factories_voting import add_member, make_proposal, make_round

#: Knapsack round: envelope and proposal costs (cents). Some subsets fit, others do not.
ENVELOPE = 100_000_00
COSTS = [60_000_00, 50_000_00, 30_000_00, 20_000_00]
#: Funds: the range of each decision's amount (cents); the fund holds 10 000 € more than all
#: prospects but one at the lowest amount, so the decisions always ask more than it holds.
DECISION_RANGE = (30_000_00, 45_000_00)
FUND_MARGIN = 10_000_00
#: Grants of a round: what each proposal asked, what staff grant (more: an adjustment); the
#: envelope leaves 10 000 € above the requests, so only some of the larger grants fit.
GRANT_REQUESTED = 30_000_00
GRANT_AMOUNT = 45_000_00
GRANT_MARGIN = 10_000_00


@dataclass
class World:
    staff: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, TOTP secret)
    knapsack: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)
    evaluation: dict = field(default_factory=dict)
    funds: dict = field(default_factory=dict)
    grants: dict = field(default_factory=dict)


def subsets(costs: dict[int, int]) -> tuple[list, list]:
    """Every non-empty set of proposals, split into (fits the envelope, exceeds it)."""
    fits, exceeds = [], []
    for size in range(1, len(costs) + 1):
        for chosen in itertools.combinations(sorted(costs), size):
            (fits if sum(costs[p] for p in chosen) <= ENVELOPE else exceeds).append(list(chosen))
    return fits, exceeds


def voted_round(title: str, costs: list[int], voters: list, *, envelope: int,
                phase: Phase) -> tuple[Round, list[int]]:
    """A committee round taken through a real vote (every voter approves every proposal,
    all fit) to ``phase``: follow-up or evaluation. Returns the round and proposal ids."""
    staff = factories.make_user(Role.STAFF)
    round_ = make_round(title, envelope_cents=envelope)
    proposals = [make_proposal(round_, f"{title} – action {n}", cost).id
                 for n, cost in enumerate(costs, 1)]
    for voter in voters:
        add_member(round_, voter)
    phases.change_phase(round_, Phase.VOTE, staff)
    for voter in voters:
        voting.cast_ballot(round_, voter, dict.fromkeys(proposals, 1))
    phases.change_phase(round_, Phase.RESULTS, staff)
    voting.tally_round(round_, staff)
    voting.publish_results(round_, staff)
    for step in (Phase.FOLLOW_UP, Phase.EVALUATION)[:1 + (phase is Phase.EVALUATION)]:
        phases.change_phase(round_, step, staff)
    return round_, proposals


def build(app, rng: random.Random, *, voters: int, supporters: int, evaluators: int,
          prospects: int, grants: int, staff: int = 4) -> World:
    """Create the five contests; the sizes are the numbers of people (or objects) in each."""
    world = World()
    with app.app_context():
        for _ in range(staff):
            secret = pyotp.random_base32()
            user = factories.make_user(Role.STAFF)
            enrol(user, secret)
            world.staff.append((user.email, secret))

        # 1. Knapsack ballots: each voter sends a ballot that fits and one that does not (some
        #    voters only the one that does not).
        round_ = make_round("Vote à budget limité", envelope_cents=ENVELOPE,
                            ballot_type=BallotType.KNAPSACK)
        costs = {make_proposal(round_, f"Action {n}", cost).id: cost
                 for n, cost in enumerate(COSTS, 1)}
        members = [add_member(round_) for _ in range(voters)]
        phases.change_phase(round_, Phase.VOTE, factories.make_user(Role.STAFF))
        fits, exceeds = subsets(costs)
        world.knapsack = {
            "round": round_.id, "costs": costs,
            "voters": [{"email": m.email, "valid": None if rng.random() < 0.2 else
                        rng.choice(fits), "over": rng.choice(exceeds)} for m in members]}

        # 2. Supports on needs, while two staff members merge needs into each other.
        needs_round = make_needs_round(Phase.NEEDS, title="Solutions attendues en course")
        author = factories.make_user(Role.RESIDENT)
        need_ids = [make_need(needs_round, author, title=f"Solution attendue {n}").id
                    for n in range(1, 7)]
        people = [factories.make_user(Role.RESIDENT) for _ in range(supporters)]
        world.needs = {
            "round": needs_round.id, "needs": need_ids,
            # n1 ⇄ n2 merged into each other at once; n3 merged into n4 and into n1 at once;
            # n5 and n6 are only supported.
            "merges": [(need_ids[0], need_ids[1]), (need_ids[1], need_ids[0]),
                       (need_ids[2], need_ids[3]), (need_ids[2], need_ids[0])],
            "supporters": [{"email": p.email, "needs": rng.sample(need_ids, rng.randint(1, 6))}
                           for p in people],
            # n8 merged into n7 while another staff member hides n7: one of the two wins.
            "hide_race": [make_need(needs_round, author, title=f"Solution attendue {n}").id
                          for n in (7, 8)]}
        support(db.session.get(Need, world.needs["hide_race"][1]),
                factories.make_user(Role.RESIDENT))

        # 3. Evaluations of the funded actions by the round's voters (and refused non-voters).
        people = [factories.make_user(Role.RESIDENT) for _ in range(evaluators)]
        eval_round, actions = voted_round("Évaluation en course", [20_000_00, 25_000_00],
                                          people, envelope=ENVELOPE, phase=Phase.EVALUATION)
        outsiders = [add_member(eval_round) for _ in range(2)]
        world.evaluation = {"round": eval_round.id, "actions": actions,
                            "voters": [p.email for p in people],
                            "outsiders": [p.email for p in outsiders]}

        # 4. Funding decisions on one fund, two at once for each pitched prospect.
        total = DECISION_RANGE[0] * (prospects - 1) + FUND_MARGIN
        fund = make_fund(total, name="Fonds de la course")
        pitched = [make_sprint(make_org(f"Structure en course {n}"), pitched=True).prospect_id
                   for n in range(prospects)]
        world.funds = {"fund": fund.id, "total": total, "prospects": pitched}

        # 5. Grants of a round's funded actions, two at once for each, above the envelope.
        people = [factories.make_user(Role.RESIDENT) for _ in range(2)]
        grant_round, funded = voted_round("Conventions en course", [GRANT_REQUESTED] * grants,
                                          people, envelope=GRANT_REQUESTED * grants + GRANT_MARGIN,
                                          phase=Phase.FOLLOW_UP)
        world.grants = {"round": grant_round.id, "proposals": funded}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world
