"""Sketches, the DuplicateIndex and corpus dedup (storyline.dedup() against
`storyline dedup`, line for line)."""
import gzip
import itertools
import json
import os
import subprocess

import pytest

import storyline
from conftest import EXAMPLES, SHARED, read_jsonl

SEED = "000_a3f1629fa6950c37"
OTHER_SEED = "003_e09a751a2302d880"


@pytest.fixture(scope="module")
def bodies(seeds):
    """A seed's body, a copy cut to its first third, and an unrelated body."""
    body = storyline.clean(seeds[SEED]).body
    paragraphs = body.split("\n")
    cut = "\n".join(paragraphs[: max(2, len(paragraphs) // 3)])
    return body, cut, storyline.clean(seeds[OTHER_SEED]).body


def test_sketch_overlap_and_bytes(bodies):
    body, cut, other = bodies
    a, b, c = storyline.sketch(body), storyline.sketch(cut), storyline.sketch(other)
    assert len(a) > len(b) > 10
    assert a.body_hash != b.body_hash
    assert len(a.signature) == 40 and len(a.band_keys) == 20 and a.anchors
    assert a.containment(b) > 0.95
    assert a.jaccard(b) < 0.6
    assert a.overlap(c)["shared"] < 5
    assert storyline.sketch(body).fingerprints == a.fingerprints
    again = storyline.Sketch.from_bytes(a.to_bytes())
    assert again.fingerprints == a.fingerprints and again.signature == a.signature
    many = storyline.sketch_many([body, cut, other], threads=2)
    assert [s.fingerprints for s in many] == [a.fingerprints, b.fingerprints, c.fingerprints]


def test_index_finds_a_copy_and_a_cut_copy(bodies):
    body, cut, other = bodies
    index = storyline.DuplicateIndex()
    assert index.add("original", body, published="2022-01-08T10:00:00Z") == []

    [exact] = index.add("copy", body, published="2022-01-08T11:00:00Z")
    assert (exact.id, exact.other, exact.relation) == ("copy", "original", "exact")
    assert exact.jaccard == 1.0 and exact.containment == 1.0

    matches = {m.other: m for m in index.add("cut", cut, published="2022-01-08T12:00:00Z")}
    assert "original" in matches
    partial = matches["original"]
    assert partial.relation == "partial"
    assert partial.containment > 0.95
    assert partial.jaccard < 0.6
    assert partial.shared_shingles >= 10
    assert partial.evidence and all(passage in cut for passage in partial.evidence)

    assert index.add("other", other) == []
    assert len(index) == 4 and "cut" in index and "nope" not in index

    group = index.group("cut")
    assert group.canonical == "original"
    assert group.members == ["copy", "cut", "original"]
    assert index.group("other").members == ["other"]
    link = index.copy_of("cut")
    assert link.copy_of == "original" and link.relation == "partial"
    assert index.copy_of("copy").copy_of == "original"
    assert index.copy_of("original") is None
    assert index.group("nope") is None
    assert {m.other for m in index.pairs("cut")} >= {"original"}


def test_query_does_not_index(bodies):
    body, cut, _ = bodies
    index = storyline.DuplicateIndex()
    index.add("original", body)
    before = index.memory()["documents"]
    [m] = index.query(cut)
    assert (m.id, m.other, m.relation) == ("", "original", "partial")
    assert len(index) == 1 and index.memory()["documents"] == before
    assert index.group("original").members == ["original"]
    # Queried again, the same answer: nothing of the first query stayed.
    assert [x.to_dict() for x in index.query(cut)] == [m.to_dict()]


def test_remove_splits_a_group(bodies):
    body, cut, _ = bodies
    index = storyline.DuplicateIndex()
    index.add("original", body)
    index.add("cut", cut)
    assert index.remove(["original", "unknown"]) == 1
    assert index.group("cut").members == ["cut"]
    assert "original" not in index
    index.add("original", body)  # a new version under the same id
    assert index.group("cut").canonical == "original"


def test_errors_raise_with_messages(bodies):
    body, _, _ = bodies
    index = storyline.DuplicateIndex()
    index.add("a", body)
    with pytest.raises(storyline.InvalidError, match="'a' is already indexed"):
        index.add("a", body)
    with pytest.raises(storyline.InvalidError, match="published") as info:
        index.add("b", body, published="last tuesday")
    assert info.value.code == "invalid_input"
    with pytest.raises(ValueError, match="near_jaccard"):
        storyline.DuplicateIndex(near_jaccard=1.5)
    with pytest.raises(storyline.InvalidError):
        storyline.Sketch.from_bytes(b"not a sketch")
    with pytest.raises(TypeError):
        index.add("c", 42)


def example_records():
    """examples/news.jsonl and examples/txt/*.txt as records."""
    records = read_jsonl(EXAMPLES / "news.jsonl")
    for path in sorted((EXAMPLES / "txt").glob("*.txt")):
        records.append({"id": path.stem, "text": path.read_text(encoding="utf-8")})
    return records


def same_group_pairs(groups):
    """The pairs of ids that share a group, from {id: group or None}."""
    out = set()
    by_group = {}
    for id_, g in groups.items():
        if g is not None:
            by_group.setdefault(g, []).append(id_)
    for members in by_group.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def test_dedup_finds_the_gold_copy_groups(gold):
    records = example_records()
    rows = list(storyline.dedup(iter(records), batch_size=7, threads=2))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert same_group_pairs({r["id"]: r["dup_group"] for r in rows}) == same_group_pairs(
        {i: g["dup_group"] for i, g in gold.items()})
    for r in rows:
        if r["copy_of"] is None:
            assert r["relation"] is None and r["jaccard"] is None
        else:
            assert r["relation"] in ("exact", "near", "partial")
            assert 0 < r["jaccard"] <= 1 and 0 < r["containment"] <= 1
            assert r["dup_group"] is not None
    # Threads and where the fingerprints are kept do not change the result
    # (batches may: each batch's chrome is learned before it is cleaned).
    assert list(storyline.dedup(records, batch_size=7, threads=1, in_memory=True)) == rows


def test_dedup_reports_pairs_with_evidence():
    records = example_records()
    found = []
    rows = list(storyline.dedup(records, pairs=found.append))
    assert found
    ids = {r["id"] for r in rows}
    copies = {r["id"]: r["copy_of"] for r in rows if r["copy_of"]}
    for p in found:
        assert set(p) == {"a", "b", "relation", "jaccard", "containment", "evidence"}
        assert p["a"] in ids and p["b"] in ids and p["a"] != p["b"]
        assert p["relation"] in ("exact", "near", "partial")
    # Every copy link is one of the verified pairs.
    linked = {frozenset((p["a"], p["b"])) for p in found}
    assert all(frozenset(link) in linked for link in copies.items())
    assert any(p["evidence"] for p in found)
    bare = []
    list(storyline.dedup(records, pairs=bare.append, evidence=False))
    assert [dict(p, evidence=[]) for p in found] == bare


def test_dedup_refuses_bad_records(tmp_path):
    with pytest.raises(storyline.InvalidError, match=r"record 1: no 'id'"):
        list(storyline.dedup([{"id": "a", "text": "x"}, {"text": "y"}]))
    with pytest.raises(storyline.InvalidError, match=r"record 1 \('a'\): duplicate id 'a'"):
        list(storyline.dedup([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], batch_size=1))
    with pytest.raises(storyline.InvalidError, match=r"record 0 \('a'\): no 'text'"):
        list(storyline.dedup([{"id": "a"}]))
    with pytest.raises(storyline.InvalidError, match=r"record 0 \('a'\): empty article"):
        list(storyline.dedup([{"id": "a", "text": " \n", "title": ""}]))
    with pytest.raises(storyline.InvalidError, match=r"record 2 \('c'\): published") as info:
        list(storyline.dedup([{"id": "a", "text": "x"}, {"id": "b", "text": "y"},
                              {"id": "c", "text": "z", "published": "last tuesday"}]))
    assert info.value.code == "invalid_input"
    with pytest.raises(storyline.InvalidError, match=r"record 0 \('a'\): 'lang' must be a str"):
        list(storyline.dedup([{"id": "a", "text": "x", "lang": 3}]))
    with pytest.raises(storyline.InvalidError, match=r"record 0: expected a dict"):
        list(storyline.dedup(["just a text"]))
    with pytest.raises(storyline.InvalidError, match=r"record 0 \('p'\): field 'html'"):
        list(storyline.dedup([{"id": "p", "html": "<html><body></body></html>"}]))
    with pytest.raises(storyline.InvalidError, match="batch_size"):
        storyline.dedup([], batch_size=0)
    with pytest.raises(storyline.InvalidError, match="thread"):
        storyline.dedup([], threads=-1)
    with pytest.raises(storyline.StoreError, match="spill"):
        storyline.dedup([], spill_dir=str(tmp_path / "missing"))
    # An int id is taken as its decimal text, as the CLI's JSONL reader does.
    assert [r["id"] for r in storyline.dedup([{"id": 7, "text": "x"}])] == ["7"]


# --- Equal to the CLI ---------------------------------------------------------

ROW_FIELDS = {"id", "dup_group", "copy_of", "relation", "jaccard", "containment"}


@pytest.fixture(scope="module")
def cli():
    """The storyline binary (STORYLINE_BIN, as ctest sets it)."""
    binary = os.environ.get("STORYLINE_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.skip("STORYLINE_BIN does not name the storyline binary")
    return binary


def run_cli(cli, args):
    done = subprocess.run([cli, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def cli_dedup(cli, tmp_path, inputs, *options):
    """`storyline dedup` of `inputs`: (its article lines, its verified pairs)."""
    out, pairs = tmp_path / "rows.jsonl", tmp_path / "pairs.jsonl"
    run_cli(cli, ["dedup", "--quiet", "-o", str(out), "--pairs", str(pairs), *options,
                  *map(str, inputs)])
    return read_jsonl(out), read_jsonl(pairs)


def assert_same_as_cli(cli, tmp_path, inputs, records, cli_options=(), **kwargs):
    """storyline.dedup(records, **kwargs) gives the CLI's lines and pairs."""
    want_rows, want_pairs = cli_dedup(cli, tmp_path, inputs, *cli_options)
    pairs = []
    rows = list(storyline.dedup(records, pairs=pairs.append, **kwargs))
    assert len(rows) == len(want_rows) == len(records)
    for got, want in zip(rows, want_rows):
        assert set(got) == set(want) == ROW_FIELDS
        assert got == want  # floats too: the CLI writes them round-trippable
    assert pairs == want_pairs
    return rows


@pytest.fixture(scope="module")
def synth(cli, tmp_path_factory):
    """`storyline bench synth --bases 200`: (its path, its records)."""
    path = tmp_path_factory.mktemp("synth") / "s.jsonl"
    run_cli(cli, ["bench", "synth", "--bases", "200", "-o", str(path)])
    return path, read_jsonl(path)


def test_dedup_equals_the_cli_on_a_synth_corpus(cli, synth, tmp_path):
    path, records = synth
    rows = assert_same_as_cli(cli, tmp_path, [path], records)
    assert sum(r["copy_of"] is not None for r in rows) > 100


def test_dedup_equals_the_cli_with_its_options(cli, synth, tmp_path):
    path, records = synth
    assert_same_as_cli(cli, tmp_path, [path], records,
                       ["--batch-size", "150", "--threads", "1", "--in-memory"],
                       batch_size=150, threads=1, in_memory=True)
    assert_same_as_cli(cli, tmp_path, [path], records,
                       ["--batch-size", "64", "--spill-dir", str(tmp_path)],
                       batch_size=64, threads=2, spill_dir=tmp_path)


def test_dedup_equals_the_cli_on_the_seeds(cli, tmp_path):
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"no seeds in {folder}")
    # A .txt file is the article {id: its name without .txt, text: its
    # content} (the reader drops a byte order mark).
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8-sig")}
               for p in sorted(folder.glob("*.txt"))]
    rows = assert_same_as_cli(cli, tmp_path, [folder], records)
    assert any(r["copy_of"] for r in rows)


def test_dedup_equals_the_cli_on_web_pages(cli, tmp_path):
    source = SHARED / "data" / "scrapinghub-aeb.jsonl.gz"
    if not source.is_file():
        pytest.skip(f"no {source}")
    with gzip.open(source, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f if line.strip()][:60]
    # Pages (html, no text) and copies of some on other sites, so that the
    # extraction, the source taken from the URL and the groups all count.
    records = [{k: p[k] for k in ("id", "url", "html", "lang") if k in p} for p in pages]
    for i, p in enumerate(pages[:20]):
        records.append({"id": f"copy-{i}", "url": f"https://copy{i % 3}.example/{i}",
                        "html": p["html"], "published": f"2021-03-{i + 1:02d}T08:00:00Z"})
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rows = assert_same_as_cli(cli, tmp_path, [path], records)
    assert sum(r["copy_of"] is not None for r in rows) >= 15
