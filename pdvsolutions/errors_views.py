"""Error pages in French, without stack traces; refusals of access are audited."""

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from .extensions import db

#: Seconds a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER = 5


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

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.InterfaceError)
    def database_unavailable(error):
        """The database is down or lost the connection (restart, crash, failover): 503.

        Nothing of this request was confirmed to the person, who may try again. The page is
        rendered as for an anonymous visitor: reading the logged-in account (its language,
        its menu) would need the database and fail again, leaving the client with no answer.
        """
        try:
            db.session.rollback()
        except sa_exc.SQLAlchemyError:
            db.session.remove()
        current_app.logger.warning("database unavailable (%s): answered 503",
                                   type(getattr(error, "orig", error)).__name__)
        g._login_user = current_app.login_manager.anonymous_user()
        body, status = _page(503, _("Service momentanément indisponible"),
                             _("Le service est momentanément indisponible. Réessayez dans "
                               "quelques instants. Si vous veniez d'envoyer un formulaire, "
                               "vérifiez d'abord s'il a été pris en compte."))
        return body, status, {"Retry-After": str(RETRY_AFTER)}

    @app.errorhandler(500)
    def server_error(error):
        # Another error page (CSRF, 403…) that failed because the database is down.
        if isinstance(getattr(error, "original_exception", None),
                      (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return database_unavailable(error.original_exception)
        db.session.rollback()
        return _page(500, _("Erreur du serveur"),
                     _("Une erreur inattendue s'est produite. L'équipe technique a été prévenue."))
