"""The production checks hold under the real gunicorn: it exports its worker count."""

import pytest

from ..stack import running_stack

#: Never reached: the app refuses to start before it would connect.
UNUSED_DATABASE = "postgresql://nobody@127.0.0.1:1/none"


@pytest.mark.slow
def test_four_workers_with_per_process_limits_refuse_to_start():
    with pytest.raises(RuntimeError, match="gunicorn exited"):
        with running_stack(UNUSED_DATABASE, "memory://", workers=4):
            pass


@pytest.mark.slow
def test_weak_secret_key_refuses_to_start():
    with pytest.raises(RuntimeError, match="gunicorn exited"):
        with running_stack(UNUSED_DATABASE, "redis://127.0.0.1:6379/9", workers=1,
                           env={"PDV_SECRET_KEY": "short"}):
            pass
