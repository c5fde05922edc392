"""A frozen clock: ``frozen_clock.set(dt)`` / ``.advance(td)`` moves time for the whole package.

Modules do ``from ..timeutil import utcnow``; the fixture patches ``pdvsolutions.timeutil`` and
every loaded ``pdvsolutions`` module that holds that same function.
"""

import sys
from datetime import datetime, timedelta

import pytest

from pdvsolutions import timeutil


class FrozenClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def frozen_clock(monkeypatch):
    original = timeutil.utcnow
    clock = FrozenClock(original())  # frozen at the real time, so live sessions stay valid
    for name, module in list(sys.modules.items()):
        if name.startswith("pdvsolutions") and getattr(module, "utcnow", None) is original:
            monkeypatch.setattr(module, "utcnow", clock)
    return clock
