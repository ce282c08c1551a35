"""The candidate report, on the seeds, a hand-written hostile page and the committee's
own notes written here.

Expectations read off seeds/000_77b9e73dc2a3999b.txt (Ziru Liu) by hand: the header
says IR, h-index18, 236citations, 14papers, Novelty54%, AI Score59; the 14 entries
are dated 2019 (1), 2023 (3), 2024 (2), 2025 (6) and, without a year, Mar 2 and
May 12 (2026, the seeds' capture year); categories IR 4, AI 3, CL 3, LG 2, CV 1,
GN 1; Cheng Gong is on three of the entries' author lines.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QTextBlock, QTextDocument, QTextFrame, QTextTable
from PySide6.QtWidgets import QApplication

from paperdesk import report
from paperdesk.cli import main
from paperdesk.records import paper_id, person_key
from paperdesk.store import Store, build_store
from paperdesk.userdata import UserData

MTL = "Multi-Task Recommendations with Reinforcement Learning"  # Ziru Liu's, Feb 7, 2023
ASSIGN = ("AutoAssign+: Automatic Shared Embedding Assignment in Streaming "
          "Recommendation")  # Ziru Liu's, Aug 14, 2023
QWEN = "Qwen Technical Report"  # on Luo Ji's page, not Ziru Liu's
HOSTILE = "<img src=x> and <b>bold</b>"

HOSTILE_PAGE = f"""Eve Tester

IR
h-index3
1papers
10citations
Novelty50%
AI Score40

1 Papers

IRFeb 7, 2023
Attacks {HOSTILE} in titles

Eve Tester, Mallory Second

An abstract.
"""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(data.strip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs.extend(v or "" for k, v in attrs if k in ("href", "src"))


def _parsed(html_text: str) -> _Text:
    parser = _Text()
    parser.feed(html_text)
    return parser


def _after(parts: list[str], heading: str, count: int) -> list[str]:
    start = parts.index(heading) + 1
    return parts[start:start + count]


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """The committee's notes: two of Ziru Liu's papers, one of Luo Ji's, and the person."""
    path = tmp_path / "committee.db"
    with UserData(path) as user:
        user.set_rating(paper_id(ASSIGN), 3)
        user.set_read_state(paper_id(ASSIGN), "reading")
        user.set_starred(paper_id(MTL))
        user.set_rating(paper_id(MTL), 5)
        user.set_read_state(paper_id(MTL), "read")
        user.set_note(paper_id(MTL), "Strong RL work.\nAsk about the critic network.")
        user.set_tags(paper_id(MTL), ["shortlist"])
        user.set_starred(paper_id(QWEN))
        user.set_person_note(person_key("Ziru Liu"), "Interview on Monday")
        user.set_person_tags(person_key("Ziru Liu"), ["recsys"])
    return path


def _candidate(db: Path, name: str, userdata: Path | None = None) -> report.Candidate:
    with Store(db) as store:
        (profile,) = report.find_profiles(store, [name])
        if userdata is None:
            return report.candidate(store, profile, None)
        with UserData(userdata) as user:
            return report.candidate(store, profile, user)


