"""Open data: needs, proposals, results, evaluation aggregates and SCDL "subventions" 2.1.1.

Each dataset is a list of columns and a function returning rows of plain values; the same
rows are written as CSV and JSON (UTF-8, ISO dates). No e-mail, person name or account id is
ever a column. Grants of every instrument are exported, each ``dispositifAide`` naming its
instrument: the round, the fund of the anti-appel à projets, or the multi-year agreement.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    ActionOutcome,
    AgreementTranche,
    Fund,
    FundEntry,
    Grant,
    Instrument,
    MultiYearAgreement,
    Need,
    NeedStatus,
    Proposal,
    ProposalStatus,
    Round,
)
from ..rules import evaluation as rules
from ..rules.phases import Phase

LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SCDL_FIELDS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
    "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide",
]

# The dispositifAide of fund and agreement grants. Values of an open dataset, not interface
# text: the file reads the same whatever the visitor's language (the SCDL schema is French).
FUND_DISPOSITIF = "Anti-appel à projets"
AGREEMENT_DISPOSITIF = "Convention pluriannuelle d'objectifs"


def _public_rounds():
    return sa.select(Round.id).where(Round.phase != Phase.DRAFT)


def _euros(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2).quantize(Decimal("0.01")))


def needs_rows() -> list[dict]:
    rows = db.session.execute(
        sa.select(Need, Need.support_count)
        .options(joinedload(Need.round).joinedload(Round.territory), joinedload(Need.field))
        .where(Need.round_id.in_(_public_rounds()),
               Need.status.in_([NeedStatus.PUBLISHED, NeedStatus.RETAINED]))
        .order_by(Need.id))
    return [{"id": n.id, "edition_id": n.round_id, "edition": n.round.title,
             "territoire": n.round.territory.name, "thematique": n.field.label,
             "titre": n.title, "description": n.description, "lieu": n.place or "",
             "statut": n.status.value, "soutiens": int(k),
             "date_publication": n.created_at.date().isoformat()} for n, k in rows]


def _proposal_row(p: Proposal) -> dict:
    return {"id": p.id, "edition_id": p.round_id, "edition": p.round.title,
            "structure": p.organization.name, "siret_structure": p.organization.siret,
            "titre": p.title, "montant_demande": _euros(p.requested_cents),
            "financee": p.funded_at is not None,
            "date_financement": p.funded_at.date().isoformat() if p.funded_at else ""}


#: What a proposal row shows of its round and organisation, loaded with the proposals.
_PROPOSAL_ROW = (joinedload(Proposal.round), joinedload(Proposal.organization))


def proposals_rows() -> list[dict]:
    return [_proposal_row(p) for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.status == ProposalStatus.ELIGIBLE,
                                  Proposal.round_id.in_(_public_rounds()))
        .options(*_PROPOSAL_ROW).order_by(Proposal.id))]


def results_rows() -> list[dict]:
    return [_proposal_row(p) for p in db.session.scalars(
        sa.select(Proposal).join(Round, Round.id == Proposal.round_id)
        .where(Proposal.funded_at.is_not(None), Round.results_published_at.is_not(None))
        .options(*_PROPOSAL_ROW).order_by(Proposal.id))]


def evaluations_rows() -> list[dict]:
    """Aggregates kept when each round closed: never one person's evaluation."""
    rows = []
    for o in db.session.scalars(sa.select(ActionOutcome).options(
            joinedload(ActionOutcome.proposal)).order_by(ActionOutcome.id)):
        row = {"edition_id": o.round_id, "proposition_id": o.proposal_id,
               "action": o.proposal.title, "votants": o.voters, "reponses": o.responses,
               "taux_reponse": _decimal(rules.rate(o.responses, o.voters), 4)}
        for criterion in rules.CRITERIA:
            total = getattr(o, f"sum_{criterion}")
            row[f"moyenne_{criterion}"] = _decimal(
                Fraction(total, o.responses) if o.responses else None, 2)
        row.update({"renouveler_oui": o.renew_yes, "renouveler_non": o.renew_no,
                    "renouveler_ne_sait_pas": o.renew_dont_know, "renouvelee": o.renewed})
        rows.append(row)
    return rows


def _decimal(value, places: int) -> str:
    return "" if value is None else str(rules.rounded(value, places))


