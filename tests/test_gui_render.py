"""The detail pane's HTML: escaping first, then links and highlighting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paperdesk.gui import render
from paperdesk.query import compile_query
from paperdesk.store import Author, PaperDetail, PaperRow, ProfileRow


def _paper(**changes: object) -> PaperRow:
    values: dict[str, object] = dict(
        rid=1, id="abc", title="A <b>title</b>", authors="Ann Lee, Bo Chen", et_al=True,
        affiliations="pku, tsinghua", category="IR", date="2026-03-02", year=2026,
        year_inferred=True, has_code=True, score=98.8, abstract="Some $x^2$ text.")
    values.update(changes)
    return PaperRow(**values)  # type: ignore[arg-type]


def test_page_text_is_escaped_never_markup() -> None:
    """LaTeX is decoded by the store (tests/test_latex.py); here text is only escaped."""
    out = render.page_text(r"<script> <img src=x> & \textbf{x}")
    assert out == r"&lt;script&gt; &lt;img src=x&gt; &amp; \textbf{x}"


def test_highlight_touches_text_only() -> None:
    html = render.page_text("Recommendation <script> & recommender", ["recommend", "script"])
    span = render.highlight_span()
    assert html == (f"{span}Recommendation</span> &lt;{span}script</span>&gt; &amp; "
                    f"{span}recommender</span>")
    # a term that is also a tag or entity name does not break markup
    assert render.highlight("<b>amp</b> &amp;", ["amp", "b"]) == (
        f"<b>{span}amp</span></b> &amp;")


def test_links_in_abstracts() -> None:
    html = render.page_text("see https://x.org/a?b=1&c=2. Or <http://y.org>", links=True)
    assert '<a href="https://x.org/a?b=1&amp;c=2">https://x.org/a?b=1&amp;c=2</a>.' in html
    assert '&lt;<a href="http://y.org">http://y.org</a>&gt;' in html
    assert "javascript:" not in render.page_text("javascript:alert(1)", links=True).replace(
        "javascript:alert(1)", "")


def test_a_link_keeps_the_brackets_its_address_opened() -> None:
    """Addresses with parentheses (Wikipedia's) lost their last `)` to the text, and
    the link went to a page that does not exist."""
    wiki = "https://en.wikipedia.org/wiki/Gauge_theory_(mathematics)"
    html = render.page_text(f"see {wiki}. And (see https://x.org/a), [https://y.org/b]",
                            links=True)
    assert f'see <a href="{wiki}">{wiki}</a>. And' in html
    assert '(see <a href="https://x.org/a">https://x.org/a</a>), ' in html
    assert '[<a href="https://y.org/b">https://y.org/b</a>]' in html
    # LaTeX's \href{URL}{text} is shown as `text (URL)`
    shown = render.page_text("the code (https://x.org/w_(v2)) here", links=True)
    assert 'the code (<a href="https://x.org/w_(v2)">https://x.org/w_(v2)</a>) here' in shown
    assert '<a href="https://x.org/q?a[0]=1">' in render.page_text("https://x.org/q?a[0]=1",
                                                                  links=True)


def test_paper_html() -> None:
    detail = PaperDetail(_paper(), [Author("Ann Lee", "ann lee", 3),
                                    Author("Bo <Chen>", "bo <chen>", None)], [])
    html = render.paper_html(detail, compile_query("title").highlights)
    assert '<a href="paperdesk://profile/3">Ann Lee</a>' in html
    assert '<a href="paperdesk://person/bo%20%3Cchen%3E">Bo &lt;Chen&gt;</a>' in html
    assert "et al." in html and "year inferred" in html
    assert "cs.IR Information Retrieval" in html and "pku, tsinghua" in html
    assert "A &lt;b&gt;" in html and "<b>title" not in html
    assert "98.8" in html and "available" in html


def test_profile_html_and_chart() -> None:
    profile = ProfileRow(1, "000.txt", "Ziru Liu", False, "ziru liu", "IR", 18, 14, 236, 54,
                         59, 14, 14)
    html = render.profile_html(profile, [(2019, 1), (2025, 6)])
    for text in ("Ziru Liu", "cs.IR Information Retrieval", "236", "54%", "59",
                 "Papers per year", "2019", "2025"):
        assert text in html
    # in the pane's width: 6 -> the full bar, 1 -> a sixth (17 %), the rest left empty
    assert 'width="100%" height="12"' in html and 'width="17%" height="12"' in html
    assert 'width="83%"' not in html  # the empty rest takes what is left, no sum > 100 %
    assert 'width="160"' in render.bar_chart([(2025, 6)], width=160)  # a printed page


def test_the_pane_shows_the_page_file_name_below_the_figures() -> None:
    """A 24-letter file name in the figures' second column overflowed a 245 px pane."""
    profile = ProfileRow(1, "002_9c04bb96c17275a3.txt", "Luo Ji", False, "luo ji", "CL", 8,
                         22, 4071, 52, 60, 22, 22)
    html = render.profile_html(profile, [(2024, 8)])
    table, after = html.split("</table>", 1)
    assert "002_9c04bb96c17275a3.txt" not in table
    assert after.startswith('<p style="margin-top:2px"><span style="color:#666666">Page</span> '
                            '002_9c04bb96c17275a3.txt')


def test_citation() -> None:
    assert render.citation(_paper(title="T")) == "Ann Lee, Bo Chen et al. (2026). T. cs.IR."
    assert render.citation(_paper(title="T", et_al=False, category="ZZ")) == (
        "Ann Lee, Bo Chen (2026). T. ZZ.")


@given(st.text())
def test_no_page_text_becomes_markup(text: str) -> None:
    html = render.page_text(text, ["a", "script"], links=True)
    stripped = html
    for tag in ("<b>", "</b>", "<i>", "</i>", "<tt>", "</tt>", "<u>", "</u>", "<sup>",
                "</sup>", "<sub>", "</sub>", "</span>", "</a>"):
        stripped = stripped.replace(tag, "")
    import re
    stripped = stripped.replace(render.highlight_span(), "")
    stripped = re.sub(r'<a href="https?://[^"<>]*">', "", stripped)
    assert "<" not in stripped and ">" not in stripped


def test_a_whole_word_term_and_a_prefix_are_kept_apart() -> None:
    """The compiled patterns are kept by their terms; "su" as the word itself and "su"
    as a prefix are equal strings and must not share one."""
    assert [m.group(0) for m in render.term_pattern(["su"]).finditer("SU(2) Superb")] == [
        "SU", "Superb"]
    assert [m.group(0) for m in render.term_pattern([render.Whole("su")]).finditer(
        "SU(2) Superb")] == ["SU"]