def test_the_page_shows_the_header_figures_years_categories_and_coauthors(
        seed_db: Path) -> None:
    parts = _parsed(report.report_html([_candidate(seed_db, "Ziru Liu")])).parts
    assert parts[parts.index("Ziru Liu") + 1:parts.index("Ziru Liu") + 17] == [
        "Field", "cs.IR Information Retrieval", "h-index", "18", "Citations", "236",
        "Papers", "14", "Years", "2019 to 2026", "Novelty", "54%", "AI score", "59",
        "Page", "000_77b9e73dc2a3999b.txt"]
    assert _after(parts, "Papers per year", 12) == [  # 2020 to 2022 without papers: one row
        "2019", "1", "2020\u20132022", "0", "2023", "3", "2024", "2", "2025", "6", "2026", "2"]
    assert _after(parts, "Categories", 6) == [
        "cs.IR Information Retrieval", "4\u00a0(29%)", "cs.AI Artificial Intelligence",
        "3\u00a0(21%)", "cs.CL Computation and Language", "3\u00a0(21%)"]
    # CV is cs.CV or math.CV: read by the profile's field (its header's IR: cs). GN has
    # no cs meaning: every category it may be is named, as far as the chart's column
    # holds (the label is cut with "…" where it is wider: on one line beside its bar)
    gn, cv = sorted(_after(parts, "Categories", 12)[8::2])  # "GN" sorts first
    assert cv.startswith("cs.CV Computer Vision and Pattern")
    assert gn.startswith("GN: General Economics (econ.GN), ") and gn.endswith("\u2026")
    coauthors = _after(parts, "Top co-authors (shared papers)", 1)[0]
    # three shared papers each, by family name: Chen, Gong, Tao
    assert coauthors.startswith("Kecheng Chen\xa0(3), Cheng Gong\xa0(3), Xijia Tao\xa0(3), ")
    assert "Ziru Liu" not in coauthors  # the candidate is not their own co-author
    assert "No notes or tags." in parts and "None." in parts  # no committee data given
    # the newest papers the page lists (a tester: "no titles, not even the latest"), read
    # off the page by hand: two dates without a year are the capture year's, 2026
    latest = _after(parts, "Latest papers (the newest 8 the page lists)", 16)
    assert latest[::2] == [
        "Self-Distilled Trajectory-Aware Boltzmann Modeling: Bridging the Training-Inference"
        " Discrepancy in Diffusion Language Models",
        "CoVe: Training Interactive Tool-Use Agents via Constraint-Guided Verification",
        "Beyond Confidence: Adaptive and Coherent Decoding for Diffusion Language Models",
        "TRIDENT: A Trimodal Cascade Generative Framework for Drug and RNA-Conditioned "
        "Cellular Morphology Synthesis",
        "Efficient Reasoning via Reward Model",
        "MMSearch-Plus: Benchmarking Provenance-Aware Search for Multimodal Browsing Agents",
        "Enhancing the Preference Extractor in Multi-turn Dialogues: From Annotating "
        "Disasters to Accurate Preference Extraction",
        "GHPO: Adaptive Guidance for Stable and Efficient LLM Reinforcement Learning"]
    assert latest[1::2][:3] == ["(2026, cs.CL)", "(2026, cs.AI)", "(2025, cs.CL)"]


def test_the_committee_sees_its_stars_ratings_tags_and_notes(seed_db: Path,
                                                              notes: Path) -> None:
    page = report.report_html([_candidate(seed_db, "Ziru Liu", notes)])
    parts = _parsed(page).parts
    assert _after(parts, "The committee on this person", 3) == [
        "Tags:", "recsys", "Interview on Monday"]
    committee = parts[parts.index("Papers the committee starred, rated or noted") + 1:]
    assert committee[:4] == ["Paper", "Star", "Rating", "Read"]
    # starred and rated 5 first, then the one rated 3; Luo Ji's Qwen report is not his
    assert committee[4:] == [
        MTL, "(2023, cs.IR)", "Tags:", "shortlist", "Note:", "Strong RL work.",
        "Ask about the critic network.", "★", "★★★★★ 5/5", "read",
        ASSIGN, "(2023, cs.IR)", "★★★☆☆ 3/5", "reading"]
    assert QWEN not in page


