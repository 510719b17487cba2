"""storyline.StoryClusterer: reports of one event together, others apart."""
import pytest

import storyline


def features(records):
    """Clusterer input from example records: cleaned bodies, in time order."""
    cleaned = {c.id: c for c in storyline.clean_corpus(records)}
    rows = [{"id": r["id"], "title": cleaned[r["id"]].title, "body": cleaned[r["id"]].body,
             "published": r.get("published"), "lang": r.get("lang")} for r in records]
    return sorted(rows, key=lambda r: r["published"] or "")


@pytest.fixture(scope="module")
def event(news, gold):
    """Two reports of one event by different outlets (no copies of each
    other) and a report of an unrelated event."""
    by_id = {r["id"]: r for r in news}
    story = "s-ferry-strike-deal"
    reports = [i for i, g in gold.items()
               if g["story"] == story and g["dup_group"] is None and i in by_id]
    unrelated = next(i for i, g in gold.items()
                     if g["storyline"] != gold[reports[0]]["storyline"] and i in by_id)
    return [by_id[reports[0]], by_id[reports[1]]], by_id[unrelated]


def test_two_reports_join_and_an_unrelated_one_stays_apart(event):
    (first, second), unrelated = event
    clusterer = storyline.StoryClusterer()
    got = {r["id"]: clusterer.add(r["id"], title=r["title"], body=r["body"],
                                  published=r["published"], lang=r["lang"])
           for r in features([first, second, unrelated])}
    a, b = sorted((got[first["id"]], got[second["id"]]), key=lambda x: not x.new_story)
    c = got[unrelated["id"]]
    assert a.new_story and not b.new_story
    assert a.story == b.story
    assert 0.7 <= b.score <= 1
    assert c.story != a.story and c.new_story
    assert clusterer.story_of(b.id) == a.story
    stories = {s.id: s for s in clusterer.stories()}
    assert sorted(stories[a.story].articles) == sorted([a.id, b.id])
    assert stories[a.story].first_published is not None
    assert clusterer.articles_seen == 3 and clusterer.live_stories >= 1


def test_examples_cluster_like_gold(news, gold):
    rows = features(news)
    clusterer = storyline.StoryClusterer()
    got = clusterer.add_many(rows, threads=2)
    assert [a.id for a in got] == [r["id"] for r in rows]
    story_of = {a.id: a.story for a in got}
    for merge in clusterer.take_merges():
        story_of = {k: merge["into"] if v == merge["from"] else v for k, v in story_of.items()}
    same = agree = 0
    ids = sorted(story_of)
    for i, x in enumerate(ids):
        for y in ids[i + 1:]:
            if gold[x]["story"] == gold[y]["story"]:
                same += 1
                agree += story_of[x] == story_of[y]
    assert agree >= 0.8 * same  # pairwise recall of the gold stories


def test_state_round_trip(event):
    (first, second), _ = event
    rows = features([first, second])
    clusterer = storyline.StoryClusterer()
    a = clusterer.add(rows[0]["id"], title=rows[0]["title"], body=rows[0]["body"])
    again = storyline.StoryClusterer.restore(clusterer.serialize())
    b = again.add(rows[1]["id"], title=rows[1]["title"], body=rows[1]["body"])
    assert b.story == a.story


def test_errors_raise_with_messages():
    clusterer = storyline.StoryClusterer()
    clusterer.add("x", title="Ferry strike")
    with pytest.raises(storyline.InvalidError, match="x"):
        clusterer.add("x", title="Ferry strike again")
    with pytest.raises(storyline.InvalidError, match="empty|id"):
        clusterer.add("", title="No id")
    with pytest.raises(storyline.InvalidError, match="join_probability"):
        storyline.StoryClusterer(join_probability=-1)
    with pytest.raises(storyline.InvalidError, match="record 0: no 'id'"):
        clusterer.add_many([{"title": "no id"}])
    with pytest.raises(storyline.InvalidError):
        storyline.StoryClusterer.restore(b"garbage")
