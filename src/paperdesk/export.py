"""Exports of the store: JSON (a contract users script against), CSV, BibTeX, Markdown.

Every writer streams: papers come from an iterator and go straight out.

Page text is data, never code, in every format (issue 10): a CSV cell a
spreadsheet would read as a formula starts with an apostrophe; BibTeX fields
carry braces only in balanced pairs they write themselves; Markdown escapes the
characters that make HTML, links and images; and terminal control characters
(ESC, CSI...) never reach the output raw (JSON escapes them, the text formats
show U+FFFD), so that printing an export to a terminal cannot drive it.

`notes` (paper id -> the user's notes, as userdata.PaperNotes) adds the user's
star, read state, rating, tags and note to every format; a paper it lacks has none.

Every format keeps the category code as the page shows it (`category`), but for
BibTeX's `keywords`, which is the full arXiv code: the user's choice for the paper,
else their choice for the profiles listing it, else those profiles' field
(paperdesk.readings); a short form nothing settles (`NA`, cs.NA or math.NA) is
written as the page shows it, never one of its meanings guessed.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TextIO

from anyascii import anyascii
from pylatexenc.latexencode import UnicodeToLatexEncoder

from paperdesk import categories
from paperdesk.readings import Choices, Readings
from paperdesk.store import PaperRow, ProfileRow, Store
from paperdesk.userdata import PaperNotes

FORMATS = ("json", "csv", "bibtex", "markdown")
Notes = Mapping[str, PaperNotes]
_NONE: Notes = {}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _notes(notes: Notes, paper: PaperRow) -> PaperNotes:
    return notes.get(paper.id) or PaperNotes(paper.id)


def paper_json(paper: PaperRow, notes: PaperNotes | None = None) -> dict[str, object]:
    mine = notes or PaperNotes(paper.id)
    return {
        "id": paper.id, "title": paper.page_title, "authors": paper.author_list,
        "et_al": paper.et_al, "affiliations": paper.affiliation_list,
        "category": paper.category, "date": paper.date, "year_inferred": paper.year_inferred,
        "has_code": paper.has_code, "score": paper.score, "abstract": paper.page_abstract,
        "doubtful": paper.doubtful,
        "starred": mine.starred, "read_state": mine.read_state, "rating": mine.rating,
        "tags": list(mine.tags), "note": mine.note,
    }


def profile_json(store: Store, profile: ProfileRow) -> dict[str, object]:
    return {
        "source": profile.source, "name": profile.name, "name_inferred": profile.name_inferred,
        "field": profile.field, "h_index": profile.h_index, "paper_count": profile.paper_count,
        "citations": profile.citations, "novelty": profile.novelty,
        "ai_score": profile.ai_score, "papers": store.profile_paper_ids(profile.id),
    }


# C0 and C1 control characters and DEL: what drives a terminal (ESC, CSI, OSC...).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same, but CR, which ends CSV lines (a parser splits page lines at CR anyway).
_STREAM_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")  # json.dumps escapes C0 itself


def terminal_safe(text: str) -> str:
    """Text without control characters (tab and newline kept): each shows as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


class TerminalSafe:
    """A text stream that shows control characters as U+FFFD (see terminal_safe): for
    commands that print page text to a terminal."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(_STREAM_CONTROL.sub("\ufffd", text))

    def flush(self) -> None:
        self.out.flush()


def json_text(value: object, indent: int | None = None) -> str:
    """json.dumps, with DEL, C1 and the JS line separators escaped too: the same data
    when parsed, and nothing a terminal acts on when printed."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def write_json(store: Store, papers: Iterable[PaperRow], out: TextIO,
               notes: Notes = _NONE) -> None:
    out.write('{"profiles": [')
    profiles = sorted(store.profiles(), key=lambda p: p.id)
    for i, profile in enumerate(profiles):
        out.write(",\n  " if i else "\n  ")
        out.write(json_text(profile_json(store, profile)))
    out.write('\n ],\n "papers": [')
    for i, paper in enumerate(papers):
        out.write(",\n  " if i else "\n  ")
        out.write(json_text(paper_json(paper, notes.get(paper.id))))
    out.write("\n ]}\n")


CSV_COLUMNS = ("id", "title", "authors", "et_al", "affiliations", "category", "date",
               "year_inferred", "has_code", "score", "abstract", "starred", "read_state",
               "rating", "tags", "note")


# What a spreadsheet takes for a formula at the start of a cell (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet shows as text: an apostrophe before a formula
    start; numbers stay numbers. Control characters show as U+FFFD."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return terminal_safe(value)


