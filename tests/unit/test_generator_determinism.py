"""Same seed, byte-identical files; another seed, other files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from synthetic import generate


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != "truth.json"
    }


def written(truth: dict) -> set[str]:
    """The files a run lists: the case-system extracts and the DREAM register."""
    return {f["file"] for f in truth["files"] + truth.get("dream", {}).get("files", [])}


def test_same_seed_gives_identical_files_and_truth(tmp_path):
    first = generate(tmp_path / "a", scale="small", seed=5)
    second = generate(tmp_path / "b", scale="small", seed=5)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert a.keys() == written(first) and len(first["files"]) > 100
    assert first["dream"]["files"]  # DREAM is part of the default run
    assert a == b  # every CSV, XLSX and Parquet file byte for byte
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second


def test_other_seed_gives_other_files(tmp_path):
    truth = generate(tmp_path / "a", scale="small", seed=5, mess=False)
    generate(tmp_path / "b", scale="small", seed=6, mess=False)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert a.keys() == b.keys()  # clean runs: same names (padded codes, csv)
    # Header-only files (e.g. no appeals yet in tiny Læsø) are the same whatever the seed.
    non_empty = [f["file"] for f in truth["files"] if f["rows"] > 0]
    assert len(non_empty) > 150
    assert all(a[name] != b[name] for name in non_empty)


def test_rerun_into_the_same_folder_replaces_the_previous_run(tmp_path):
    generate(tmp_path, scale="small", seed=5)
    truth = generate(tmp_path, scale="small", seed=6, mess=False)
    names = {p.name for p in tmp_path.iterdir()} - {"truth.json"}
    assert names == written(truth)


def test_files_not_from_a_previous_run_are_left_alone(tmp_path):
    foreign = tmp_path / "sygedagpengesager_0851_2019-03-31.csv"
    foreign.write_text("sags_id\n1\n", "utf-8")
    generate(tmp_path, scale="small", seed=5, mess=False, snapshots=1)
    assert foreign.read_text("utf-8") == "sags_id\n1\n"
