"""Error pages in French, without stack traces; refusals of access are audited."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return _page(
            400,
            _("Formulaire expiré"),
            _("Le formulaire a expiré ou n'a pas été envoyé depuis ce site. "
              "Revenez en arrière, rechargez la page et recommencez."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        from .services import audit

        db.session.rollback()
        audit.record("access.denied", outcome="denied",
                     details={"path": request.path[:200], "method": request.method})
        db.session.commit()
        return _page(403, _("Accès refusé"), _("Vous n'avez pas accès à cette page."))

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, _("Page introuvable"),
                     _("Cette page n'existe pas ou n'est plus disponible."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, _("Action impossible"), _("Cette adresse n'accepte pas cette action."))

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, _("Envoi trop volumineux"),
                     _("Le fichier ou le formulaire envoyé est trop volumineux."))

    @app.errorhandler(429)
    def too_many(error):
        db.session.rollback()
        return _page(429, _("Trop de tentatives"),
                     _("Trop de tentatives en peu de temps. Patientez une minute puis réessayez."))

    @app.errorhandler(HTTPException)
    def other_http(error):
        return _page(error.code or 400, _("Requête incorrecte"),
                     _("La demande n'a pas pu être traitée."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, _("Erreur du serveur"),
                     _("Une erreur inattendue s'est produite. L'équipe technique a été prévenue."))
