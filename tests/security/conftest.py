"""The security suite walks the access table over the same world (tests/access/world.py)."""

from ..access.world import (  # noqa: F401 (fixtures)
    world_app,
    world_app_pair,
    world_app_shared,
    world_template,
)
