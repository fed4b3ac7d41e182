"""Page runs in the server process take turns (``dashboards.shared.RUN_LOCK``): runs of
concurrent sessions sharing polars frames could deadlock the whole process."""

from __future__ import annotations

import threading

from tests.app.conftest import APP_TIMEOUT_S


def test_a_page_run_waits_while_another_sessions_run_holds_the_lock(app_for, fixture_home):
    from dashboards.shared import RUN_LOCK

    at = app_for(fixture_home)
    at.run()  # a first run: the next one takes well under a second without the lock
    assert not at.exception
    finished = threading.Event()

    def run() -> None:
        at.run()
        finished.set()

    with RUN_LOCK:  # another session's page run
        thread = threading.Thread(target=run)
        thread.start()
        assert not finished.wait(5)
    assert finished.wait(APP_TIMEOUT_S)
    thread.join()
    assert not at.exception
    assert [title.value for title in at.title] == ["Overblik"]
