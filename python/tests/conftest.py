"""Fixtures of the Python package's tests: the seeds, examples/ and a store
written by the CLI.

ctest runs these with Debian's /usr/bin/python3 -m pytest, PYTHONPATH set to
<build>/python and STORYLINE_BIN, STORYLINE_SOURCE and STORYLINE_SHARED in
the environment (python/CMakeLists.txt). Tests that need the development
data (../shared) or the CLI are skipped when it is absent.
"""
import json
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("STORYLINE_SOURCE", pathlib.Path(__file__).parents[2]))
SHARED = pathlib.Path(os.environ.get("STORYLINE_SHARED", SOURCE.parent / "shared"))
EXAMPLES = SOURCE / "examples"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def seeds():
    """The seed articles: {name without .txt: text}."""
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"no seeds in {folder}")
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="session")
def news():
    """examples/news.jsonl as a list of dicts."""
    return read_jsonl(EXAMPLES / "news.jsonl")


@pytest.fixture(scope="session")
def gold():
    """examples/gold.jsonl: {id: {"story", "storyline", "dup_group"}}."""
    return {g["id"]: g for g in read_jsonl(EXAMPLES / "gold.jsonl")}


@pytest.fixture(scope="session")
def store_path(tmp_path_factory):
    """A store of examples/ written by `storyline ingest`."""
    binary = os.environ.get("STORYLINE_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.skip("STORYLINE_BIN does not name the storyline binary")
    db = tmp_path_factory.mktemp("store") / "examples.db"
    done = subprocess.run(
        [binary, "ingest", "--db", str(db), "--quiet",
         str(EXAMPLES / "news.jsonl"), str(EXAMPLES / "txt")],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return db
