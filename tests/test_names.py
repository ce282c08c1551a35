"""names.PARTICLES: nameparser's list of name particles, written out."""

from __future__ import annotations

from nameparser.config import CONSTANTS

from paperdesk import names
from paperdesk.identity.forms import blocks
from paperdesk.seam import split_run_together


def test_the_particles_are_nameparsers_less_hyphenated_ones_plus_four() -> None:
    """The list a build used to read from nameparser when first needed (0.23 G
    instructions of a build of the real pages): its prefixes less those written with a
    hyphen (glued to the surname), plus Iberian conjunctions and the Dutch `ten`. A
    nameparser that changes its list fails here: the change is then taken on purpose."""
    theirs = {p for p in CONSTANTS.prefixes if not p.endswith("-")}
    assert theirs | {"e", "y", "i", "ten"} == names.PARTICLES
    assert {"van", "de", "della", "'t", "\u2019t", "ibn", "ten"} <= names.PARTICLES
    assert not {"al-", "ad-", "van der"} & names.PARTICLES


def test_particles_are_read_in_names_splits_and_name_blocks() -> None:
    assert names.is_particle("van") and names.is_particle("ten")
    assert not names.is_particle("Van") and not names.is_particle("vann")
    split = split_run_together("Sparse Retrieval at ScaleJan ten Brink, Ana del Mar Ruiz")
    assert (split.title, split.authors) == ("Sparse Retrieval at Scale",
                                            ("Jan ten Brink", "Ana del Mar Ruiz"))
    assert blocks("Pieter van den Broek") == {"broek|p"}
