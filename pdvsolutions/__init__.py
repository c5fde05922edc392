"""pdvsolutions: participatory operating-budget rounds for priority neighbourhoods."""

import os
from pathlib import Path

from flask import Flask

from . import config as config_module


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config, extensions, blueprints, error pages, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_module.Config)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "pdvsolutions.sqlite"
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment())
    else:
        # Tests log staff in with the password alone unless they switch the second factor on
        # (or test production); real runs (wsgi, flask CLI) always keep it on.
        app.config["MFA_REQUIRED"] = test_config.get("PDV_ENV") == "production"
        app.config.update(test_config)
    config_module.check_production(app.config)
    if app.config["PDV_ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["OUTBOX_PAGE_ENABLED"] = False
    os.makedirs(app.instance_path, exist_ok=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    _configure_engine(app)

    from . import auth, cli, i18n, security
    from .extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    auth.init_login(app, login_manager)
    i18n.init_app(app)
    security.init_app(app)

    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .committee import bp as committee_bp
    from .operators import bp as operators_bp
    from .public import bp as public_bp
    from .residents import bp as residents_bp
    from .staff import bp as staff_bp

    for blueprint in (public_bp, auth_bp, staff_bp, admin_bp, residents_bp, operators_bp,
                      committee_bp):
        app.register_blueprint(blueprint)
    from .evaluation import bp as evaluation_bp
    from .operators_reports import bp as reports_bp

    app.register_blueprint(evaluation_bp)
    app.register_blueprint(reports_bp)
    if os.environ.get("PDV_BENCH") == "1":  # bench/web.py only: a bare route as the floor
        from . import bench

        bench.init_app(app)
    from .operators_sprints import bp as sprints_op_bp

    app.register_blueprint(sprints_op_bp)

    from . import errors_views

    errors_views.init_app(app)
    cli.init_app(app)
    return app


def _configure_engine(app: Flask) -> None:
    """Size the PostgreSQL pool to the worker; make SQLite wait instead of failing on locks."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 15})
    elif uri.startswith("postgresql"):
        options.setdefault("pool_size", int(os.environ.get("PDV_DB_POOL_SIZE", 5)))
        options.setdefault("max_overflow", 2)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
