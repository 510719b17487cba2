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

import os
from collections.abc import Callable, Iterable, Iterator
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
    spill_dir: str | os.PathLike | None = None,
    in_memory: bool = False,
    pairs: Callable[[dict[str, Any]], Any] | None = None,
    evidence: bool = True,
    near_jaccard: float = 0.6,
    partial_containment: float = 0.5,
    min_shared_shingles: int = 10,
    max_pairs: int = 32,
) -> Iterator[dict[str, Any]]:
    """Finds the exact, near and partial copies in a corpus of articles.

    Runs the engine of ``storyline dedup`` (and of ``storyline ingest``'s
    duplicate stages), so the same records give the same rows as the CLI
    given them as JSONL with the same options: articles are processed
    ``batch_size`` at a time; the source is taken from the URL and the
    language detected when a record gives none; each batch's site chrome is
    learned, in publication order, before its articles are cleaned; their
    bodies are sketched on ``threads`` threads (0 = every core) and added to
    one duplicate index in publication order. The GIL is released while a
    batch is processed.

    Each record is a dict with the fields of a ``storyline ingest`` JSONL
    line: ``id`` (str or int) and ``text`` (the article as scraped, chrome
    included) or ``html`` (a page, extracted when ``text`` is blank), and
    optionally ``title``, ``url``, ``source``, ``published`` (ISO 8601 str,
    or a datetime, date or Unix seconds) and ``lang``; other keys are
    ignored. Ids must be unique.

    Once every record is read, yields one dict per record, in input order::

        {"id": "b", "dup_group": "a", "copy_of": "a", "relation": "partial",
         "jaccard": 0.41, "containment": 0.93}

    ``dup_group`` is the id of the group's canonical article (the most
    complete, then the earliest, then the first read; None for an article
    without copies); ``copy_of``, ``relation``, ``jaccard`` and
    ``containment`` describe what the article copies (all None for a
    canonical or lone article).

    Args:
        batch_size: articles per batch, as the CLI's ``--batch-size``.
        threads: threads for the per-article work; results do not depend
            on it.
        spill_dir: folder for the unlinked temporary file that holds the
            shingle fingerprints candidates are verified on (about 4 bytes
            per distinct shingle). None: the system's temporary folder, as
            the CLI defaults to.
        in_memory: keep the fingerprints in memory instead (the CLI's
            ``--in-memory``); results are the same.
        pairs: called with every verified pair, as ``storyline dedup
            --pairs`` writes them: ``{"a", "b", "relation", "jaccard",
            "containment", "evidence"}`` (``a`` the later article,
            ``evidence`` the shared passages quoted from its body), after
            the batch that found it and before the first row is yielded.
        evidence: with ``pairs``, quote the shared passages (False leaves
            ``evidence`` empty and saves keeping each article's token spans).
        near_jaccard, partial_containment, min_shared_shingles, max_pairs:
            the DuplicateIndex thresholds (the defaults are the CLI's).

    Raises:
        InvalidError: a record that is not a dict, has no id, neither text
            nor html, nothing in text, html and title, a published time that
            is not ISO 8601, or an id an earlier record had (the message
            names the record: ``record 3 ('a'): ...``); an option out of
            range (raised at the call, before any record is read).
        StoreError: the spill file cannot be made or written.
    """
    if batch_size < 1:
        error = InvalidError("batch_size must be >= 1")
        error.code = "invalid_argument"
        raise error
    engine = CorpusDeduplicator(
        batch_size=batch_size,
        threads=threads,
        spill_dir=None if spill_dir is None else os.fspath(spill_dir),
        in_memory=in_memory,
        pairs=pairs is not None,
        evidence=evidence,
        near_jaccard=near_jaccard,
        partial_containment=partial_containment,
        min_shared_shingles=min_shared_shingles,
        max_pairs=max_pairs,
    )
    return _dedup_rows(engine, records, batch_size, pairs)


def _dedup_rows(
    engine: CorpusDeduplicator,
    records: Iterable[dict],
    batch_size: int,
    on_pair: Callable[[dict[str, Any]], Any] | None,
) -> Iterator[dict[str, Any]]:
    """Feeds `engine` the records, `batch_size` at a time (the engine cuts
    its own batches; this only bounds the records converted at once), hands
    the pairs found to `on_pair`, then yields the rows."""
    batch: list[dict] = []
    first = 0
    for record in records:
        batch.append(record)
        if len(batch) == batch_size:
            _deliver(engine.add(batch, first), on_pair)
            first += len(batch)
            batch = []
    if batch:
        _deliver(engine.add(batch, first), on_pair)
    rows, found = engine.finish()
    _deliver(found, on_pair)
    yield from rows


def _deliver(found: list[dict[str, Any]], on_pair: Callable[[dict[str, Any]], Any] | None) -> None:
    """Calls `on_pair` with each pair of `found` (empty without pairs=)."""
    if on_pair is not None:
        for pair in found:
            on_pair(pair)
