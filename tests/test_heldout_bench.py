"""bench/heldout.py stays a held-out check: its real records are not in the tuning
sample, and its generated pages carry the truth they claim (marks shown, not read)."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
heldout = importlib.import_module("heldout")
realpages = importlib.import_module("realpages")


def _key(title: str) -> str:
    return re.sub(r"\W+", "", title.casefold())


def test_real_held_out_records_are_not_in_the_tuning_sample() -> None:
    if not realpages.REALDATA.is_file():
        pytest.skip(f"real-data sample not found at {realpages.REALDATA}")
    records = [json.loads(line) for line in
               heldout.RECENT.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 81
    assert all(r["source"].startswith("a1henu/arxiv-daily-scroll@") for r in records)
    tuned = [json.loads(line) for line in
             realpages.REALDATA.read_text(encoding="utf-8").splitlines()]
    assert not {r["arxiv_id"] for r in records} & {r["arxiv_id"] for r in tuned}
    assert not {_key(r["title"]) for r in records} & {_key(r["title"]) for r in tuned}


def test_generated_marks_are_shown_on_the_page_but_not_in_the_truth() -> None:
    for name, text, truth in heldout.pages(heldout.synthetic("asterisk mark (Tsai*)", 20)):
        assert "*" in text, name
        assert not any("*" in a for e in truth.entries for a in e.authors)
    colon = list(heldout.pages(heldout.synthetic(heldout.COLON, 20)))
    assert all(", :, " in text for _, text, _ in colon)
    assert not any(":" in a for _, _, t in colon for e in t.entries for a in e.authors)


def test_plain_generated_names_are_read_exactly() -> None:
    papers = heldout.synthetic("plain (control)", 60)
    figures = realpages.evaluate([*heldout.pages(papers), *heldout.pages(papers, flip=True)])
    assert figures.entries == 120
    assert figures.splits == 60
    assert figures.exact == 120, figures.failures[:3]
