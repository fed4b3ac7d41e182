"""trialwh.dbt: the parsed project is kept between homes, one copy per project folder."""

from __future__ import annotations

from pathlib import Path

from core.paths import Home
from trialwh import dbt as dbt_module


def _parsed(home: Home) -> Path:
    return home.dbt_target_dir / "partial_parse.msgpack"


def test_new_home_starts_from_the_last_parse_and_a_home_keeps_its_own(tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "partial_parse.msgpack"
    monkeypatch.setenv("TRIALWH_DBT_PARSE_CACHE", str(cache))
    first, new, own = (Home(tmp_path / name) for name in ("first", "new", "own"))
    dbt_module._restore_parse(first)  # nothing cached yet: nothing to copy
    assert not _parsed(first).exists()
    _parsed(first).parent.mkdir(parents=True)
    _parsed(first).write_bytes(b"parsed in first")
    dbt_module._keep_parse(first)
    assert cache.read_bytes() == b"parsed in first"
    dbt_module._restore_parse(new)
    assert _parsed(new).read_bytes() == b"parsed in first"
    _parsed(own).parent.mkdir(parents=True)
    _parsed(own).write_bytes(b"parsed in own")
    dbt_module._restore_parse(own)
    assert _parsed(own).read_bytes() == b"parsed in own"
    assert sorted(p.name for p in cache.parent.iterdir()) == ["partial_parse.msgpack"]


def test_each_project_folder_has_its_own_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("TRIALWH_DBT_PARSE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    here = dbt_module._parse_cache()
    monkeypatch.setattr(dbt_module, "PROJECT_DIR", tmp_path / "another" / "checkout")
    there = dbt_module._parse_cache()
    assert here != there
    assert here.is_relative_to(tmp_path / "trialwh") and there.is_relative_to(tmp_path / "trialwh")