def _payment_period(grant: Grant) -> tuple[str, str]:
    dates = sorted(p.planned_on for p in grant.payments)
    if len(dates) <= 1:
        when = dates[0] if dates else grant.decided_on
        return "unique", when.isoformat()
    return "échelonné", f"{dates[0].isoformat()}/{dates[-1].isoformat()}"


def _dispositifs() -> dict[int, str]:
    """Grant id → dispositifAide of the grants paid from a fund or under an agreement (CPO).

    A fund grant is known by its entries in the fund's ledger; an agreement grant by the
    tranche it released.
    """
    names = {grant_id: f"{FUND_DISPOSITIF} — {fund}" for grant_id, fund in db.session.execute(
        sa.select(FundEntry.grant_id, Fund.name).join(Fund, Fund.id == FundEntry.fund_id)
        .where(FundEntry.grant_id.is_not(None)).distinct())}
    names.update({grant_id: f"{AGREEMENT_DISPOSITIF} — {reference}"
                  for grant_id, reference in db.session.execute(
                      sa.select(AgreementTranche.grant_id, MultiYearAgreement.reference)
                      .join(MultiYearAgreement,
                            MultiYearAgreement.id == AgreementTranche.agreement_id)
                      .where(AgreementTranche.grant_id.is_not(None)))})
    return names


def _dispositif(grant: Grant, names: dict[int, str]) -> str:
    if grant.instrument is Instrument.ROUND:
        return grant.round.title if grant.round else ""
    default = FUND_DISPOSITIF if grant.instrument is Instrument.FUND else AGREEMENT_DISPOSITIF
    return names.get(grant.id, default)


def scdl_rows() -> list[dict]:
    """Every grant, in the SCDL "subventions" 2.1.1 columns."""
    config = current_app.config
    names = _dispositifs()
    rows = []
    for grant in db.session.scalars(
            sa.select(Grant).order_by(Grant.decided_on, Grant.id)
            .options(selectinload(Grant.organization), selectinload(Grant.round),
                     selectinload(Grant.payments))):
        conditions, period = _payment_period(grant)
        organization = grant.organization
        rows.append({
            "nomAttribuant": config["PDV_ATTRIBUANT_NAME"],
            "idAttribuant": config["PDV_ATTRIBUANT_SIRET"],
            "dateConvention": grant.decided_on.isoformat(),
            "referenceDecision": grant.reference,
            "nomBeneficiaire": organization.name,
            "idBeneficiaire": organization.siret,
            "rnaBeneficiaire": organization.rna or "",
            "objet": grant.purpose[:255],
            "montant": _euros(grant.amount_cents),
            "nature": "aide en numéraire",
            "conditionsVersement": conditions,
            "datesPeriodeVersement": period,
            "idRAE": "",
            "notificationUE": "non",
            "pourcentageSubvention": "1.00",
            "dispositifAide": _dispositif(grant, names),
        })
    return rows


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    rows: Callable[[], list[dict]]
    fields: list[str] | None = None


DATASETS = {d.slug: d for d in (
    Dataset("besoins", _l("Solutions attendues"),
            _l("Les besoins publiés par les habitants, avec leur nombre de soutiens."), needs_rows),
    Dataset("propositions", _l("Propositions recevables"),
            _l("Les réponses des structures jugées recevables."), proposals_rows),
    Dataset("resultats", _l("Résultats"),
            _l("Les actions financées à l'issue du vote."), results_rows),
    Dataset("evaluations", _l("Évaluations (agrégées)"),
            _l("Moyennes, taux de réponse et avis de renouvellement par action, une fois "
               "l'édition close."), evaluations_rows),
    Dataset("subventions", _l("Subventions (SCDL 2.1.1)"),
            _l("Les conventions de subvention au format national SCDL « subventions »."),
            scdl_rows, SCDL_FIELDS),
)}


def _columns(dataset: Dataset, rows: list[dict]) -> list[str]:
    return dataset.fields or (list(rows[0]) if rows else [])


def as_csv(dataset: Dataset) -> str:
    """The dataset as CSV text (comma-separated, header row, booleans as true/false)."""
    rows = dataset.rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(dataset, rows), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_json(dataset: Dataset) -> str:
    """The dataset as JSON: licence, columns and rows."""
    rows = dataset.rows()
    return json.dumps({"jeu": dataset.slug, "licence": LICENCE, "licence_url": LICENCE_URL,
                       "colonnes": _columns(dataset, rows), "donnees": rows},
                      ensure_ascii=False, indent=1, default=_cell)
