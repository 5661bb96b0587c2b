"""Corrections kept like marks: records in the sidecar file beside the marks, re-anchored
when a source changes (found again, or reported as lost and never applied to the wrong
sentence), merged between two writers, and crash-safe."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from budget_story import A, B, C

from reader.core.alignment.corrections import LINK, UNLINK
from reader.core.marks.corrections import (
    CORRECTIONS,
    CorrectionStore,
    correction_from_dict,
    correction_to_dict,
    decide,
    lost_report,
    make_correction,
    read_corrections,
    reanchor_corrections,
    resolve,
)
from reader.core.marks.marks import FUZZY, MOVED, ORPHANED
from reader.core.marks.storage import FILE_NAME, MarkStore, load_marks
from reader.core.text.load import documents_from_texts
from reader.core.text.segment import segment


def sources(a: str = A, b: str = B, c: str = C):
    return segment(documents_from_texts({"a.txt": a, "b.txt": b, "c.txt": c}))


def found_again(items, srcs):
    return resolve(reanchor_corrections(items, srcs), srcs)


# -- records ----------------------------------------------------------------------------------
def test_a_correction_round_trips_and_names_its_sentences():
    srcs = sources()
    c = make_correction(srcs, (1, 2), (0, 1), LINK, correction_id="c1")
    assert (c.a.source, c.b.source) == ("a.txt", "b.txt")  # smaller source first
    assert c.a.exact == srcs[0].sentence(1) and c.b.exact == srcs[1].sentence(2)
    assert correction_from_dict(json.loads(json.dumps(correction_to_dict(c)))) == c
    assert CORRECTIONS.key == "corrections"
    bad = correction_to_dict(c) | {"op": "maybe"}
    with pytest.raises(ValueError):
        correction_from_dict(bad)


def test_the_latest_decision_about_a_pair_is_in_force():
    srcs = sources()
    old = make_correction(srcs, (0, 1), (1, 2), LINK, now="2024-01-01T00:00:00.000001Z")
    new = make_correction(srcs, (0, 1), (1, 2), UNLINK, now="2024-01-01T00:00:00.000002Z")
    resolved = resolve([new, old], srcs)
    assert resolved.corrections.unlinked == {((0, 1), (1, 2))} and not resolved.corrections.linked
    assert resolved.pairs[old.id] == resolved.pairs[new.id]


# -- re-anchoring ------------------------------------------------------------------------------
def test_a_sentence_inserted_at_the_top_moves_the_correction_with_its_sentence():
    srcs = sources()
    c = make_correction(srcs, (0, 1), (1, 2), LINK)
    edited = sources(a="Breaking news from the city hall today. " + A)
    resolved = found_again([c], edited)
    assert resolved.corrections.linked == {((0, 2), (1, 2))}
    assert edited[0].sentence(2) == srcs[0].sentence(1)
    assert reanchor_corrections([c], edited)[0].a.status == MOVED


def test_an_edited_sentence_is_found_again_fuzzily():
    srcs = sources()
    c = make_correction(srcs, (0, 2), (1, 1), LINK)
    edited = sources(
        a=A.replace("as a turning point for the city", "as a real turning point for our city")
    )
    again = reanchor_corrections([c], edited)[0]
    assert again.a.status == FUZZY
    assert found_again([c], edited).corrections.linked == {((0, 2), (1, 1))}


def test_a_deleted_sentence_is_reported_kept_and_never_applied_elsewhere():
    srcs = sources()
    c = make_correction(srcs, (0, 2), (1, 1), LINK)
    edited = sources(
        a=A.replace("The mayor praised the vote as a turning point for the city. ", "")
    )
    resolved = found_again([c], edited)
    assert not resolved.corrections  # applied to no sentence
    assert [x.id for x in resolved.lost] == [c.id]
    (line,) = lost_report(resolved.lost)
    assert "not found again in a.txt" in line and "mayor praised" in line
    assert reanchor_corrections([c], edited)[0].a.status == ORPHANED


def test_a_lost_correction_stays_in_the_file_when_the_session_saves(tmp_path):
    srcs = sources()
    path = tmp_path / FILE_NAME
    store = CorrectionStore(path)
    store.load()
    lost = make_correction(srcs, (0, 2), (1, 1), LINK)
    store.records.put(lost)
    store.sync()
    edited = sources(
        a=A.replace("The mayor praised the vote as a turning point for the city. ", "")
    )
    again = CorrectionStore(path, prepare=lambda cs: reanchor_corrections(cs, edited))
    again.load()
    assert again.items[0].lost
    resolved = resolve(again.items, edited)
    decide(again.records, resolved, edited, (0, 0), (1, 0), LINK)
    again.sync()
    on_disk, problems = read_corrections(path)
    assert not problems
    assert {x.id for x in on_disk} == {lost.id} | {x.id for x in again.items}
    assert next(x for x in on_disk if x.id == lost.id) == lost  # as it was saved


# -- the file: beside the marks, two writers, a crash ---------------------------------------
def test_corrections_and_marks_share_the_file_and_keep_each_other(tmp_path):
    from reader.core.marks.marks import Mark, Target

    srcs = sources()
    path = tmp_path / FILE_NAME
    marks, corrections = MarkStore(path), CorrectionStore(path)
    marks.load()
    corrections.load()
    mark = Mark("m1", (Target("a.txt", 0, 5, "The c"),), created="x", modified="x")
    marks.save([mark])
    decide(corrections.records, resolve([], srcs), srcs, (0, 0), (1, 0), LINK)
    corrections.sync()
    marks.save([mark, Mark("m2", (Target("b.txt", 0, 2, "On"),), created="x", modified="x")])
    doc = json.loads(path.read_text())
    assert len(doc["marks"]) == 2 and len(doc["corrections"]) == 1
    assert [m.id for m in load_marks(path).marks] == ["m1", "m2"]


def test_two_sessions_deciding_different_pairs_keep_both(tmp_path):
    srcs = sources()
    path = tmp_path / FILE_NAME
    one, two = CorrectionStore(path), CorrectionStore(path)
    one.load()
    two.load()
    decide(one.records, resolve(one.items, srcs), srcs, (0, 0), (1, 0), LINK)
    decide(two.records, resolve(two.items, srcs), srcs, (0, 1), (2, 2), UNLINK)
    one.sync()
    two.sync()
    one.sync()
    assert len(read_corrections(path)[0]) == 2
    assert {c.id for c in one.items} == {c.id for c in two.items}
    # undone in one session (its record removed), kept by the other
    gone = next(c for c in one.items if c.op == LINK)
    one.records.remove(gone.id)
    one.sync()
    two.sync()
    assert [c.op for c in two.items] == [UNLINK]


CHILD = textwrap.dedent("""
    import sys
    from reader.core.alignment.corrections import LINK
    from reader.core.marks.corrections import CorrectionStore, decide, resolve
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import segment

    path, who, n, a, b, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:7]
    srcs = segment(documents_from_texts({"a.txt": a, "b.txt": b, "c.txt": c}))
    store = CorrectionStore(path)
    store.load()
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for k in range(n):
        x = (0, k % len(srcs[0])) if who == "one" else (2, k % len(srcs[2]))
        y = (1, (k // len(srcs[0])) % len(srcs[1]))
        decide(store.records, resolve(store.items, srcs), srcs, x, y, LINK)
        result = store.sync()
        assert not result.error, result.error
    print("done", len(store.items), flush=True)
""")


def test_two_processes_correcting_at_once_lose_nothing(tmp_path):
    """Two processes add corrections to one folder at the same moment, each syncing
    after every one: every correction of both is in the file at the end."""
    path = tmp_path / FILE_NAME
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), who, "12", A, B, C],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("one", "two")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    items, problems = read_corrections(path)
    assert not problems
    srcs = sources()
    resolved = resolve(items, srcs)
    assert len(resolved.corrections.linked) == 24  # 12 pairs each, none lost


KILL_CHILD = textwrap.dedent("""
    import sys
    from reader.core.marks.corrections import Correction, CorrectionStore
    from reader.core.marks.marks import Target

    def state(k):
        n = 1 + k % 5
        pad = "\\u00e9x" * 20000  # large enough that kills land mid-write
        return [Correction(f"{k}-{i}", "link",
                           Target("a.txt", i, i + 5, f"{k} {i} {pad}"),
                           Target("b.txt", i, i + 5, f"{k} {i}"), "t", "t")
                for i in range(n)]

    store = CorrectionStore(sys.argv[1])
    store.load()
    k = int(store.items[0].id.split("-")[0]) if store.items else 0
    print("ready", flush=True)
    while True:
        k += 1
        store.records.replace_all(state(k))
        result = store.sync()
        assert not result.error, result.error
        print("saved", k, flush=True)  # sync returned: state k is on disk
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_save_never_loses_or_tears_the_corrections(tmp_path):
    """As for marks: a process saving corrections is killed after 1-3 reported saves,
    20 times; each time the file holds one whole state, never older than reported."""
    path = tmp_path / FILE_NAME
    rng = random.Random(20240502)
    last = 0
    for kill in range(1, 21):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            for _ in range(rng.randint(1, 3)):
                word, k = proc.stdout.readline().split()
                assert word == "saved"
                done = int(k)
            time.sleep(rng.uniform(0.0, 0.01))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        items, problems = read_corrections(path)
        assert not problems, f"after kill {kill}: {problems}"
        gens = {c.id.split("-")[0] for c in items}
        assert len(gens) == 1, f"after kill {kill}: a mix of states {gens}"
        k = int(gens.pop())
        assert len(items) == 1 + k % 5, f"after kill {kill}: state {k} is not whole"
        assert k >= done and k > last
        last = k
        for p in Path(tmp_path).iterdir():
            if p.name.endswith(".tmp"):
                p.unlink()
