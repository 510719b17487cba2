#!/usr/bin/python3
"""Keeps docs/contract.md true: what the CLI writes must match its schemas.

  contract_test.py --bin out/release/apps/storyline/storyline \
      --source . [--shared ../shared]

Ingests examples/ (and the seeds, when --shared has them) into a fresh
store, then validates `export --format json --lines --text`, every record of
`export --format jsonl` and `clean --format json` against the JSON Schemas in
docs/schema/, and checks what a schema cannot say: every article in exactly
one story and every story in one storyline, the lists naming each other,
copies sharing their original's story, dup groups made of their pairs.
Then `dedup --pairs` on the same inputs: every line and pair validated, and
its dup groups and copy links equal to those the store holds.
Exits 1 with the failures listed. Run by ctest (Debian's python3-jsonschema).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


def validator(schema_dir, name):
    with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
        schema = json.load(f)
    store = {}
    for other in os.listdir(schema_dir):
        with open(os.path.join(schema_dir, other), encoding="utf-8") as f:
            s = json.load(f)
        store[s["$id"]] = s
        store[other] = s
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, resolver=resolver)


def schema_errors(v, doc, what):
    return [f"{what}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in v.iter_errors(doc)]


def consistency_errors(doc):
    errors = []
    articles = {a["id"]: a for a in doc["articles"]}
    stories = {s["id"]: s for s in doc["stories"]}
    storylines = {l["id"]: l for l in doc["storylines"]}
    seen = {}
    for s in doc["stories"]:
        if s["size"] != len(s["articles"]):
            errors.append(f"story {s['id']}: size {s['size']} but {len(s['articles'])} articles")
        for a in s["articles"]:
            if a in seen:
                errors.append(f"article {a} in stories {seen[a]} and {s['id']}")
            seen[a] = s["id"]
            if a not in articles:
                errors.append(f"story {s['id']} names unknown article {a}")
            elif articles[a]["story"] != s["id"]:
                errors.append(f"article {a} says story {articles[a]['story']}, listed in {s['id']}")
        line = s["storyline"]
        if line not in storylines or s["id"] not in storylines[line]["stories"]:
            errors.append(f"story {s['id']} not listed by its storyline {line}")
    for a in articles.values():
        if a["id"] not in seen:
            errors.append(f"article {a['id']} in no story")
        if a["copy_of"] is not None:
            original = articles.get(a["copy_of"])
            if original is None:
                errors.append(f"article {a['id']} copies unknown {a['copy_of']}")
            elif original["story"] != a["story"]:
                errors.append(f"copy {a['id']} in story {a['story']}, its original in "
                              f"{original['story']}")
    for l in doc["storylines"]:
        for s in l["stories"]:
            if s not in stories or stories[s]["storyline"] != l["id"]:
                errors.append(f"storyline {l['id']} lists story {s} that is not its own")
    linked = {}
    for d in doc["duplicates"]:
        for x in (d["a"], d["b"]):
            if x not in articles:
                errors.append(f"duplicate pair names unknown article {x}")
        linked.setdefault(d["a"], set()).add(d["b"])
        linked.setdefault(d["b"], set()).add(d["a"])
    for g in doc["dup_groups"]:
        if g["canonical"] not in g["members"]:
            errors.append(f"dup group {g['id']}: canonical {g['canonical']} not a member")
        for m in g["members"]:
            if articles.get(m, {}).get("dup_group") != g["id"]:
                errors.append(f"dup group {g['id']}: member {m} says otherwise")
            if not linked.get(m, set()) & set(g["members"]):
                errors.append(f"dup group {g['id']}: member {m} has no pair in the group")
    return errors


def dedup_errors(doc, lines, pairs):
    """What `storyline dedup` says against the export of the same inputs."""
    errors = []
    articles = {a["id"]: a for a in doc["articles"]}
    ids = [l["id"] for l in lines]
    if sorted(ids) != sorted(articles):
        errors.append(f"dedup has {len(ids)} articles, the export {len(articles)}")
    by_id = {l["id"]: l for l in lines}
    for l in lines:
        a = articles.get(l["id"])
        if a is None:
            continue
        for key in ("dup_group", "copy_of"):
            if l[key] != a[key]:
                errors.append(f"dedup {l['id']}: {key} {l[key]}, ingest says {a[key]}")
        if l["dup_group"] is not None and by_id.get(l["dup_group"], {}).get("dup_group") != \
                l["dup_group"]:
            errors.append(f"dedup {l['id']}: canonical {l['dup_group']} not in its own group")
    for p in pairs:
        a, b = by_id.get(p["a"]), by_id.get(p["b"])
        if a is None or b is None:
            errors.append(f"dedup pair {p['a']}-{p['b']} names an unknown article")
        elif a["dup_group"] is None or a["dup_group"] != b["dup_group"]:
            errors.append(f"dedup pair {p['a']}-{p['b']} is not inside one group")
    return errors


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--shared", default="")
    args = p.parse_args()
    schemas = os.path.join(args.source, "docs", "schema")
    export_v = validator(schemas, "export.schema.json")
    clean_v = validator(schemas, "clean.schema.json")
    dedup_v = validator(schemas, "dedup.schema.json")
    pair_v = validator(schemas, "dedup-pair.schema.json")
    inputs = [os.path.join(args.source, "examples", "news.jsonl"),
              os.path.join(args.source, "examples", "txt")]
    seeds = os.path.join(args.shared, "seeds") if args.shared else ""
    if seeds and os.path.isdir(seeds):
        inputs.append(seeds)
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "c.db")
        run([args.bin, "ingest", "--db", db, "--quiet"] + inputs)
        doc = json.loads(run([args.bin, "export", "--db", db, "--format", "json", "--lines",
                              "--text"]))
        errors += schema_errors(export_v, doc, "export json")
        errors += consistency_errors(doc)
        records = [json.loads(l) for l in run([args.bin, "export", "--db", db, "--format",
                                                "jsonl"]).splitlines() if l.strip()]
        article_v = export_v.evolve(schema={"$ref": "#/$defs/article"})
        for i, r in enumerate(records):
            errors += schema_errors(article_v, r, f"export jsonl line {i + 1}")
        if len(records) != len(doc["articles"]):
            errors.append(f"jsonl has {len(records)} articles, json {len(doc['articles'])}")
        cleaned = json.loads(run([args.bin, "clean", "--format", "json"] + inputs))
        errors += schema_errors(clean_v, cleaned, "clean json")
        pairs_file = os.path.join(tmp, "pairs.jsonl")
        lines = [json.loads(l) for l in run([args.bin, "dedup", "--quiet", "--pairs", pairs_file]
                                            + inputs).splitlines() if l.strip()]
        with open(pairs_file, encoding="utf-8") as f:
            pairs = [json.loads(l) for l in f if l.strip()]
        for i, l in enumerate(lines):
            errors += schema_errors(dedup_v, l, f"dedup line {i + 1}")
        for i, l in enumerate(pairs):
            errors += schema_errors(pair_v, l, f"dedup pair {i + 1}")
        errors += dedup_errors(doc, lines, pairs)
        if not pairs:
            errors.append("dedup found no pair on the examples")
        counts = (len(doc["articles"]), len(doc["stories"]), len(doc["storylines"]))
    for e in errors[:50]:
        print(e)
    if errors:
        print(f"{len(errors)} contract failures")
        return 1
    print("contract: export json, %d jsonl records, clean json and %d dedup lines and %d pairs "
          "match docs/schema (%d articles, %d stories, %d storylines)"
          % (len(records), len(lines), len(pairs), *counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
