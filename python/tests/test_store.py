"""storyline.Store: reading a store written by `storyline ingest`."""
import datetime

import pytest

import storyline


def test_counts_and_stories(store_path, gold):
    with storyline.Store(str(store_path)) as db:
        assert db.count_articles() == len(gold) == 41
        stories = db.stories(limit=200)
        assert len(stories) == db.count_stories()
        assert sum(s.size for s in stories) == 41
        largest = db.stories(order="largest", limit=1)[0]
        assert largest.size == max(s.size for s in stories)
        assert largest.title and largest.digest["title"] == largest.title
        assert largest.digest["summary"] and largest.digest["sources"]
        assert repr(largest).startswith(f"Story(id='{largest.id}'")
        assert isinstance(largest.first_published, datetime.datetime)
        assert largest.first_published.tzinfo is not None
        assert db.story(largest.id) == largest
        assert db.story("s-nope") is None
        french = db.stories(lang="fr", limit=200)
        assert 0 < len(french) < len(stories)
        rising = db.stories(order="rising")
        assert rising and all(s.gained > 0 for s in rising)
        lines = db.storylines(limit=200)
        assert sum(sl.size for sl in lines) == len(stories)


def test_articles_of_a_story(store_path):
    with storyline.Store(str(store_path)) as db:
        story = db.stories(order="largest", limit=1)[0]
        articles = db.articles(story=story.id)
        assert len(articles) == story.size
        assert all(a.story == story.id and a.storyline == story.storyline for a in articles)
        a = articles[0]
        assert db.article(a.id).to_dict() == a.to_dict()
        assert a.body and a.body in a.text or all(
            line.text.strip() in a.text for line in a.lines if line.is_body)
        assert {line.role for line in a.lines} <= set(storyline.ROLES)
        assert any(line.is_body for line in a.lines)
        assert len(db.articles()) == 41
        assert db.article("nope") is None


def test_duplicates_and_copies(store_path, gold):
    with storyline.Store(str(store_path)) as db:
        pairs = db.duplicates()
        assert pairs
        copied = {p.id for p in pairs if p.copy_link}
        assert copied
        for p in pairs:
            assert p.relation in ("exact", "near", "partial")
            assert gold[p.id]["dup_group"] is not None
            assert gold[p.id]["dup_group"] == gold[p.other]["dup_group"]
        some = next(iter(copied))
        article = db.article(some)
        assert article.copy_of and article.dup_group
        assert any(p.other == article.copy_of for p in db.duplicates(some))


def test_search(store_path):
    with storyline.Store(str(store_path)) as db:
        results = db.search("ferry strike", limit=5)
        assert results.articles and results.stories
        assert results.total_articles >= len(results.articles)
        hit = results.articles[0]
        assert hit.kind == "article" and hit.story and hit.score > 0
        assert "ferry" in hit.snippet.lower() or "strike" in hit.snippet.lower()
        assert any(matched for _, matched in hit.snippet_parts)
        assert "".join(text for text, _ in hit.snippet_parts) == hit.snippet
        # A word finds its other forms (Snowball stems) in the article's language.
        assert db.search("ferries").articles
        assert db.search("").articles == []


def test_errors_raise_with_messages(store_path, tmp_path):
    with pytest.raises(FileNotFoundError, match="no storyline store"):
        storyline.Store(str(tmp_path / "missing.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(storyline.StoreError) as info:
        storyline.Store(str(junk)).count_articles()
    assert info.value.code == "store" and isinstance(info.value, OSError)
    assert str(info.value)
    db = storyline.Store(str(store_path))
    db.close()
    with pytest.raises(storyline.InvalidError, match="closed"):
        db.stories()
    with pytest.raises(storyline.InvalidError, match="order"):
        storyline.Store(str(store_path)).stories(order="sideways")
