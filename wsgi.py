"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from pdvsolutions import create_app

app = create_app()
