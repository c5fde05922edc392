"""Sourcing for the anti-appel à projets: challenges, spotted structures, contact history."""

import csv
import io
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from stdnum.fr import siret as siret_number

from ..errors import DomainError
from ..extensions import db
from ..models import (
    Challenge,
    ContactEntry,
    LegalForm,
    Organization,
    PartnerKind,
    Prospect,
    Territory,
    User,
)
from ..rules.pipeline import AUTOMATIC, ProspectStatus, can_move
from ..timeutil import today, utcnow
from . import audit


def create_challenge(*, title: str, description: str, territory_id: int, field: str,
                     partner_kind: PartnerKind, partner_name: str) -> Challenge:
    if db.session.get(Territory, territory_id) is None:
        raise DomainError(_l("Choisissez un territoire de la liste."), field="territory_id")
    challenge = Challenge(title=title, description=description, territory_id=territory_id,
                          field=field, partner_kind=partner_kind, partner_name=partner_name)
    db.session.add(challenge)
    db.session.flush()
    audit.record("challenge.created", challenge)
    return challenge


def clean_siret(raw: str) -> str:
    """The SIRET without spaces, checked with python-stdnum (Luhn, La Poste exception)."""
    compact = siret_number.compact(raw or "")
    if not siret_number.is_valid(compact):
        raise DomainError(_l("Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle)."),
                          field="siret")
    return compact


def find_or_create_organization(*, organization_id: int | None, name: str, siret: str,
                                legal_form: LegalForm) -> Organization:
    """An existing organisation, or a new one with a valid SIRET (one per SIRET)."""
    if organization_id:
        organization = db.session.get(Organization, organization_id)
        if organization is None:
            raise DomainError(_l("Choisissez une structure de la liste."),
                              field="organization_id")
        return organization
    if not name.strip():
        raise DomainError(_l("Indiquez le nom de la nouvelle structure."), field="name")
    compact = clean_siret(siret)
    existing = db.session.scalar(sa.select(Organization).where(Organization.siret == compact))
    if existing is not None:
        return existing
    organization = Organization(name=name.strip(), siret=compact, legal_form=legal_form)
    db.session.add(organization)
    db.session.flush()
    audit.record("organization.created", organization, details={"via": "sourcing"})
    return organization


def spot_structure(challenge: Challenge, organization: Organization, notes: str) -> Prospect:
    """Record a structure spotted for a challenge (once per challenge)."""
    duplicate = db.session.scalar(sa.select(Prospect.id).where(
        Prospect.challenge_id == challenge.id, Prospect.organization_id == organization.id))
    if duplicate is not None:
        raise DomainError(_l("Cette structure est déjà repérée pour ce défi."),
                          field="organization_id")
    prospect = Prospect(challenge=challenge, organization=organization, notes=notes)
    db.session.add(prospect)
    db.session.flush()
    audit.record("prospect.spotted", prospect, details={"challenge": challenge.id,
                                                        "organization": organization.id})
    return prospect


def add_contact(prospect: Prospect, author: User, *, contacted_on: date, channel: str,
                summary: str) -> ContactEntry:
    if contacted_on > today():
        raise DomainError(_l("La date d'un contact ne peut pas être dans le futur."),
                          field="contacted_on")
    entry = ContactEntry(prospect=prospect, author_id=author.id, contacted_on=contacted_on,
                         channel=channel, summary=summary)
    db.session.add(entry)
    db.session.flush()
    audit.record("prospect.contact_added", prospect, details={"entry": entry.id})
    return entry


def move_prospect(prospect: Prospect, target: ProspectStatus) -> None:
    """Move along the pipeline; the rules refuse any other move. Audited."""
    if not can_move(prospect.status, target):
        raise DomainError(_l("Ce changement de statut n'est pas permis."), field="status")
    previous = prospect.status
    prospect.status = target
    prospect.status_changed_at = utcnow()
    db.session.flush()
    audit.record("prospect.status_changed", prospect,
                 details={"from": previous.value, "to": target.value})


def set_status_by_hand(prospect: Prospect, target: ProspectStatus) -> None:
    """Staff's manual moves (contacted, dropped); the others go through their own forms."""
    if target in AUTOMATIC:
        raise DomainError(_l("Ce statut se pose avec son propre formulaire (sprint, pitch, "
                             "décision)."), field="status")
    move_prospect(prospect, target)


def board() -> dict[ProspectStatus, list[Prospect]]:
    """Prospects grouped by status, in pipeline order."""
    columns: dict[ProspectStatus, list[Prospect]] = {status: [] for status in ProspectStatus}
    rows = db.session.scalars(sa.select(Prospect).options(
        joinedload(Prospect.challenge), joinedload(Prospect.organization))
        .order_by(Prospect.status_changed_at.desc()))
    for prospect in rows:
        columns[prospect.status].append(prospect)
    return columns


CSV_HEADER = ["id", "defi", "territoire", "partenaire", "structure", "siret", "statut",
              "statut_depuis", "sprint_debut", "sprint_jours", "decision", "montant_euros"]


def pipeline_csv() -> str:
    """The pipeline for staff: organisations only, no notes nor contact history (personal)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    rows = db.session.scalars(sa.select(Prospect).options(
        joinedload(Prospect.challenge).joinedload(Challenge.territory),
        joinedload(Prospect.organization), joinedload(Prospect.sprint),
        selectinload(Prospect.decisions)).order_by(Prospect.id))
    for p in rows:
        decision = p.decisions[-1] if p.decisions else None
        writer.writerow([
            p.id, _cell(p.challenge.title), _cell(p.challenge.territory.name),
            _cell(p.challenge.partner_name), _cell(p.organization.name), p.organization.siret,
            p.status.value, p.status_changed_at.date().isoformat(),
            p.sprint.starts_on.isoformat() if p.sprint else "",
            p.sprint.length_days if p.sprint else "",
            decision.outcome.value if decision else "",
            _decimal(decision.amount_cents) if decision else "",
        ])
    return out.getvalue()


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"
