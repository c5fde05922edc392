"""Services of the needs area, inside an app context: merges, phase notifications, rounds."""

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError, NotAllowed
from pdvsolutions.extensions import db
from pdvsolutions.models import Need, NeedStatus, OutboxMessage, Role, Support, User
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import needs, phases

from ..factories import QPV_OTHER, make_user
from ..factories_needs import make_need, make_round, support


@pytest.fixture
def round_(app_ctx):
    return make_round(Phase.NEEDS)


def test_merge_keeps_exact_counts_across_several_merges(round_):
    author = make_user()
    kept, dup1, dup2 = (make_need(round_, author, title=t) for t in ("A", "B", "C"))
    people = [make_user() for _ in range(4)]
    support(kept, people[0])
    support(dup1, people[0], people[1])
    support(dup2, people[1], people[2], people[3])
    needs.merge(dup1, kept.id, author)
    needs.merge(dup2, kept.id, author)
    assert (kept.support_count, dup1.support_count, dup2.support_count) == (4, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count(Support.id))) == 4


def test_merging_a_need_that_regroups_others_points_them_at_the_kept_one(round_):
    author = make_user()
    kept, middle, first = (make_need(round_, author, title=t) for t in ("A", "B", "C"))
    people = [make_user() for _ in range(3)]
    support(first, people[0], people[1])
    support(middle, people[1])
    support(kept, people[2])
    needs.merge(first, middle.id, author)
    needs.merge(middle, kept.id, author)
    # No need stays merged into a merged one; every resident is counted once on the kept need.
    assert (first.merged_into_id, middle.merged_into_id) == (kept.id, kept.id)
    assert (kept.support_count, middle.support_count, first.support_count) == (3, 0, 0)
    assert set(db.session.scalars(sa.select(Support.need_id))) == {kept.id}


def test_merge_of_a_retained_need_is_refused(round_):
    author = make_user()
    kept = make_need(round_, author, title="A")
    retained = make_need(round_, author, title="B", status=NeedStatus.RETAINED)
    with pytest.raises(DomainError):
        needs.merge(retained, kept.id, author)


def test_post_need_by_resident_of_other_territory_is_not_allowed(round_):
    with pytest.raises(NotAllowed):
        needs.post_need(round_, make_user(qpv_code=QPV_OTHER), title="t", description="d",
                        field_id=round_.fields[0].id, place=None)


def test_phase_change_notifies_only_opted_in_residents_of_the_territory(round_):
    staff = make_user(Role.STAFF)
    make_need(round_, make_user(), status=NeedStatus.RETAINED)
    wants = make_user(notify_rounds=True)
    make_user(notify_rounds=False)
    make_user(notify_rounds=True, qpv_code=QPV_OTHER)
    make_user(notify_rounds=True, email=None, username="sansmail")
    phases.change_phase(round_, Phase.CALL, staff)
    addresses = db.session.scalars(sa.select(OutboxMessage.to_address)
                                   .where(OutboxMessage.kind == "round.phase")).all()
    assert addresses == [wants.email]


def test_withdraw_without_support_is_refused(round_):
    need = make_need(round_, make_user())
    with pytest.raises(DomainError):
        needs.withdraw(need, make_user())


def test_support_counts_through_the_list_rows(round_):
    need = make_need(round_, make_user())
    support(need, *(make_user() for _ in range(3)))
    for sort in needs.SORTS:
        rows, total, more = needs.page_rows(round_, sort, 1, 20)
        [(row_need, count)] = rows
        assert (row_need.id, count, total, more) == (need.id, 3, 1, False)


def test_hidden_need_text_is_kept(round_):
    need = make_need(round_, make_user())
    needs.hide(need, make_user(Role.STAFF), "Hors sujet")
    assert db.session.get(Need, need.id).description.startswith("Les cafards")
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 1


def test_find_resident_ignores_staff_accounts(round_):
    make_user(Role.STAFF, email="agent@example.org")
    assert needs.find_resident("agent@example.org") is None
    assert isinstance(needs.find_resident(make_user(email="x@example.org").email), User)


def test_support_count_follows_supports_and_withdrawals(round_):
    need = make_need(round_, make_user())
    people = [make_user() for _ in range(3)]
    for person in people:
        needs.support(need, person)
    needs.withdraw(need, people[0])
    stored = db.session.scalar(sa.select(sa.func.count(Support.id))
                               .where(Support.need_id == need.id))
    assert need.support_count == stored == 2


def test_in_territory_looks_up_one_pair_whatever_the_territory_size(round_):
    """One statement on the (territory, QPV) key: the territory's QPVs are not loaded."""
    from flask import current_app

    from pdvsolutions.models import Qpv

    from ..web.test_query_counts import counting_queries

    extra = [Qpv(code=f"QN0{i:05d}M", name=f"Quartier {i}", communes="Marseille",
                 department_code="013", epci_siren="200054807", epci_name="Métropole")
             for i in range(40)]
    db.session.add_all(extra)
    round_.territory.qpvs.extend(extra)
    home, far = make_user(), make_user(qpv_code=QPV_OTHER)
    inside, staff = make_user(qpv_code=extra[-1].code), make_user(Role.STAFF)
    db.session.commit()
    round_ = db.session.get(type(round_), round_.id)
    for user in (home, far, inside, staff):
        db.session.refresh(user)  # loaded before the count
    with counting_queries(current_app._get_current_object()) as statements:
        assert needs.in_territory(home, round_) and needs.in_territory(inside, round_)
        assert not needs.in_territory(far, round_)
        assert not needs.in_territory(staff, round_)  # staff never take part: no query
    assert len(statements) == 3
    assert not any("FROM qpvs" in s for s in statements)
    assert "qpvs" not in round_.territory.__dict__
