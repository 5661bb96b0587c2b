"""The quiet collector's hold around a correction's frame (reader/ui/collector.py)."""

from __future__ import annotations

import gc

import pytest

from reader.ui.collector import QuietCollector


@pytest.fixture
def collector():
    was = gc.isenabled()
    gc.enable()
    yield QuietCollector()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_quiet_frame_holds_the_collector_until_the_frame_is_painted(collector):
    painted = []
    collector.quiet_frame(lambda callback: painted.append(callback) or True)
    assert not gc.isenabled()
    collector.quiet_frame(lambda callback: painted.append(callback) or True)  # a second key
    assert not gc.isenabled() and len(painted) == 2
    painted[0]()
    assert gc.isenabled()
    painted[1]()  # the later callback changes nothing
    assert gc.isenabled()


def test_quiet_frame_ends_at_once_when_no_frame_can_be_awaited(collector):
    collector.quiet_frame(lambda callback: False)  # the app is closing
    assert gc.isenabled()


def test_quiet_frame_leaves_a_held_collector_held(collector):
    collector.hold()  # start-up
    called = []
    collector.quiet_frame(lambda callback: called.append(callback) or True)
    assert not gc.isenabled() and called == []


def test_a_frame_that_never_comes_ends_the_hold_on_the_idle_check(collector, monkeypatch):
    import reader.ui.collector as module

    collector.quiet_frame(lambda callback: True)  # never called back
    assert not gc.isenabled()
    clock = module.time.monotonic() + module.QUIET_LIMIT + 1
    monkeypatch.setattr(module.time, "monotonic", lambda: clock)
    collector.idle()
    assert gc.isenabled()
