"""HTML for the detail pane: pure functions, no Qt, no SQL.

Every piece of page text is untrusted. The order is always the same:
``html.escape`` first, then links, then highlighting (which only touches the
text between tags). LaTeX in titles and abstracts is decoded to Unicode when the
store is built (paperdesk.latex), so what arrives here is text, never markup:
``\\textbf{<script>}`` was stored as ``<script>`` and shows as that.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import quote

from paperdesk import categories as taxonomy
from paperdesk.identity.decisions import identifier_url
from paperdesk.query import Column, Highlight
from paperdesk.store import PaperDetail, PaperRow, PersonRow, ProfileRow
from paperdesk.userdata import PaperNotes, PersonNotes

SCHEME = "paperdesk"
HIGHLIGHT = "#ffe066"  # a yellow that stays readable under black text
BAR = "#4a7ebb"
MUTED = "#666666"


@dataclass(frozen=True)
class Theme:
    """The colours HTML needs, chosen per palette (gui.theme.theme_for builds one)."""

    dark: bool = False
    text: str = "#000000"
    link: str = "#1a5fb4"
    muted: str = MUTED
    highlight_bg: str = HIGHLIGHT
    highlight_fg: str = "#000000"
    bar: str = BAR
    heading: str = "#3d5a80"
    alert: str = "#dc2626"  # a conflict on the Desk: a red that reads on the base

    @property
    def css(self) -> str:
        """The detail pane's default style sheet."""
        return f"a {{ color: {self.link}; }}"


LIGHT = Theme()


# ---------------------------------------------------------------- links


def person_url(key: str) -> str:
    return f"{SCHEME}://person/{quote(key, safe='')}"


def correct_url(paper_id: str) -> str:
    """The pane's link to the correction dialog (gui.correction) of a paper."""
    return f"{SCHEME}://correct/{quote(paper_id, safe='')}"


def profile_url(profile_id: int) -> str:
    return f"{SCHEME}://profile/{profile_id}"


def paper_url(rid: int) -> str:
    """A paper that a result list names (the Desk opens it in the table and the pane)."""
    return f"{SCHEME}://paper/{rid}"


def similar_url(rid: int) -> str:
    """The pane's "More like this" link (the window opens the similar-papers dialog)."""
    return f"{SCHEME}://similar/{rid}"


def category_url(rid: int) -> str:
    """The pane's link to choose what the paper's ambiguous category code means."""
    return f"{SCHEME}://category/{rid}"


