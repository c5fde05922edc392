"""Test data of the needs area: rounds in a given phase, needs, supports."""

from datetime import date

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, Round, RoundField, RoundMilestone, Support
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import needs

from .factories import territory

FIELDS = ["Éducation", "Emploi et insertion", "Cadre de vie", "Santé", "Culture"]


def make_round(phase: Phase = Phase.NEEDS, territory_name: str = "Marseille Nord",
               envelope_cents: int = 12_000_000, title: str = "Appel 2026") -> Round:
    round_ = Round(territory=territory(territory_name), title=title, phase=phase,
                   presentation="Un budget de fonctionnement décidé avec les habitants.",
                   envelope_cents=envelope_cents,
                   fields=[RoundField(label=label, position=i) for i, label in enumerate(FIELDS)],
                   milestones=[RoundMilestone(phase=Phase.NEEDS, planned_on=date(2026, 3, 1)),
                               RoundMilestone(phase=Phase.CALL, planned_on=date(2026, 5, 1))])
    db.session.add(round_)
    db.session.flush()
    return round_


def make_need(round_: Round, author, title: str = "On ne veut plus de cafards dans le quartier",
              field_index: int = 2, **fields) -> Need:
    need = Need(round_id=round_.id, author_id=author.id if author else None,
                field_id=round_.fields[field_index].id, title=title,
                description="Les cafards reviennent chaque été dans les bâtiments.", **fields)
    db.session.add(need)
    db.session.flush()
    return need


def support(need: Need, *users) -> None:
    db.session.add_all(Support(need_id=need.id, user_id=u.id) for u in users)
    needs.recount_supports([need.id])


def needs_world() -> dict:
    """A round in ``needs`` on Marseille Nord, a resident there, one elsewhere, a staff member.

    Returns ids (the objects expire at commit).
    """
    from pdvsolutions.models import Role

    from .factories import QPV_OTHER, make_user

    round_ = make_round(Phase.NEEDS)
    resident = make_user(Role.RESIDENT, email="samia@example.org")
    neighbour = make_user(Role.RESIDENT, email="karim@example.org", first_name="Karim")
    other = make_user(Role.RESIDENT, email="lucie@example.org", qpv_code=QPV_OTHER)
    staff = make_user(Role.STAFF, email="agent@example.org")
    need = make_need(round_, resident)
    db.session.commit()
    return {"round": round_.id, "resident": resident.id, "neighbour": neighbour.id,
            "other": other.id, "staff": staff.id, "need": need.id,
            "fields": [f.id for f in round_.fields]}
