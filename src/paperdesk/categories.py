"""The arXiv category taxonomy, as pages show it.

A page shows a category without its archive prefix: `IR` for cs.IR, `mes-hall`
for cond-mat.mes-hall, and a whole archive as itself (`hep-th`). Some short
forms name several categories (`NA` is cs.NA or math.NA): the page's code is
kept as shown and `meanings` names every category it may be. The data is the
full taxonomy with names (data/arxiv_categories.json, from arXiv's own
arxiv-base package), retired archives included.
"""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def taxonomy() -> dict[str, str]:
    """Every full arXiv code (`cs.IR`, `hep-th`, `cond-mat.mes-hall`) -> its name."""
    data = resources.files("paperdesk").joinpath("data/arxiv_categories.json")
    return dict(json.loads(data.read_text(encoding="utf-8"))["categories"])


def short_form(code: str) -> str:
    """`IR` for `cs.IR`, `hep-th` for `hep-th`: the form a page shows."""
    return code.split(".", 1)[1] if "." in code else code


@functools.cache
def _by_short() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code in taxonomy():
        found.setdefault(short_form(code), []).append(code)
    return {short: tuple(codes) for short, codes in found.items()}


def meanings(shown: str) -> tuple[tuple[str, str], ...]:
    """Every (full code, name) the code a page shows may stand for; () when unknown.

    A full code (`math.NA`) means itself."""
    names = taxonomy()
    if "." in shown:
        return ((shown, names[shown]),) if shown in names else ()
    return tuple((code, names[code]) for code in _by_short().get(shown, ()))


def is_known(shown: str) -> bool:
    return bool(meanings(shown))
