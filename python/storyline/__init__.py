"""storyline for Python: clean news articles, find their copies, cluster them
into stories, and read a store written by ``storyline ingest``.

    >>> import storyline
    >>> article = storyline.clean(text)                # a role for every line
    >>> article.body
    >>> index = storyline.DuplicateIndex()            # exact, near and partial copies
    >>> index.add("a", body_a); index.add("b", body_b)
    >>> for row in storyline.dedup(records):          # a corpus of dicts at once
    ...     print(row["id"], row["dup_group"], row["copy_of"], row["relation"])
    >>> clusterer = storyline.StoryClusterer()        # stories as articles arrive
    >>> with storyline.Store("news.db") as db:         # what `storyline ingest` stored
    ...     db.stories(order="largest")

The work is done by the C++ engine (the ``_storyline`` extension); calls that
take time (cleaning, sketching, the duplicate index, clustering, store
queries) release the GIL, so threads run them in parallel. Library errors
are raised as ``storyline.Error`` subclasses: ``InvalidError`` (also a
ValueError), ``NotFoundError`` (a LookupError) and ``StoreError`` (an
OSError), each with a ``code`` such as ``"invalid_input"``.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from ._storyline import (
    ROLES,
    Article,
    Assignment,
    CleanedArticle,
    CopyLink,
    CorpusDeduplicator,
    Duplicate,
    DuplicateIndex,
    Error,
    Group,
    InvalidError,
    Line,
    LiveStory,
    Match,
    NotFoundError,
    SearchHit,
    SearchResults,
    Sketch,
    Store,
    StoreError,
    Story,
    StoryClusterer,
    Storyline,
    clean,
    clean_corpus,
    sketch,
    sketch_many,
)

__version__ = "0.1.0"

__all__ = [
    "ROLES",
    "Article",
    "Assignment",
    "CleanedArticle",
    "CopyLink",
    "Duplicate",
    "DuplicateIndex",
    "Error",
    "Group",
    "InvalidError",
    "Line",
    "LiveStory",
    "Match",
    "NotFoundError",
    "SearchHit",
    "SearchResults",
    "Sketch",
    "Store",
    "StoreError",
    "Story",
    "StoryClusterer",
    "Storyline",
    "clean",
    "clean_corpus",
    "dedup",
    "sketch",
    "sketch_many",
]


def dedup(
    records: Iterable[dict],
    *,
    batch_size: int = 2000,
    threads: int = 0,
    near_jaccard: float = 0.6,
    partial_containment: float = 0.5,
    min_shared_shingles: int = 10,
    max_pairs: int = 32,
) -> Iterator[dict[str, Any]]:
    """Finds the exact, near and partial copies in a corpus of articles.

    Each record is a dict with ``id`` and ``text`` (the article as scraped,
    chrome included) and optionally ``title``, ``url``, ``source``,
    ``published`` (ISO 8601 str, datetime or Unix seconds) and ``lang``.
    Articles are cleaned (the site chrome learned from the corpus read so
    far, as ``storyline ingest`` does), their bodies sketched on ``threads``
    threads (0 = every core) without the GIL, and matched in one duplicate
    index, ``batch_size`` records at a time.

    Once every record is read, yields one dict per record, in input order::

        {"id": "b", "dup_group": "a", "copy_of": "a", "relation": "partial",
         "jaccard": 0.41, "containment": 0.93}

    ``dup_group`` is the id of the group's original (None for an article
    without copies); ``copy_of``, ``relation``, ``jaccard`` and
    ``containment`` describe what the article copies (all None for an
    original). The thresholds are those of DuplicateIndex.

    Raises:
        InvalidError: a record that is not a dict, has no id or no text, or
            repeats an id; an option out of range (raised at the call, before
            any record is read).
    """
    engine = CorpusDeduplicator(
        near_jaccard=near_jaccard,
        partial_containment=partial_containment,
        min_shared_shingles=min_shared_shingles,
        max_pairs=max_pairs,
        threads=threads,
    )
    if batch_size < 1:
        error = InvalidError("batch_size must be >= 1")
        error.code = "invalid_argument"
        raise error
    return _dedup_rows(engine, records, batch_size)


def _dedup_rows(
    engine: CorpusDeduplicator, records: Iterable[dict], batch_size: int
) -> Iterator[dict[str, Any]]:
    """Feeds `engine` the records in batches, then yields its rows."""
    batch: list[dict] = []
    first = 0
    for record in records:
        batch.append(record)
        if len(batch) == batch_size:
            engine.add(batch, first)
            first += len(batch)
            batch = []
    if batch:
        engine.add(batch, first)
    yield from engine.results()
