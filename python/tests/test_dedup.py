"""Sketches, the DuplicateIndex and corpus dedup."""
import itertools

import pytest

import storyline
from conftest import EXAMPLES

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
    from conftest import read_jsonl
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
    # Batches do not change the result.
    assert list(storyline.dedup(records, batch_size=1000, threads=1)) == rows


def test_dedup_refuses_bad_records():
    with pytest.raises(storyline.InvalidError, match="record 1: no 'id'"):
        list(storyline.dedup([{"id": "a", "text": "x"}, {"text": "y"}]))
    with pytest.raises(storyline.InvalidError, match="duplicate id 'a'"):
        list(storyline.dedup([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], batch_size=1))
    with pytest.raises(storyline.InvalidError, match="no 'text'"):
        list(storyline.dedup([{"id": "a"}]))
    with pytest.raises(storyline.InvalidError, match="batch_size"):
        storyline.dedup([], batch_size=0)