def test_page_text_and_user_text_show_as_text(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "eve.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    db = tmp_path / "hostile.db"
    assert build_store([tmp_path / "pages"], db).complete
    userdata = tmp_path / "notes.db"
    title = f"Attacks {HOSTILE} in titles"
    with UserData(userdata) as user:
        user.set_note(paper_id(title), HOSTILE)
        user.set_tags(paper_id(title), ["<b>"])
        user.set_person_note(person_key("Eve Tester"), HOSTILE + "\x1b[2J\x07")
    page = report.report_html([_candidate(db, "Eve Tester", userdata)])
    parsed = _parsed(page)
    assert parsed.hrefs == []  # no image, no link
    assert "<img" not in page and "<b>bold" not in page and "<b><" not in page
    # the title in the latest papers and in the committee's, the paper's and the person's note
    assert page.count("&lt;img src=x&gt; and &lt;b&gt;bold&lt;/b&gt;") == 4
    assert title in parsed.parts and HOSTILE in parsed.parts
    assert "<b>" in parsed.parts  # the tag, as text
    assert "\x1b" not in page and "\x07" not in page and "\ufffd[2J\ufffd" in page


def _pages(pdf: Path) -> int:
    """The page objects in a PDF (Qt writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def test_the_pdf_has_one_page_per_candidate(seed_db: Path, notes: Path, tmp_path: Path,
                                            qapp: object) -> None:
    names = ["Ziru Liu", "Luo Ji", "Anxiang Zeng"]
    candidates = [_candidate(seed_db, name, notes) for name in names]
    pdf = tmp_path / "report.pdf"
    assert report.write_pdf(candidates, pdf) == 3
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _pages(pdf) == 3
    if shutil.which("pdftotext"):  # poppler: each page holds its own candidate
        for number, name in enumerate(names, start=1):
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number),
                                   str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert name in text and all(n not in text for n in names if n != name)


def _starred(db: Path, userdata: Path, name: str, note: str,
             count: int = -1) -> report.Candidate:
    """`name`'s first `count` papers (-1: all) starred and noted."""
    with Store(db) as store, UserData(userdata) as user:
        (profile,) = report.find_profiles(store, [name])
        for pid in store.profile_paper_ids(profile.id)[:count if count >= 0 else None]:
            user.set_starred(pid)
            user.set_note(pid, note)
    return _candidate(db, name, userdata)


def test_a_long_page_is_scaled_to_fit_one_page(seed_db: Path, tmp_path: Path,
                                               qapp: object) -> None:
    """16 of Anxiang Zeng's 32 papers, each starred with a note: still one page."""
    long = _starred(seed_db, tmp_path / "long.db", "Anxiang Zeng", "Read it closely.", 16)
    pdf = tmp_path / "long.pdf"
    assert report.write_pdf([long], pdf) == 1
    assert _pages(pdf) == 1


def test_a_page_too_long_to_fit_runs_on_and_loses_nothing(seed_db: Path, tmp_path: Path,
                                                          qapp: object) -> None:
    note = "A careful read of the method. " * 40 + "The last words."
    long = _starred(seed_db, tmp_path / "long.db", "Anxiang Zeng", note)
    pdf = tmp_path / "long.pdf"
    pages = report.write_pdf([long, _candidate(seed_db, "Luo Ji")], pdf)
    assert pages > 2 and _pages(pdf) == pages
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count("The last words.") == 32
        last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf),
                               "-"], capture_output=True, text=True, check=True).stdout
        assert "Luo Ji" in last and "Anxiang Zeng" not in last  # a new page for Luo Ji
        assert f"PaperDesk candidate report: Anxiang Zeng, page 2 of {pages - 1}" in text


