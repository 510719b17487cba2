"""storyline.clean and clean_corpus: line roles and bodies."""
import collections
import re

import pytest

import storyline

SEED = "000_a3f1629fa6950c37"
# A wire dateline opening a paragraph: "CITY, <day> <month> (Agency) -".
DATELINE = re.compile(r"^[A-ZÀ-Ý' -]{3,}, \d{1,2} \w+ \((\w+)\)")


def repeated_lines(text):
    """The non-blank lines written more than once in `text`, in order."""
    counts = collections.Counter(line for line in text.split("\n") if line.strip())
    return [line for line, n in counts.items() if n >= 2]


def test_seed_article_gets_body_and_boilerplate_roles(seeds):
    text = seeds[SEED]
    article = storyline.clean(text)
    assert len(article.lines) == len(text.rstrip("\n").split("\n"))
    assert [line.n for line in article.lines] == list(range(1, len(article.lines) + 1))
    assert all(line.role in storyline.ROLES for line in article.lines)

    # The headline (the file's first line) is the title; the site's prompt
    # repeated down the page is chrome; the dateline paragraph is body.
    first_line = text.split("\n", 1)[0].strip()
    assert article.title_line == 1
    assert article.title == first_line
    repeats = repeated_lines(text)
    assert repeats, "the seed repeats its sign-up prompt"
    prompt = max(repeats, key=len)
    prompts = [line for line in article.lines if line.text == prompt]
    assert len(prompts) >= 2
    assert prompts[0].role == "boilerplate"
    assert all(line.role in ("boilerplate", "duplicate") for line in prompts[1:])
    assert all(line.reason for line in prompts)
    dateline = next(line for line in article.lines if DATELINE.match(line.text))
    assert dateline.role == "body" and dateline.is_body

    # The body is made of the body lines, and of nothing else.
    body_lines = [line.text.strip() for line in article.lines if line.is_body]
    assert article.body == "\n".join(body_lines)
    assert prompt not in article.body
    assert dateline.text.strip() in article.body
    assert {line.role for line in article.lines} >= {"title", "body", "boilerplate", "blank"}


def test_every_seed_keeps_a_body(seeds):
    for name, text in seeds.items():
        article = storyline.clean({"id": name, "text": text})
        assert article.id == name
        assert len(article.body) > 0.3 * len(text), name


def test_given_title_is_kept(seeds):
    article = storyline.clean(seeds[SEED], title="A title of my own")
    assert article.title == "A title of my own"


def test_records_read_like_dataclasses(seeds):
    article = storyline.clean(seeds[SEED])
    line = article.lines[0]
    assert line.to_dict() == {"n": 1, "role": line.role, "reason": line.reason,
                              "text": line.text, "is_body": line.is_body}
    assert repr(line).startswith("Line(n=1, role='title'")
    assert line == storyline.clean(seeds[SEED]).lines[0]
    assert article.lines is article.lines  # built once


def test_clean_corpus_learns_site_chrome(news):
    # Articles of one site share a footer; alone an article cannot tell it
    # from reporting, with its siblings it can.
    cleaned = storyline.clean_corpus(news)
    assert [c.id for c in cleaned] == [r["id"] for r in news]
    for record, c in zip(news, cleaned):
        assert c.body, record["id"]
        assert record["title"] == c.title
    chrome = sum(1 for c in cleaned for line in c.lines if line.role == "boilerplate")
    assert chrome > 0


def test_bad_records_raise_with_a_message():
    with pytest.raises(storyline.InvalidError, match="'text' must be a str") as info:
        storyline.clean({"id": "x", "text": 42})
    assert info.value.code == "invalid_input"
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, storyline.Error)
    with pytest.raises(storyline.InvalidError, match="record 1: expected a dict or a str"):
        storyline.clean_corpus(["fine", 3.5])
    with pytest.raises(storyline.InvalidError, match="must be|>= 1|below"):
        storyline.clean_corpus(["a"], min_stories=0)
