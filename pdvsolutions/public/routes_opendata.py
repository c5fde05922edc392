"""Public open-data page ("Données ouvertes") and its CSV / JSON downloads."""

from flask import abort, make_response, render_template

from ..services import opendata
from . import bp

#: SIREN 200054807 (the métropole) + NIC 00017: the brief's 20005480700016 fails the Luhn
#: check of python-stdnum, and an invalid idAttribuant would make every SCDL row invalid.
ATTRIBUANT_SIRET = "20005480700017"


@bp.record_once
def _attribuant_defaults(state) -> None:
    """The awarding authority of the SCDL file: the métropole (override in instance config)."""
    state.app.config.setdefault("PDV_ATTRIBUANT_NAME", "Métropole d'Aix-Marseille-Provence")
    state.app.config.setdefault("PDV_ATTRIBUANT_SIRET", ATTRIBUANT_SIRET)


@bp.get("/donnees-ouvertes")
def opendata_index():
    return render_template("public/opendata.html", datasets=opendata.DATASETS.values(),
                           licence=opendata.LICENCE, licence_url=opendata.LICENCE_URL)


@bp.get("/donnees-ouvertes/<slug>.<fmt>")
def opendata_download(slug: str, fmt: str):
    dataset = opendata.DATASETS.get(slug)
    if dataset is None or fmt not in ("csv", "json"):
        abort(404)
    if fmt == "csv":
        response = make_response(opendata.as_csv(dataset))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = make_response(opendata.as_json(dataset))
        response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response