def write_csv(papers: Iterable[PaperRow], out: TextIO, notes: Notes = _NONE) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in papers:
        mine = _notes(notes, p)
        row = [p.id, p.page_title, "; ".join(p.author_list), int(p.et_al),
               "; ".join(p.affiliation_list), p.category, p.date,
               int(p.year_inferred), int(p.has_code),
               "" if p.score is None else p.score, p.page_abstract,
               int(mine.starred), mine.read_state,
               "" if mine.rating is None else mine.rating, "; ".join(mine.tags), mine.note]
        writer.writerow([csv_cell(v) for v in row])


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
# BibTeX counts braces whatever precedes them: "\{" is no escape to it. A brace of
# the text with no partner would end the field early (and let the rest of a title
# write fields of its own), so it becomes a command whose own braces are balanced.
_LONE_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))
_KEY_WORD = re.compile(r"[^\W\d_]+")


def _lone_braces(text: str) -> set[int]:
    """Positions of the braces in `text` that have no partner."""
    opened: list[int] = []
    lone: set[int] = set()
    for i, char in enumerate(text):
        if char == "{":
            opened.append(i)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                lone.add(i)
    return lone | set(opened)


def bibtex_escape(text: str) -> str:
    """Field text for inside braces: balanced, whatever the page says (see above), and
    each letter or symbol beyond ASCII as LaTeX writes it (pylatexenc's table: `{\\"o}`,
    `{\\ensuremath{\\lambda}}`), so that BibTeX and pdfLaTeX read the file as biber and
    XeLaTeX do; a character LaTeX has no name for as _unnamed says. An `@` that begins
    a line of the field is braced (`{@}`): BibTeX tools read a line beginning `@{~}` (`@`,
    a no-break space) as the next entry; a line break itself is kept (a note's lines)."""
    text = terminal_safe(text)
    lone = _lone_braces(text)
    escaped = _SPECIAL.sub(lambda m: _LONE_BRACE[m.group(0)] if m.start() in lone
                           else _BIBTEX_SPECIAL[m.group(0)], text)
    if not escaped.isascii():
        escaped = _NON_ASCII.sub(_latex_letters, escaped)
    return _LINE_AT.sub(r"\1{@}", escaped) if "@" in escaped else escaped


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")  # a run of them: a letter and its combining marks
_LINE_AT = re.compile(r"([\r\n][ \t]*)@")  # an `@` beginning a line


def _latex_letters(run: re.Match[str]) -> str:
    return _latex_run(run.group(0))


@functools.lru_cache(maxsize=4096)
def _latex_run(run: str) -> str:
    """`run` as LaTeX names it; cached: the encoder reads a character at a time in Python
    (0.7 ms for an abstract of 1,000 characters with one accent, a few µs so)."""
    return _encoder().unicode_to_latex(run)


@functools.cache
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy=_unnamed, unknown_char_warning=False)


_NEAR_ASCII = ("LATIN", "MODIFIER", "SUBSCRIPT", "SUPERSCRIPT")
_RAISED = re.compile(r"SUPERSCRIPT|MODIFIER LETTER (?:SMALL|CAPITAL) ")  # `ᵈ`, `ᴬ`


def _unnamed(char: str) -> str:
    """A character LaTeX has no command for: a combining mark is dropped (`D̅`); a
    subscript or superscript letter is its letter as math writes it (`ᵈ` `^{d}`, as
    pylatexenc writes `₂` `_2`); another Latin or modifier letter, or a symbol, its
    nearest ASCII (`Ṁ` M), which pdfLaTeX reads; another script's letter is kept
    (XeLaTeX and LuaLaTeX read it, and a transliteration would not be its name)."""
    if unicodedata.combining(char):
        return ""
    name, plain = unicodedata.name(char, ""), anyascii(char)
    script = "_" if "SUBSCRIPT" in name else "^" if _RAISED.search(name) else ""
    if script and plain.isalnum():
        return "{\\ensuremath{" + script + "{" + plain + "}}}"
    if any(word in name for word in _NEAR_ASCII):
        return plain
    if not unicodedata.category(char).startswith("L"):  # a symbol: its ASCII, else "?"
        return plain or "?"
    return char


