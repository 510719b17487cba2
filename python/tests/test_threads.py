"""The GIL is released in the heavy calls: threads run them side by side
and get what one thread gets."""
import threading
from concurrent.futures import ThreadPoolExecutor

import storyline


def corpus(seeds):
    """Long texts made of the seeds, each a little different."""
    texts = list(seeds.values())
    return [f"{i}\n" + "\n".join(texts[i % len(texts):] + texts[:i % len(texts)]) * 3
            for i in range(40)]


def test_two_threads_sketching_get_the_same_sketches(seeds):
    texts = corpus(seeds)
    alone = [storyline.sketch(t).fingerprints for t in texts]
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(lambda: [storyline.sketch(t).fingerprints for t in texts])
        second = pool.submit(lambda: [storyline.sketch(t).fingerprints for t in reversed(texts)])
        assert first.result() == alone
        assert second.result() == alone[::-1]


def test_python_runs_while_a_thread_sketches(seeds):
    # One long C++ call on a thread: with the GIL released the main thread
    # keeps running Python meanwhile; with it held it would stop until the
    # call returned.
    texts = corpus(seeds) * 10
    started = threading.Event()
    done = threading.Event()

    def work():
        started.set()
        storyline.sketch_many(texts, clean=True, threads=1)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    steps = 0
    while not done.is_set():
        steps += 1
    worker.join()
    assert steps > 1000


def test_threads_adding_to_one_index_give_the_groups_of_one_thread(seeds):
    bodies = [storyline.clean(t).body for t in seeds.values()]
    docs = []
    for i, body in enumerate(bodies):
        paragraphs = body.split("\n")
        docs.append((f"{i}-full", body))
        docs.append((f"{i}-copy", body))
        docs.append((f"{i}-cut", "\n".join(paragraphs[: max(2, len(paragraphs) // 2)])))

    def groups(index):
        return sorted({tuple(index.group(i).members) for i, _ in docs})

    alone = storyline.DuplicateIndex()
    for i, text in docs:
        alone.add(i, text)
    shared = storyline.DuplicateIndex()
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda d: shared.add(*d), docs))
    assert groups(shared) == groups(alone)
    assert len(groups(alone)) <= len(bodies)


def test_store_reads_from_threads(store_path):
    with storyline.Store(str(store_path)) as db:
        alone = [s.id for s in db.stories(limit=200)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            got = list(pool.map(lambda _: [s.id for s in db.stories(limit=200)], range(8)))
        assert all(g == alone for g in got)