def test_the_command_writes_html_and_pdf(seed_db: Path, notes: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         qapp: object) -> None:
    assert main(["report", "ziru liu", "--db", str(seed_db), "--userdata", str(notes)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and "Interview on Monday" in out
    pdf = tmp_path / "two.pdf"
    assert main(["report", "Ziru Liu", "Luo", "--db", str(seed_db), "-o", str(pdf)]) == 0
    assert _pages(pdf) == 2
    assert f"{pdf}: 2 pages for 2 candidates" in capsys.readouterr().err
    by_file = tmp_path / "by-file.html"  # a page without a name line, by its file
    assert main(["report", "004_479c3ff5c2d3a48a.txt", "--db", str(seed_db), "-o",
                 str(by_file)]) == 0
    assert "<h1>Zeyuan Liu</h1>" in by_file.read_text(encoding="utf-8")
    html_file = tmp_path / "two.html"
    capsys.readouterr()
    assert main(["report", "Luo Ji", "--db", str(seed_db), "-o", str(html_file)]) == 0
    assert "<h1>Luo Ji</h1>" in html_file.read_text(encoding="utf-8")
    # a tester saw nothing said of the HTML file written, as the PDF's is
    assert capsys.readouterr().err == f"{html_file}: the report of 1 candidate\n"


def test_a_window_opens_after_a_report_made_in_the_same_process(seed_db: Path, notes: Path,
                                                                tmp_path: Path) -> None:
    """The report's fonts need a Qt application: the one it made was a QGuiApplication,
    after which no window could be opened in that process (Qt aborted the test suite
    when a report test ran before the first window test). A fresh process: a report,
    then a window."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from paperdesk.cli import main\n"
        "from paperdesk.app import create_window\n"
        f"assert main(['report', 'Luo Ji', '--db', {str(seed_db)!r},"
        f" '-o', {str(tmp_path / 'r.html')!r}, '--userdata', {str(notes)!r}]) == 0\n"
        f"window = create_window(Path({str(seed_db)!r}), Path({str(notes)!r}))\n"
        "from PySide6.QtTest import QTest\n"
        "for _ in range(300):  # until the store is open and nothing is pending\n"
        "    QTest.qWait(20)\n"
        "    if window.store_open and not window.busy: break\n"
        "opened = window.store_open\n"
        "window.close()\n"
        "print(type(window).__name__, opened)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert (done.returncode, done.stdout.strip()) == (0, "MainWindow True"), done.stderr[-2000:]
    assert "<h1>Luo Ji</h1>" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_report_that_cannot_be_written_says_where(seed_db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    qapp: object) -> None:
    for name in ("x.pdf", "x.html"):
        target = tmp_path / "no such folder" / name
        assert main(["report", "Ziru Liu", "--db", str(seed_db), "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert str(target.parent) in err and "Traceback" not in err
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"%PDF the report of last week")
    assert main(["report", "Nobody Here", "--db", str(seed_db), "-o", str(kept)]) == 2
    assert kept.read_bytes() == b"%PDF the report of last week"
    assert main(["report", "Luo Ji", "--db", str(seed_db), "-o", str(kept)]) == 0
    assert kept.read_bytes().startswith(b"%PDF-") and _pages(kept) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pdf", "seeds.db"]


@pytest.mark.parametrize(("args", "message"), [
    (["Nobody Here"], "no profile named like 'Nobody Here'"),
    (["Liu"], "'Liu' names 2 profiles: Zeyuan Liu (004_479c3ff5c2d3a48a.txt), "
              "Ziru Liu (000_77b9e73dc2a3999b.txt); give more of the name, or the page file"),
    (["Ziru Liu", "--format", "pdf"], "a PDF needs a file to go to: give -o FILE"),
    (["Ziru Liu", "--userdata", "missing.db"], "missing.db: no such user-data file"),
])
def test_the_command_says_what_it_cannot_do(seed_db: Path, args: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", *args, "--db", str(seed_db)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_the_other_commands_start_without_qt() -> None:
    """The report imports Qt only when it makes a report: `paperdesk search` and the
    rest start as fast as before it was registered."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, paperdesk.cli; "
         "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"],
        capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def _text_colours(pdf: Path) -> set[tuple[float, ...]]:
    """The fill colour in force at each text object of the PDF's content streams."""
    data, found = pdf.read_bytes(), set()
    for start in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", start.end())
        try:
            content = zlib.decompress(data[start.end():end].strip())
        except zlib.error:
            continue  # not a content stream (metadata, a font)
        colour: tuple[float, ...] = ()
        for token in re.finditer(rb"([\d.]+ [\d.]+ [\d.]+) scn|BT", content):
            if token.group(0) == b"BT":
                found.add(colour)
            else:
                colour = tuple(round(float(x), 2) for x in token.group(1).split())
    return found


def test_the_pdf_prints_dark_text_in_the_dark_theme(seed_db: Path, qapp: QApplication,
                                                    tmp_path: Path) -> None:
    """In the Dark theme the report printed its text light grey on the white page (a
    newcomer's tour): the page's ink is its own, not the window's."""
    from paperdesk.gui.theme import dark_palette

    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        pdf = tmp_path / "dark.pdf"
        assert report.write_pdf([_candidate(seed_db, "Luo Ji")], pdf) == 1
    finally:
        qapp.setPalette(before)
    colours = _text_colours(pdf)
    assert (0.0, 0.0, 0.0) in colours  # the body text: black
    assert all(sum(c) / 3 <= 0.5 for c in colours), colours  # nothing light on white


def _frames(doc: QTextDocument) -> Iterator[QTextFrame]:
    """Every frame of `doc` (its tables), depth first."""
    def below(frame: QTextFrame) -> Iterator[QTextFrame]:
        for child in frame.childFrames():
            yield child
            yield from below(child)
    return below(doc.rootFrame())


def _bar_boxes(doc: QTextDocument) -> list[QRectF]:
    """Where each bar of the laid-out charts is: one-cell tables in the bar colour."""
    from paperdesk.gui import render

    layout = doc.documentLayout()
    return [layout.frameBoundingRect(f) for f in _frames(doc)
            if isinstance(f, QTextTable) and f.rows() == f.columns() == 1
            and f.cellAt(0, 0).format().background().color() == QColor(render.BAR)]


def _bars_and_labels(doc: QTextDocument, codes: list[str]) -> tuple[list[QRectF],
                                                                    list[QTextBlock]]:
    """The laid-out categories chart: its bars (right of the years' chart) and the
    blocks of the labels starting with `codes`."""
    bars = _bar_boxes(doc)
    labels = []
    block = doc.begin()
    while block.isValid():
        if any(block.text().startswith(code) for code in codes):
            labels.append(block)
        block = block.next()
    rightmost = max(bar.left() for bar in bars)
    return [bar for bar in bars if bar.left() == rightmost], labels


def test_long_category_labels_stay_on_one_line_level_with_their_bars(
        seed_db: Path, qapp: QApplication, tmp_path: Path) -> None:
    """Full arXiv names (and an ambiguous code's two readings, and a page's own long
    code) wrapped in the printed chart, out of line with their bars (a newcomer's tour):
    each label is one line, cut with "…" when too long, at the height of its bar, and
    the chart stays within the page."""
    codes = ["cond-mat.mes-hall", "NA:", "q-bio.PE", "WWW"]
    mix = [("cond-mat.mes-hall", 7), ("NA", 3), ("q-bio.PE", 1), ("W" * 40, 1)]
    c = replace(_candidate(seed_db, "Ziru Liu"), categories=mix)
    doc, scale = report.laid_out(c, 680, 1000)  # A4 less margins, in 96-dpi pixels
    assert scale == 1.0
    bars, labels = _bars_and_labels(doc, codes)
    assert len(bars) == len(labels) == 4
    layout = doc.documentLayout()
    for bar, label in zip(bars, labels, strict=True):
        assert label.layout().lineCount() == 1, label.text()
        box = layout.blockBoundingRect(label)
        assert (box.top(), box.bottom()) == (bar.top(), bar.bottom()), label.text()
        assert box.right() <= bar.left() and bar.right() <= 680
    assert labels[3].text().endswith("\u2026")  # 40 W's are wider than the column
    pdf = tmp_path / "long.pdf"  # and the same prints
    assert report.write_pdf([c], pdf) == 1


_LAID_OUT_ON_A_SCREEN = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(["report", "-platform", "offscreen:configfile=" + sys.argv[1]])
from paperdesk import report
from paperdesk.store import Store
with Store(Path(sys.argv[2])) as store:
    (profile,) = report.find_profiles(store, ["Ziru Liu"])
    c = report.candidate(store, profile, None)
doc, scale = report.laid_out(c, 680, 1000)
print(round(app.primaryScreen().logicalDotsPerInch()), scale, doc.pageCount(),
      round(doc.documentLayout().documentSize().height()), report._elided("W" * 40))
"""


def test_the_report_is_laid_out_at_96_dpi_whatever_the_screen(seed_db: Path,
                                                              tmp_path: Path) -> None:
    """The report made from the window measured its 10pt text at the screen's logical
    dpi. Qt scales a 144-dpi screen to 96 logical dpi by itself, unless the user rounds
    the scale down (QT_SCALE_FACTOR_ROUNDING_POLICY=Floor, to avoid blurry fractional
    scaling): then 10pt measured 20 pixels, not 13, on a page of 96-dpi pixels, and
    the report's text was half as large again, its labels cut shorter and its page
    shrunk more. Qt's offscreen platform takes a screen's dpi from a configuration
    file: the same page laid out on a 96-dpi and a 144-dpi screen is the same."""
    seen = []
    for dpi in (96, 144):
        config = tmp_path / f"screen{dpi}.json"
        config.write_text('{"screens": [{"name": "s", "width": 1600, "height": 1000, '
                          f'"logicalDpi": {dpi}, "logicalBaseDpi": 96}}]}}')
        run = subprocess.run([sys.executable, "-c", _LAID_OUT_ON_A_SCREEN, str(config),
                              str(seed_db)], capture_output=True, text=True, check=True,
                             timeout=120,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                  "QT_SCALE_FACTOR_ROUNDING_POLICY": "Floor"})
        screen, *page = run.stdout.split()
        assert int(screen) == dpi  # the configuration took
        seen.append(page)
    assert seen[0] == seen[1]
    assert seen[0][:2] == ["1.0", "1"]  # Ziru Liu's page fits one page unshrunk


def test_printed_bars_stand_apart_and_the_two_charts_too(
        seed_db: Path, qapp: QApplication) -> None:
    """A tester's PDF of Luo Ji (seeds/002: 2 papers in each of 2021, 2022 and 2023)
    showed those three years' bars as one block, each bar as tall as its line and the
    rows a pixel apart; and the years' last figure ran into the first category's name
    ("2 cs.CL Computation and Language")."""
    doc, _ = report.laid_out(_candidate(seed_db, "Luo Ji"), 680, 1000)
    layout = doc.documentLayout()
    bars: dict[float, list[QRectF]] = {}  # by their left edge: one list per chart
    for box in _bar_boxes(doc):
        bars.setdefault(box.left(), []).append(box)
    years, mix = (sorted(chart, key=QRectF.top) for _, chart in sorted(bars.items()))
    assert (len(years), len(mix)) == (6, 4)  # 2021-2026; cs.CL, cs.IR, cs.LG, cs.AI
    for chart in (years, mix):
        for above, below in itertools.pairwise(chart):
            assert below.top() - above.bottom() >= 3
    counts = []  # the years' figures: a count alone, between their bars and the mix
    block = doc.begin()
    while block.isValid():
        box = layout.blockBoundingRect(block)
        if block.text().isdigit() and box.top() >= years[0].top() \
                and years[0].left() < box.left() < mix[0].left():
            counts.append(box)
        elif block.text().startswith("cs.CL"):
            name = box
        block = block.next()
    assert len(counts) == 6
    assert name.left() - max(box.right() for box in counts) >= 24  # was 13: one space
