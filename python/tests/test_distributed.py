"""The distributed dedup job (storyline.distributed) against `storyline dedup`:
the same lines, byte for byte, on a generated wire-copy corpus cut into
several batches, run on a LocalCluster of 2 worker processes."""
import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("distributed")

import storyline
from storyline import distributed

BIN = os.environ.get("STORYLINE_BIN")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, check=False, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus of ~1,300 articles with many copies."""
    if not BIN or not os.access(BIN, os.X_OK):
        pytest.skip("STORYLINE_BIN does not name the storyline binary")
    path = tmp_path_factory.mktemp("corpus") / "synth.jsonl"
    done = run([BIN, "bench", "synth", "--bases", "300", "--seed", "5", "-o", str(path)])
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_the_job_writes_the_lines_of_storyline_dedup(corpus, tmp_path):
    single = tmp_path / "single.jsonl"
    done = run([BIN, "dedup", "--batch-size", "300", "--quiet", "-o", str(single), str(corpus)])
    assert done.returncode == 0, done.stderr
    dist = tmp_path / "dist.jsonl"
    done = run([sys.executable, "-m", "storyline.distributed", "dedup", "--workers", "2",
                "--batch-size", "300", "-o", str(dist), str(corpus)], env=os.environ)
    assert done.returncode == 0, done.stderr.decode()
    summary = done.stderr.decode()
    assert "in 5 batches on 2 workers" in summary, summary
    lines = single.read_bytes()
    assert lines.count(b"\n") > 1000
    assert b'"relation":"partial"' in lines and b'"relation":"near"' in lines
    assert dist.read_bytes() == lines


def test_the_api_gives_the_rows_of_storyline_dedup(corpus, client):
    report = distributed.Report()
    rows = distributed.dedup([str(corpus)], client, batch_size=250, shards=3, report=report)
    with open(corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    expected = list(storyline.dedup(records, batch_size=250))
    assert rows == expected
    assert report.batches == 6 and report.shards == 3 and report.workers == 2
    grouped = sum(1 for r in rows if r["dup_group"])
    assert grouped > len(rows) // 2
    assert report.bytes["key shards"] > 0


def test_bad_records_are_reported_and_the_rest_kept(tmp_path, client):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "a", "text": "one text"}\n{"id": "b", "text": \n'
                    '{"id": "c", "text": "another text"}\n', encoding="utf-8")
    bad = []
    rows = distributed.dedup([str(path)], client, on_bad=bad.append)
    assert [r["id"] for r in rows] == ["a", "c"]
    assert len(bad) == 1 and "mixed.jsonl:2" in bad[0]


def test_a_missing_input_is_an_error_naming_it(tmp_path):
    done = run([sys.executable, "-m", "storyline.distributed", "dedup", "--workers", "1",
                str(tmp_path / "nowhere.jsonl")], env=os.environ)
    assert done.returncode == 2
    assert b"nowhere.jsonl" in done.stderr
