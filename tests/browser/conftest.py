"""The browser shared by the real-browser tests of this folder (one per test module)."""

from __future__ import annotations

import pytest

from tests.browser._browser import launch


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        try:
            yield instance
        finally:
            instance.close()