def _ascii(text: str) -> str:
    """Accents dropped (Ångström -> Angstrom): pdfLaTeX and BibTeX need ASCII keys."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def bibtex_key(paper: PaperRow) -> str:
    """Stable and unique: surname, year, first title word, and a slice of the paper id."""
    authors = paper.author_list
    surname = _KEY_WORD.findall(_ascii(authors[0].split()[-1])) if authors else []
    word = _KEY_WORD.findall(_ascii(paper.title))
    parts = [surname[0].lower() if surname else "anon", str(paper.year),
             word[0].lower() if word else "paper", paper.id[:4]]
    return "".join(parts[:3]) + "_" + parts[3]


# In an author list, "and" separates names and a comma splits one into last, first:
# a name holding either (an institution, a stray comma) is one braced unit.
_NAME_SPLITS = re.compile(r",|\band\b", re.IGNORECASE)


def bibtex_name(name: str) -> str:
    """One author as BibTeX reads it; braced whole when what BibTeX reads (the escaped
    text: a symbol with no LaTeX name may be written as a comma, U+00B8 as `,`) would
    split it."""
    escaped = bibtex_escape(name)
    return "{" + escaped + "}" if _NAME_SPLITS.search(escaped) else escaped


def _month(date: str) -> str:
    """BibTeX's month: the three-letter name ("may"), as styles expect; '' when unknown."""
    number = date[5:7]
    return _MONTHS[int(number) - 1] if number.isdigit() and 1 <= int(number) <= 12 else ""


def _user_fields(notes: PaperNotes | None) -> list[tuple[str, str]]:
    """The user's notes as fields no style prints (JabRef reads ranking and readstatus)."""
    if notes is None:
        return []
    fields = [("starred", "true" if notes.starred else ""),
              ("readstatus", "" if notes.read_state == "unread" else notes.read_state),
              ("ranking", f"rank{notes.rating}" if notes.rating else ""),
              ("tags", ", ".join(notes.tags)), ("comment", notes.note)]
    return [(name, bibtex_escape(value)) for name, value in fields]


def bibtex_entry(paper: PaperRow, notes: PaperNotes | None = None,
                 code: str | None = None) -> str:
    """The paper's entry; `code` is its full category code as read where it is shown
    (default: the taxonomy's, an ambiguous code as the page shows it).

    Title and abstract are the letters and symbols the page's LaTeX means, written as
    LaTeX writes them (bibtex_escape): the page's own LaTeX escaped printed its
    backslashes in a bibliography, and passed through it would let a page's commands
    run in the user's LaTeX build; these commands come from pylatexenc's table alone."""
    authors = [bibtex_name(a) for a in paper.author_list]
    if paper.et_al:
        authors.append("others")
    fields = [
        ("title", "{" + bibtex_escape(paper.title) + "}"),
        ("author", " and ".join(authors)),
        ("year", str(paper.year)),
        ("month", _month(paper.date)),
        ("keywords", bibtex_escape(code or categories.full_code(paper.category))),
        ("abstract", bibtex_escape(paper.abstract)),
    ]
    if paper.affiliations:
        fields.append(("institution", bibtex_escape(paper.affiliations)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    body += "".join(f",\n  {name} = {{{value}}}" for name, value in _user_fields(notes)
                    if value)
    return f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n"


def write_bibtex(papers: Iterable[PaperRow], out: TextIO, notes: Notes = _NONE,
                 readings: Readings | None = None) -> None:
    for paper in papers:
        mine = notes.get(paper.id)
        code = readings.full_code(paper, mine) if readings is not None else None
        out.write(bibtex_entry(paper, mine, code))
        out.write("\n")


# Markdown punctuation that can start HTML, a link, an image, code or emphasis, or
# end a table cell; each is backslash-escaped (CommonMark escapes any of them).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~&#])")


def _md_cell(text: str) -> str:
    """Table-cell safe: no HTML, link, image or cell break; line breaks folded."""
    return _MD_SPECIAL.sub(r"\\\1", terminal_safe(" ".join(text.split())))


def write_markdown(papers: Iterable[PaperRow], out: TextIO, notes: Notes = _NONE) -> None:
    out.write("| Date | Title | Authors | Category | Code | Score | Starred | Read | Rating"
              " | Tags | Note |\n")
    out.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
    for p in papers:
        mine = _notes(notes, p)
        authors = p.authors + (" et al." if p.et_al else "")
        score = "" if p.score is None else f"{p.score:g}"
        cells = [p.date, p.title, authors, p.category, "yes" if p.has_code else "", score,
                 "★" if mine.starred else "", "" if mine.read_state == "unread" else
                 mine.read_state, "★" * (mine.rating or 0), ", ".join(mine.tags), mine.note]
        out.write("| " + " | ".join(_md_cell(c) for c in cells) + " |\n")


def export(store: Store, papers: Iterable[PaperRow], fmt: str, out: TextIO,
           notes: Notes = _NONE, choices: Choices | None = None) -> None:
    """`papers` in format `fmt` (FORMATS); `choices`: the user's choices of what
    profiles' ambiguous codes mean (paperdesk.readings)."""
    if fmt == "json":
        write_json(store, papers, out, notes)
    elif fmt == "csv":
        write_csv(papers, out, notes)
    elif fmt == "markdown":
        write_markdown(papers, out, notes)
    else:
        write_bibtex(papers, out, notes, Readings(store, choices or {}))
