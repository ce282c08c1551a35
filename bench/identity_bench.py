"""Quality and cost of people's identities (issue 15): suggestions and "several people".

Pages are generated with known identities (rendered by pagegen.render): circles of
about a dozen people in one field each, every circle's papers listed on its owner's
page (the owner hidden behind `et al.` on some entries); about 30 % of people
written in two or three forms, every variant class represented (diacritics,
initials, hyphens and spaces, family name first, particles, case); about 5 % of
names carried by two different people in different fields. The store is built, and
the suggestions and the "covers several people" flags are scored against the truth.

Then the cost: name blocks written for a store of `--names` distinct names (2,000,000
by default) beside the same rows written into a plain SQLite table in the same
process, and the on-demand suggestions for one selected person (p95).

    python bench/identity_bench.py --circles 400
    python bench/identity_bench.py --circles 400 --names 2000000
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pagegen  # beside this file (python puts the script's folder on the path)
from paperdesk.identity import blocks, decisions, evidence
from paperdesk.records import Header, person_key
from paperdesk.store import build_store

FIELDS = (("IR", "SI"), ("CV", "HC"), ("CL", "AI"), ("GN", "MA"), ("CR",), ("ML", "LG"))
CIRCLE = 12
VARIANT_SHARE = 0.30
NAMESAKE_SHARE = 0.05
_ACCENTED_GIVEN = ("Jürgen", "Łukasz", "José", "Søren", "Zoë", "Björn", "Dóra", "Ülkü",
                   "Renée", "Ştefan", "Håkon", "Małgorzata", "Jörg", "Çağla", "Agnès")
_ACCENTED_FAMILY = ("Müller", "Nowak-Wójcik", "Álvarez", "Jørgensen", "Brontë", "Öztürk",
                    "Kovács", "Gómez", "Dvořák", "Šimić", "Łęcki", "Schröder", "Håland",
                    "Fürst", "Pérez", "Sánchez", "Weiß", "Köhler", "Ibáñez", "Grün")
_PARTICLE_FAMILY = ("van der Berg", "de la Cruz", "van Dijk", "von Heiden", "de Vries",
                    "van den Bosch", "da Silva", "di Marco", "dos Santos", "ter Horst")


def _zh_two(rng: random.Random) -> str:
    """A two-syllable given name (`Yuxuan`), so that `Yu-Xuan` and `Yu Xuan` exist."""
    first, second = rng.sample(pagegen._ZH_SYLLABLES, 2)
    return first.capitalize() + second


def _zh_family(rng: random.Random) -> str:
    return rng.choice(pagegen._ZH_SURNAMES)


def _accented(rng: random.Random) -> str:
    given = rng.choice(_ACCENTED_GIVEN + pagegen._EU_GIVEN)
    family = rng.choice(_ACCENTED_FAMILY)
    if rng.random() < 0.5:
        given, family = rng.choice(_ACCENTED_GIVEN), rng.choice(pagegen._EU_SURNAMES)
    return f"{given} {family}"


@dataclass
class Person:
    id: int
    name: str
    forms: list[str]
    field: int
    kind: str = "one form"


@dataclass
class World:
    people: list[Person] = field(default_factory=list)
    circles: list[list[int]] = field(default_factory=list)  # person ids, owner first


def _variant(rng: random.Random, kind: str, taken: set[str]) -> tuple[str, list[str]]:
    """A canonical name of the class and its other written forms."""
    for _ in range(200):
        if kind == "diacritics":
            name = _accented(rng)
            plain = pagegen_fold(name)
            german = pagegen_fold(name.translate(str.maketrans(
                {"ü": "ue", "ö": "oe", "ä": "ae", "Ü": "Ue", "Ö": "Oe", "Ä": "Ae"})))
            others = [plain] + ([german] if german not in (name, plain) else [])
        elif kind == "initials":
            given, family = _zh_two(rng), _zh_family(rng)
            name = f"{given} {family}"
            others = [f"{given[0]}. {family}"] + ([f"{given[0]} {family}"]
                                                   if rng.random() < 0.5 else [])
        elif kind == "hyphens and spaces":
            head, tail = rng.sample(pagegen._ZH_SYLLABLES, 2)
            given, family = head.capitalize() + tail, _zh_family(rng)
            head = head.capitalize()
            name = f"{given} {family}"
            others = [f"{head}-{tail.capitalize()} {family}"] + (
                [f"{head} {tail.capitalize()} {family}"] if rng.random() < 0.5 else [])
        elif kind == "family name first":
            given, family = _zh_two(rng), _zh_family(rng)
            name = f"{given} {family}"
            others = [f"{family} {given}"]
        elif kind == "particles":
            given = rng.choice(pagegen._EU_GIVEN)
            family = rng.choice(_PARTICLE_FAMILY)
            name = f"{given} {family}"
            others = [f"{given} {family.split()[-1]}"]
        else:  # case: the same key, counted only as a form
            name = pagegen.random_name(rng)
            others = [pagegen.case_variant(rng, name)]
        keys = {person_key(n) for n in (name, *others)}
        if len(keys) > 1 - (kind == "case") and not keys & taken:
            return name, others
    raise RuntimeError(f"no free name of the class {kind}")


def pagegen_fold(name: str) -> str:
    from anyascii import anyascii

    return anyascii(name)


def make_world(rng: random.Random, circles: int) -> World:
    world = World()
    taken: set[str] = set()
    kinds = ("diacritics", "initials", "hyphens and spaces", "family name first", "particles",
             "case")
    for c in range(circles):
        members: list[int] = []
        fld = c % len(FIELDS)
        for _ in range(CIRCLE):
            pid = len(world.people)
            if rng.random() < VARIANT_SHARE:
                kind = kinds[pid % len(kinds)]
                name, others = _variant(rng, kind, taken)
                person = Person(pid, name, [name, *others], fld, kind)
            else:
                name = pagegen.random_name(rng)
                while person_key(name) in taken:
                    name = pagegen.random_name(rng)
                person = Person(pid, name, [name], fld)
            taken.update(person_key(n) for n in person.forms)
            world.people.append(person)
            members.append(pid)
        world.circles.append(members)
    # about 5 % of names: a second, different person in another field, another circle
    for _ in range(int(len(world.people) * NAMESAKE_SHARE)):
        original = rng.choice([p for p in world.people if p.kind == "one form"])
        circle = rng.choice([i for i, m in enumerate(world.circles)
                             if FIELDS[i % len(FIELDS)] != FIELDS[original.field]
                             and not set(FIELDS[i % len(FIELDS)]) & set(FIELDS[original.field])
                             and m[0] != original.id])
        twin = Person(len(world.people), original.name, [original.name],
                      circle % len(FIELDS), "namesake")
        world.people.append(twin)
        slot = rng.randrange(1, len(world.circles[circle]))
        world.circles[circle][slot] = twin.id
    return world


def _entries(rng: random.Random, world: World, circle: list[int], fld: int,
             titles: pagegen.TitleRegistry) -> list[pagegen.ExpectedEntry]:
    entries = []
    for _ in range(rng.randint(28, 40)):
        shown = rng.sample(circle[1:], rng.randint(2, 4))
        et_al = rng.random() < 0.6
        owner_at = rng.randrange(len(shown) + 1)
        if et_al and rng.random() < 0.3:  # the owner behind `et al.`
            authors = shown
        else:
            authors = [*shown[:owner_at], circle[0], *shown[owner_at:]]
        written = tuple(rng.choice(world.people[p].forms) for p in authors)
        title, term = pagegen.random_title(rng)
        while not titles.add(title):
            title, term = pagegen.random_title(rng)
        entries.append(pagegen.ExpectedEntry(
            title, written, et_al, (), rng.choice(FIELDS[fld]), rng.randint(1, 12),
            rng.randint(1, 28), rng.randint(2015, 2025), False, None,
            pagegen.random_abstract(rng, term)))
    return entries


def write_pages(rng: random.Random, world: World, out: Path) -> None:
    titles = pagegen.TitleRegistry()
    style = pagegen.Style("full", False, False, False, False)
    for i, circle in enumerate(world.circles):
        owner = world.people[circle[0]]
        entries = _entries(rng, world, circle, owner.field, titles)
        header = Header(name=owner.name, field=FIELDS[owner.field][0], h_index=10,
                        paper_count=len(entries), citations=100, novelty=50, ai_score=50,
                        listed=len(entries))
        page = pagegen.ExpectedPage(owner.name, owner.name, header, tuple(entries), style)
        (out / f"{i:05d}.txt").write_text(pagegen.render(rng, page), encoding="utf-8")


def truth(world: World) -> tuple[set[frozenset[str]], set[str], dict[str, set[int]]]:
    """Pairs of name keys of one person; keys of two people; key -> people."""
    owners: dict[str, set[int]] = {}
    for p in world.people:
        for form in p.forms:
            owners.setdefault(person_key(form), set()).add(p.id)
    pairs = set()
    for p in world.people:
        keys = sorted({person_key(f) for f in p.forms})
        pairs.update(frozenset((a, b)) for i, a in enumerate(keys) for b in keys[i + 1:])
    shared = {k for k, ids in owners.items() if len(ids) > 1}
    return pairs, shared, owners


def _clusters(pairs: list[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {k: root(k) for k in list(parent)}


def score(conn: sqlite3.Connection, world: World) -> dict[str, float]:
    now = decisions.State()
    present = {r[0] for r in conn.execute("SELECT DISTINCT person FROM paper_authors")}
    true_pairs, shared, owners = truth(world)
    true_pairs = {p for p in true_pairs if p <= present}  # both forms were written
    started = time.perf_counter()
    found = evidence.all_suggestions(conn, now)
    all_ms = (time.perf_counter() - started) * 1000
    predicted = [s.keys for s in found]
    good = [k for k in predicted if set.intersection(*(owners.get(x, set()) for x in k))]
    roots = _clusters(predicted)
    joined = [p for p in true_pairs if len({roots.get(k, k) for k in p}) == 1]
    by_class: dict[str, list[int]] = {}
    for p in world.people:
        keys = {person_key(f) for f in p.forms} & present
        if len(keys) > 1:
            hit = len({roots.get(k, k) for k in keys}) == 1
            by_class.setdefault(p.kind, []).append(int(hit))
    started = time.perf_counter()
    flagged = {s.person for s in evidence.all_several(conn, now, min_papers=4)}
    several_ms = (time.perf_counter() - started) * 1000
    shared_present = shared & present
    out = {
        "suggestions": len(predicted), "without evidence": sum(
            not s.evidence.strong for s in found),
        "precision": len(good) / len(predicted) if predicted else 1.0,
        "recall": len(joined) / len(true_pairs) if true_pairs else 1.0,
        "true pairs": len(true_pairs),
        "flags": len(flagged),
        "flag precision": len(flagged & shared_present) / len(flagged) if flagged else 1.0,
        "flag recall": len(flagged & shared_present) / len(shared_present)
        if shared_present else 1.0,
        "names shared": len(shared_present),
        "all suggestions ms": all_ms, "all several ms": several_ms,
    }
    for kind, hits in sorted(by_class.items()):
        out[f"recall {kind}"] = sum(hits) / len(hits)
    return out


def on_demand(conn: sqlite3.Connection, sample: int, rng: random.Random) -> list[float]:
    keys = [r[0] for r in conn.execute("SELECT key FROM people")]
    now = decisions.State()
    times = []
    for key in rng.sample(keys, min(sample, len(keys))):
        started = time.perf_counter()
        evidence.suggestions_for(conn, key, now)
        evidence.several(conn, key, now)
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _names(seed: int, count: int) -> Iterator[tuple[str, str]]:
    """`count` distinct (key, name) rows; one in seven written with an initial."""
    rng = random.Random(seed)
    for i in range(count):
        name = pagegen.random_name(rng)
        if i % 7 == 0:
            name = f"{name[0]}. {name.split()[-1]}"
        yield f"{person_key(name)} {i}", name


def cost_at(names: int, seed: int, folder: Path) -> dict[str, float]:
    """Blocks for `names` distinct names beside a plain table of the same rows (same
    process, same file), and the block look-up of an on-demand suggestion (p95)."""
    started = time.perf_counter()
    for _ in _names(seed, names):  # making the names: paid by both, taken off both
        pass
    making = time.perf_counter() - started
    conn = sqlite3.connect(folder / "cost.db")
    conn.execute(blocks.CREATE)
    conn.execute("CREATE TABLE plain (key TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID")
    started = time.perf_counter()
    conn.executemany("INSERT INTO plain VALUES (?, ?)", _names(seed, names))
    conn.commit()
    plain = time.perf_counter() - started - making
    started = time.perf_counter()
    written = blocks.add(conn, _names(seed, names))
    conn.commit()
    blocked = time.perf_counter() - started - making
    rng = random.Random(seed)
    looks = []
    for _ in range(300):
        key = f"{rng.randrange(names)}"
        (found,) = conn.execute("SELECT key FROM plain WHERE key LIKE ? LIMIT 1",
                                ("%" + key,)).fetchone() or ("",)
        started = time.perf_counter()
        evidence.candidates(conn, {found})
        looks.append((time.perf_counter() - started) * 1000)
    conn.close()
    return {"names": names, "block rows": written, "making the names s": making,
            "plain table s": plain,
            "name blocks s": blocked, "ratio": blocked / plain,
            "candidates of one name p95 ms": p95(looks)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--circles", type=int, default=400)
    parser.add_argument("--names", type=int, default=0,
                        help="also time name blocks for this many names (e.g. 2000000)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    world = make_world(rng, args.circles)
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        write_pages(rng, world, pages)
        started = time.perf_counter()
        report = build_store([pages], Path(tmp) / "store.db")
        build_s = time.perf_counter() - started
        conn = sqlite3.connect(Path(tmp) / "store.db")
        started = time.perf_counter()
        blocks.fill(conn)
        fill_s = time.perf_counter() - started
        conn.rollback()
        print(f"{report.pages} pages, {report.papers} papers, {report.people} names; "
              f"{len(world.people)} people; build {build_s:.1f} s, of which name blocks "
              f"{fill_s:.2f} s ({100 * fill_s / build_s:.1f} %)")
        for key, value in score(conn, world).items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
        times = on_demand(conn, 300, rng)
        print(f"  on demand, one person (suggestions + several): p95 {p95(times):.1f} ms, "
              f"max {max(times):.1f} ms over {len(times)}")
        conn.close()
        if args.names:
            for key, value in cost_at(args.names, args.seed, Path(tmp)).items():
                print(f"  at scale, {key}: {value:.2f}" if isinstance(value, float)
                      else f"  at scale, {key}: {value}")


if __name__ == "__main__":
    main()
