"""Ingest prepares files ahead of the one being written: in file order, within a budget."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

import ingest.load as load


class _RecordingPool:
    """Runs each submitted job at once and records which file it was for."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, fn, path: Path) -> Future:
        self.submitted.append(path.name)
        future: Future = Future()
        future.set_result(fn(path))
        return future


def _files(folder: Path, sizes: list[int]) -> list[Path]:
    paths = []
    for index, size in enumerate(sizes):
        path = folder / f"f{index}.csv"
        path.write_bytes(b"x" * size)
        paths.append(path)
    return paths


def test_files_come_back_in_file_order_whichever_is_prepared_first(tmp_path: Path):
    files = _files(tmp_path, [1] * 8)

    def stage(path: Path) -> str:
        # the earlier the file, the longer it takes: later files finish first
        time.sleep(0.02 * (8 - int(path.stem[1:])))
        return path.name

    with ThreadPoolExecutor(max_workers=load.STAGE_WORKERS) as pool:
        ahead = load._Ahead(pool, stage, files)
        assert [ahead.next() for _ in files] == [p.name for p in files]


def test_beyond_the_next_file_files_wait_prepared_only_within_the_byte_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(load, "STAGE_AHEAD", 4)
    monkeypatch.setattr(load, "STAGE_AHEAD_BYTES", 100)
    files = _files(tmp_path, [10, 200, 10, 10, 10, 10, 10])
    pool = _RecordingPool()
    ahead = load._Ahead(pool, lambda path: path.name, files)  # type: ignore[arg-type]
    # f1 (200 bytes) would take the waiting files over 100 bytes: only f0 waits
    assert pool.submitted == ["f0.csv"]
    assert ahead.next() == "f0.csv"
    # f0 taken: f1 is the next file and is prepared whatever its size, alone
    assert pool.submitted == ["f0.csv", "f1.csv"]
    assert ahead.next() == "f1.csv"
    # f1 taken: four small files (40 bytes) wait, the most allowed
    assert pool.submitted == [f"f{i}.csv" for i in range(6)]
    assert [ahead.next() for _ in range(5)] == [f"f{i}.csv" for i in range(2, 7)]
    assert pool.submitted == [p.name for p in files]