def _link(url: str, text_html: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{text_html}</a>'


# ---------------------------------------------------------------- text


# Explicit direction embeddings, overrides and isolates: inside a name or a link they
# reorder what is shown (an RTL override makes "gpj.exe" read "exe.jpg"). Shown as
# their code points, never obeyed; the weak marks (LRM, RLM, ALM) are harmless.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def show_bidi(text: str) -> str:
    """`text` with each direction control visible as [U+XXXX] instead of acting."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


def esc(text: str) -> str:
    """Escape page text for HTML content (quotes stay as typed: they are content);
    direction controls are shown, not obeyed (show_bidi)."""
    return html.escape(show_bidi(text), quote=False)


_URL = re.compile(r"\bhttps?://(?:(?!&lt;|&gt;)[^\s<>\"])+")


_OPENER = {")": "(", "]": "["}


def linkify(fragment: str) -> str:
    """Turn http(s) URLs in escaped text into links. Trailing punctuation stays
    outside, but a `)` or `]` that closes a bracket the address opened is the
    address's own (`https://en.wikipedia.org/wiki/Gauge_theory_(mathematics)`, also
    inside parentheses as LaTeX's `\\href` is shown: `text (URL)`)."""
    def repl(match: re.Match[str]) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in ".,;:!?)]'":
            last = url[-1]
            if last in _OPENER and url.count(_OPENER[last]) >= url.count(last):
                break
            tail = last + tail
            url = url[:-1]
        # The URL is escaped text already; quoting it again would double-escape '&'.
        return f'<a href="{url.replace(chr(34), "&quot;")}">{url}</a>{tail}'
    return _URL.sub(repl, fragment)


_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


def highlight_span(theme: Theme = LIGHT) -> str:
    return (f'<span style="background-color:{theme.highlight_bg}; '
            f'color:{theme.highlight_fg}">')


def _base(char: str) -> str:
    """The letter under the accents: 'e' for 'é', 'o' for 'ő'."""
    return unicodedata.normalize("NFD", char)[0].lower()


# Accented Latin letters by the letter under them, as the search folds them
# (unicode61 remove_diacritics 2): a term 'renyi' highlights 'Rényi'.
_ACCENTED: dict[str, str] = {}
for _code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
    if _base(chr(_code)) != chr(_code).lower() and _base(chr(_code)).isascii():
        _ACCENTED[_base(chr(_code))] = _ACCENTED.get(_base(chr(_code)), "") + chr(_code)


def _any_accent(word: str) -> str:
    """A pattern for `word` with or without accents on each letter."""
    return "".join(f"[{re.escape(b)}{_ACCENTED[b]}]" if b in _ACCENTED else re.escape(b)
                   for b in map(_base, word))


class Whole(str):
    """A search term highlighted only as the whole word it is (a word the index matched
    as itself, not as a prefix); a plain str term also highlights words it starts."""

    __slots__ = ()


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Words starting with a search term (None: no terms), or the word itself for a
    `Whole` term, accents or not; a term of several words (a quoted phrase) only where
    they stand together. The pane and the table's title column highlight what it finds.

    Compiled once per list of terms and kept: a compile costs 0.5-5 ms of Python, so the
    search worker compiles an answer's pattern on its own thread (gui/worker.py) and the
    title column, on the GUI thread, finds it here. (The key tells a `Whole` term from a
    plain one: they are equal as strings.)"""
    return _compiled(tuple((str(term), isinstance(term, Whole)) for term in terms))


@functools.lru_cache(maxsize=64)
def _compiled(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str] | None:
    phrases: dict[tuple[str, ...], bool] = {}  # words -> whole word only
    for term, whole in terms:
        words = tuple(w for w in re.split(r"[\W_]+", term) if w)
        if words:
            phrases[words] = phrases.get(words, True) and whole
    if not phrases:
        return None
    # longest first, so that a phrase wins over a word it starts with
    alternatives = [r"[\W_]+".join(_any_accent(w) for w in phrase)
                    + (r"(?!\w)" if whole else r"\w*")
                    for phrase, whole in sorted(phrases.items(),
                                                key=lambda p: len(" ".join(p[0])),
                                                reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def searched(highlights: Iterable[Highlight], column: Column) -> list[str]:
    """The terms to highlight in `column`: those whose search read it (`title:su(2)`
    highlights su in the title, not "Suzuki" among the authors), a term not searched as
    a prefix as the whole word ("su", not "Superconformal")."""
    return [term if prefix else Whole(term)
            for term, columns, prefix in highlights if column in columns]


def highlight(fragment: str, terms: Iterable[str], theme: Theme = LIGHT) -> str:
    """Wrap words starting with a search term in a highlight span; tags and entities untouched."""
    pattern = term_pattern(terms)
    if pattern is None:
        return fragment
    span = highlight_span(theme)
    parts = _MARKUP.split(fragment)
    for i in range(0, len(parts), 2):  # even parts are text, odd ones markup
        parts[i] = pattern.sub(lambda m: f"{span}{m.group(0)}</span>", parts[i])
    return "".join(parts)


def page_text(text: str, terms: Iterable[str] = (), *, links: bool = False,
              theme: Theme = LIGHT) -> str:
    """Untrusted page text as safe HTML: escape, (links), highlight."""
    out = esc(text)
    if links:
        out = linkify(out)
    return highlight(out, terms, theme)


# ---------------------------------------------------------------- pieces


def category_label(code: str, field: str | None = None) -> str:
    """'cs.IR Information Retrieval' for 'IR' (by the arXiv taxonomy); an ambiguous code
    read by `field` (paperdesk.categories), else naming every category it may be; the
    code itself when unknown."""
    return taxonomy.label(code, field)


def full_code(code: str, field: str | None = None) -> str:
    """'cs.IR' for 'IR'; an ambiguous code not settled by `field` as the page shows it."""
    return taxonomy.full_code(code, field)


def category_html(code: str, reading: taxonomy.Reading, mine: str | None = None,
                  theme: Theme = LIGHT, choose: str | None = None) -> str:
    """The pane's category: its label as `reading` reads it (`mine`: the user's choice
    for the paper), and, when something settled an ambiguous code, what (the page's
    code and the choice or the field); `choose`: a link to choose what it means."""
    out = esc(reading.label(code, mine))
    how = reading.how(code, mine)
    if how:
        out += f' <span style="color:{theme.muted}">({esc(code)} on the page, {esc(how)})</span>'
    if choose is not None and taxonomy.is_ambiguous(code):
        out += " " + _link(choose, "change…" if how else "choose…")
    return out


def authors_text(paper: PaperRow) -> str:
    """The author line as the table shows it: a cut list says so."""
    return paper.authors + (" et al." if paper.et_al else "")


def citation(paper: PaperRow, code: str | None = None) -> str:
    """A one-line citation for the clipboard; `code`: the full category code as read
    where the paper is shown (default: the taxonomy's; an ambiguous one as the page has it)."""
    authors = authors_text(paper) or "Anonymous"
    return f"{authors} ({paper.year}). {paper.title}. {code or full_code(paper.category)}."


def profile_name(profile: ProfileRow) -> str:
    return profile.name or profile.source


def _row(label: str, value_html: str, theme: Theme = LIGHT) -> str:
    return (f'<tr><td style="color:{theme.muted}; padding-right:8px" valign="top">{label}</td>'
            f"<td>{value_html}</td></tr>")


def _date(paper: PaperRow) -> str:
    if not paper.year_inferred:
        return esc(paper.date)
    return (f"{esc(paper.date)} <i>(year inferred: the page showed no year; "
            f"assumed {paper.year})</i>")


def notes_html(notes: PaperNotes | None, theme: Theme = LIGHT) -> str:
    """The user's own annotations on a paper (empty when there are none)."""
    if notes is None or not notes.annotated:
        return ""
    rows = []
    if notes.starred:
        rows.append(_row("Starred", "★ yes", theme))
    rows.append(_row("Read", esc(notes.read_state), theme))
    if notes.rating is not None:
        rows.append(_row("Rating", f"{stars(notes.rating)} ({notes.rating}/5)", theme))
    if notes.tags:
        rows.append(_row("Tags", esc(", ".join(notes.tags)), theme))
    parts = [f'<h3>Your notes</h3><table cellspacing="2">{"".join(rows)}</table>']
    if notes.note:
        parts.append(f"<p>{multiline(notes.note)}</p>")
    return "".join(parts)


def multiline(text: str) -> str:
    """User text, escaped, its line breaks kept."""
    return "<br>".join(esc(line) for line in text.splitlines())


def stars(rating: int) -> str:
    """A 1-5 rating as five stars, filled and empty."""
    return "★" * rating + "☆" * (5 - rating)


def person_notes_html(notes: PersonNotes | None, heading: str = "<h3>Your notes</h3>",
                      none: str = "") -> str:
    """The user's tags and note on a person, escaped; `none` when there are neither.
    The pane and the candidate report (paperdesk.report) both show them this way."""
    if notes is None or notes.empty:
        return none
    parts = [heading]
    if notes.tags:
        parts.append(f"<p><b>Tags:</b> {esc(', '.join(notes.tags))}</p>")
    if notes.note:
        parts.append(f"<p>{multiline(notes.note)}</p>")
    return "".join(parts)


def paper_html(detail: PaperDetail, terms: Sequence[Highlight] = (), theme: Theme = LIGHT,
               notes: PaperNotes | None = None, reading: taxonomy.Reading | None = None,
               choose: bool = False) -> str:
    """The detail pane for one paper; `reading` reads an ambiguous category code (after
    the user's own choice for the paper, in `notes`); `choose`: offer to choose it.
    Each term is highlighted in the fields its search read."""
    p = detail.paper
    links = []
    for author in detail.authors:
        url = profile_url(author.profile) if author.profile else person_url(author.person)
        links.append(_link(url, page_text(author.name, searched(terms, "authors"),
                                          theme=theme)))
    authors = ", ".join(links) or "<i>none listed</i>"
    if p.et_al:
        authors += " <i>et al.</i> (the page cut the list)"
    rows = [
        _row("Authors", authors, theme),
        _row("Date", _date(p), theme),
        _row("Category", category_html(p.category, reading or taxonomy.PLAIN,
                                       notes.category if notes is not None else None, theme,
                                       category_url(p.rid) if choose else None), theme),
        _row("Code", "available" if p.has_code else "not listed", theme),
        _row("Score", "—" if p.score is None else f"{p.score:g}", theme),
    ]
    if p.doubtful:
        rows.append(_row("Reading", "the page runs title and authors together and the "
                         "parser was not sure where one ends: "
                         + _link(correct_url(p.id), "correct title and authors…"), theme))
    if p.affiliations:
        rows.append(_row("Affiliations", page_text(
            p.affiliations, searched(terms, "affiliations"), theme=theme), theme))
    if detail.listed_by:
        listed = ", ".join(_link(profile_url(pr.id), esc(profile_name(pr)))
                           for pr in detail.listed_by)
        rows.append(_row("Listed by", listed, theme))
    abstract = page_text(p.abstract, searched(terms, "abstract"), links=True,
                         theme=theme) or "<i>none</i>"
    return (f"<h2>{page_text(p.title, searched(terms, 'title'), theme=theme)}</h2>"
            f'<table cellspacing="2">{"".join(rows)}</table>'
            f"<p>{_link(similar_url(p.rid), 'More like this')}</p>"
            f"{notes_html(notes, theme)}"
            f"<h3>Abstract</h3><p>{abstract}</p>")


GAP_ROWS = 3  # years in a row without papers that a chart lists as one row


def year_rows(per_year: Sequence[tuple[int, int]]) -> list[tuple[str, int]]:
    """(year, papers) of every year of a span as a chart lists them: a run of GAP_ROWS
    years or more without papers is one row, "2004\u20132013" with 0 (a page of three
    papers over 31 years listed 28 empty years; the gap is said, not drawn)."""
    rows: list[tuple[str, int]] = []
    for empty, run in groupby(per_year, key=lambda row: row[1] == 0):
        years = list(run)
        if empty and len(years) >= GAP_ROWS:
            rows.append((f"{years[0][0]}\u2013{years[-1][0]}", 0))
        else:
            rows.extend((str(year), count) for year, count in years)
    return rows


def bar_chart(per_year: Sequence[tuple[object, int]], width: int | None = None,
              theme: Theme = LIGHT, *, percent: bool = False) -> str:
    """Counts as an HTML table of horizontal bars (no images, no QtCharts):
    papers per year, or (with `percent`) a mix of categories. The longest bar is
    `width` pixels (a printed page), or by default what the pane's width leaves: the
    figures beside the bars are never pushed out of a narrow pane."""
    if not per_year:
        return "<p><i>No papers.</i></p>"
    top = max(n for _, n in per_year) or 1
    total = sum(n for _, n in per_year) or 1
    rows = []
    # a printed chart's label on one line, level with its bar (report.py keeps it short)
    nowrap = "" if width is None else "; white-space:nowrap"
    for label, count in per_year:
        colour = f' bgcolor="{theme.bar}"' if count else ""  # a year without papers: no bar
        # no break (a nowrap cell overflows the pane)
        figure = f"{count}\u00a0({100 * count / total:.0f}%)" if percent else f"{count}"
        if width is None:
            share = max(1, round(100 * count / top))
            rest = "<td></td>" if share < 100 else ""  # the rest of the width
            bar = (f'<td width="100%"><table width="100%" cellspacing="0" cellpadding="0"><tr>'
                   f'<td width="{share}%" height="12"{colour}></td>{rest}</tr></table></td>')
        else:
            bar = (f'<td><table cellspacing="0" cellpadding="0"><tr>'
                   f'<td width="{max(2, round(width * count / top))}" height="12"{colour}>'
                   f'</td></tr></table></td>')
        # an empty last cell: with the figure's cell last, Qt laid the table out a pixel
        # wider than the pane, which then scrolled sideways (at every width tried)
        rows.append(
            f'<tr><td align="right" style="padding-right:6px{nowrap}">{esc(str(label))}</td>{bar}'
            f'<td style="padding-left:6px">{figure}</td><td></td></tr>')
    # printed, a bar is as tall as its line: rows a pixel apart ran into one block
    # (three years of 2 papers each); 4 pixels set them apart
    full, spacing = (' width="100%"', 1) if width is None else ("", 4)
    return f'<table{full} cellspacing="{spacing}" cellpadding="0">{"".join(rows)}</table>'


def figure(value: int | None, suffix: str = "") -> str:
    """A page's figure as shown: thousands separated, "—" when the page lacks it."""
    return "—" if value is None else f"{value:,}{suffix}"


def coauthors_html(coauthors: Sequence[tuple[PersonRow, int]]) -> str:
    """Co-authors named on a profile's papers, with how many papers they share: links."""
    if not coauthors:
        return "<p><i>No co-authors named.</i></p>"
    items = []
    for person, count in coauthors:
        url = profile_url(person.profile) if person.profile else person_url(person.key)
        items.append(f"{_link(url, esc(person.name))}&nbsp;({count})")
    return f"<p>{', '.join(items)}</p>"


def profile_html(profile: ProfileRow, per_year: Sequence[tuple[int, int]],
                 theme: Theme = LIGHT, *,
                 categories: Sequence[tuple[str, int]] | None = None,
                 coauthors: Sequence[tuple[PersonRow, int]] | None = None,
                 notes: PersonNotes | None = None,
                 reading: taxonomy.Reading | None = None,
                 identifiers: Sequence[tuple[str, str]] = ()) -> str:
    """The detail pane for a profile with no paper selected: figures and charts.
    `categories`: (code, papers), read already (paperdesk.readings.profile_mix) or as
    the pages show them; `reading` reads the header's field (default: by the papers);
    `identifiers`: the owner's, as person_html shows them."""
    name = esc(profile_name(profile))
    note = " <i>(name inferred from the page's author lists)</i>" if profile.name_inferred else ""
    if reading is None:
        reading = taxonomy.Reading(taxonomy.profile_field(profile.field, categories or ()))
    field = esc(reading.label(profile.field)) if profile.field else "—"
    if profile.paper_count is None:
        count = f"{profile.entries:,} listed (the page gives no count)"
    elif profile.paper_count != profile.entries:
        count = (f"{profile.paper_count:,} on the page's header, {profile.entries:,} listed: "
                 "the page may be cut short")
    else:
        count = f"{profile.entries:,}"
    rows = [
        _row("Field", field, theme),
        _row("h-index", figure(profile.h_index), theme),
        _row("Citations", figure(profile.citations), theme),
        _row("Papers", count, theme),
        _row("Novelty", figure(profile.novelty, "%"), theme),
        _row("AI score", figure(profile.ai_score), theme),
    ]
    # The page's file name is one long word: below the table, not in its second column,
    # it fits a narrow pane (and still wraps after "Page" when it cannot).
    page = (f'<p style="margin-top:2px"><span style="color:{theme.muted}">Page</span> '
            f'{esc(profile.source)}</p>')
    parts = [f"<h2>{name}</h2>{note}<table cellspacing=\"2\">{''.join(rows)}</table>{page}",
             identifiers_html(identifiers), person_notes_html(notes),
             f"<h3>Papers per year</h3>{bar_chart(year_rows(per_year), theme=theme)}"]
    if categories is not None:
        labelled = [(reading.full_code(code), n) for code, n in categories]
        parts.append(f"<h3>Categories</h3>{bar_chart(labelled, theme=theme, percent=True)}")
    if coauthors is not None:
        parts.append(f"<h3>Co-authors</h3>{coauthors_html(coauthors)}")
    return "".join(parts)


def person_html(person: PersonRow, profile: ProfileRow | None = None,
                notes: PersonNotes | None = None,
                identifiers: Sequence[tuple[str, str]] = (), *,
                per_year: Sequence[tuple[int, int]] = (),
                coauthors: Sequence[tuple[PersonRow, int]] = (),
                theme: Theme = LIGHT) -> str:
    """The detail pane for a person named on papers; `identifiers` (kind, value), the
    ones the user added (`paperdesk people id`), as https links; the papers naming
    them by year and the people named beside them, as a profile's pane shows them."""
    first, last = (per_year[0][0], per_year[-1][0]) if per_year else (0, 0)
    years = "" if not per_year else f", {first}" if first == last else f", {first}\u2013{last}"
    parts = [f"<h2>{esc(person.name)}</h2>",
             f"<p>Named on {person.papers:,} paper{'s' if person.papers != 1 else ''}"
             f"{years}.</p>"]
    if profile is not None:
        link = _link(profile_url(profile.id), esc(profile_name(profile)))
        parts.append(f"<p>Has a profile page: {link}</p>")
    else:
        parts.append("<p><i>No profile page for this person.</i></p>")
    parts.append(identifiers_html(identifiers))
    parts.append(person_notes_html(notes))
    if per_year:
        parts.append(f"<h3>Papers per year</h3>{bar_chart(year_rows(per_year), theme=theme)}")
    parts.append(f"<h3>Co-authors</h3>{coauthors_html(coauthors)}")
    return "".join(parts)


def identifiers_html(identifiers: Sequence[tuple[str, str]]) -> str:
    """A person's identifiers (kind, value) as https links; "" for none."""
    if not identifiers:
        return ""
    links = ", ".join(_link(identifier_url(kind, value), esc(f"{kind}: {value}"))
                      for kind, value in identifiers)
    return f"<p>Identifiers: {links}</p>"


def profiles_html(profiles: list[ProfileRow], theme: Theme = LIGHT) -> str:
    """The pane for several profiles selected together (their papers fill the table)."""
    items = "".join(
        f"<li>{_link(profile_url(p.id), esc(profile_name(p)))}: {p.entries:,} "
        f"paper{'s' if p.entries != 1 else ''} on the page</li>" for p in profiles)
    return (f"<h2>{len(profiles):,} profiles</h2><p>The table shows their papers together, "
            f"each once.</p><ul>{items}</ul><p style=\"color:{theme.muted}\">Ctrl+K compares "
            "them side by side; Desk ▸ Candidate report… writes a page on each.</p>")


def summary_html(summary: dict[str, int], theme: Theme = LIGHT) -> str:
    """The pane for 'All papers' with nothing selected: figures kept by the build."""
    return (f"<h2>All papers</h2><p>{summary.get('papers', 0):,} papers from "
            f"{summary.get('profiles', 0):,} profile pages, naming "
            f"{summary.get('people', 0):,} people.</p>"
            f"<p style=\"color:{theme.muted}\">Select a paper to read it, or type in the search "
            "box (Ctrl+F). Help ▸ Search syntax lists what the box understands.</p>")
