"""Many sessions on a freshly started dashboard: `trialwh serve` on the fixture snapshot,
then every page twice at the same moment over Streamlit's websocket protocol
(`bench/stream_client.py`), before any page has run. Each load must finish without an
exception on the page (the first sessions import the libraries the pages use in parallel
threads; a chart drawn while another thread was still importing pandas used to fail)."""

from __future__ import annotations

import asyncio

import pytest

from bench import stream_client
from core.paths import Home
from tests.app.fixture_snapshot import build_fixture_snapshot
from tests.browser._browser import PAGE_URLS, serving

pytestmark = pytest.mark.slow

QUERY = {"kommune": "?kommune=851"}


async def _all_at_once(base: str, pages: list[str]) -> list[stream_client.StreamLoad]:
    return await asyncio.gather(
        *(
            stream_client.load(
                base, page, QUERY.get(page, ""), default_page=PAGE_URLS[0], timeout_s=120
            )
            for page in pages
        )
    )


def test_a_cold_server_serves_every_page_to_sessions_arriving_together(tmp_path):
    home = Home(tmp_path / "home")
    build_fixture_snapshot(home.published)
    pages = PAGE_URLS * 2
    with serving(home.root) as (_process, base):
        loads = asyncio.run(_all_at_once(base, pages))
    failed = [(load.page, load.failure, load.detail) for load in loads if not load.ok]
    assert failed == []
    # Every load ran its page to the end: each drew its page's elements.
    assert all(load.deltas > 0 for load in loads)
