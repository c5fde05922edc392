"""The access world fixtures (defined in world.py, shared with tests/security)."""

from .world import world_app, world_template  # noqa: F401
