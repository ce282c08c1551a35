"""The Desk in the real window: reviewers, more like this, similar researchers, reports.

Expectations were found by reading the seed pages (see tests/test_reviewers.py): the
Qwen Technical Report is on Luo Ji's page; "HumanLLM: Towards Personalized
Understanding and Simulation of Human Nature" (Jan 22, no year: 2026) names Yuxuan
Lei and Jianxun Lian; the seeds' other technical reports on language models are
"Compass-Thinker-7B Technical Report" and the CPDC Challenge 2025 report.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QMenu,
    QMessageBox,
    QTextBrowser,
)
from pytestqt.qtbot import QtBot

from paperdesk.gui.deskworker import DeskRunner
from paperdesk.gui.history import Location
from paperdesk.gui.reviewersdialog import ReviewersDialog, highlighted
from paperdesk.gui.similardialog import SimilarDialog
from paperdesk.gui.window import MainWindow
from paperdesk.reviewers import Ranking
from tests.test_gui_support import (
    OFFSCREEN_NOISE,
    clear_button_opacity,
    click_author,
    click_row,
    open_window,
    row_of_title,
    search_for,
    table_titles,
    trace_gui_sql,
    wait_idle,
)
from tests.test_reviewers import FILLER, FILLER_TOPIC

pytestmark = OFFSCREEN_NOISE
SHOTS = os.environ.get("PAPERDESK_SHOTS")  # a folder to keep the pictures in, to look at

TITLE = "A family of open large language models with chat alignment"
ABSTRACT = ("We release a series of pretrained large language models and chat models aligned "
            "with human feedback, with strong coding, mathematics and tool-use abilities for "
            "agents.")


def _action(menu: QMenu, text: str) -> object:
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _ranked(qtbot: QtBot, dialog: ReviewersDialog) -> Ranking:
    dialog.ranking = None
    dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking is not None
    return dialog.ranking


def _reviewers_dialog(qtbot: QtBot, window: MainWindow) -> ReviewersDialog:
    window.desk.reviewers_action.trigger()
    dialog = window.findChild(ReviewersDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_reviewers_are_ranked_with_conflicts_and_their_evidence(qtbot: QtBot, seed_db: Path,
                                                                tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    gui_sql = trace_gui_sql(window)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText(TITLE)
    dialog.abstract.setPlainText(ABSTRACT)
    dialog.authors.setText("Yuxuan Lei, A. Stranger")
    ranking = _ranked(qtbot, dialog)
    assert ranking.reviewers[0].name == "Luo Ji"
    shown = dialog.results.toPlainText()
    assert shown.startswith("Topic words:")
    assert "1. Luo Ji" in shown and "Qwen Technical Report" in shown
    assert "Jianxun Lian CONFLICT" in shown
    assert "conflict with Yuxuan Lei: co-authored “HumanLLM: Towards Personalized" in shown
    assert "Not in the store, so not checked for conflicts: A. Stranger" in shown
    notice = dialog.findChild(object, "conflictNotice")
    assert "the absence of one is not" in notice.text()

    path = tmp_path / "reviewers.csv"
    assert dialog.export_csv(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["name"] == "Luo Ji" and rows[0]["rank"] == "1"
    lian = next(r for r in rows if r["name"] == "Jianxun Lian")
    assert lian["conflicts"].startswith("coauthor with Yuxuan Lei: co-authored “HumanLLM")

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "  1. Luo Ji" in copied and "absence of one is not" in copied

    conflicted = sum(1 for r in dialog.ranking.reviewers if r.conflicts)
    assert conflicted >= 1
    dialog.hide_conflicted.setChecked(True)
    hidden = _ranked(qtbot, dialog)
    assert "Jianxun Lian" not in {r.name for r in hidden.reviewers}
    assert "Jianxun Lian" not in dialog.results.toPlainText()
    # how many the filter hides is said (five profiles: none is past the list's end)
    assert dialog.status.text().endswith(f", 0 with a conflict, {conflicted} with a "
                                         "conflict hidden")
    assert dialog.csv_button.isEnabled() and dialog.copy_button.isEnabled()
    dialog.min_papers.setValue(99)
    assert _ranked(qtbot, dialog).reviewers == []
    assert "No researcher in the store" in dialog.results.toPlainText()
    # nobody: nothing to export or copy
    assert not dialog.csv_button.isEnabled() and not dialog.copy_button.isEnabled()
    assert gui_sql == []  # every ranking ran on the desk's own thread
    dialog.close()


def test_the_words_shown_leave_out_the_filler_of_scientific_prose(qtbot: QtBot,
                                                                  seed_db: Path) -> None:
    """Issue 16: the topic words and each paper's shared words showed `study`, `based`,
    `proposed`, `novel`, `new` for a submission written the way papers talk."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText(FILLER_TOPIC.title)
    dialog.abstract.setPlainText(FILLER_TOPIC.abstract)
    assert _ranked(qtbot, dialog).reviewers
    lines = dialog.results.toPlainText().splitlines()
    topic = set(lines[0].removeprefix("Topic words: ").split(", "))
    shared = {word for line in lines if " — " in line
              for word in line.rsplit(" — ", 1)[1].split(", ")}
    assert {"reasoning", "reinforcement"} <= topic & shared
    assert not FILLER & topic and not FILLER & shared
    dialog.close()


def _ranked_for_a_paper_of_luo_ji(qtbot: QtBot, seed_db: Path, title: str
                                  ) -> ReviewersDialog:
    """Find reviewers → Use the selected paper, on Luo Ji's paper `title`, once ranked."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, title))
    dialog = _reviewers_dialog(qtbot, window)
    dialog.ranking = None
    dialog.use_paper.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    return dialog


def test_enter_in_the_form_finds_reviewers(qtbot: QtBot, seed_db: Path) -> None:
    """A tester pressed Enter in Authors and nothing happened: the form's first button
    ("Use its papers", disabled) had taken the default from "Find reviewers"."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText(TITLE)
    dialog.authors.setText("Yuxuan Lei")
    dialog.authors.setFocus()
    dialog.ranking = None
    qtbot.keyClick(dialog.authors, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking is not None and dialog.ranking.reviewers[0].name == "Luo Ji"
    dialog.close()


def test_the_selected_paper_is_the_submission_and_never_its_own_reviewer_evidence(
        qtbot: QtBot, seed_db: Path) -> None:
    dialog = _ranked_for_a_paper_of_luo_ji(qtbot, seed_db, "Qwen Technical Report")
    assert dialog.title.text() == "Qwen Technical Report"
    assert dialog.ranking is not None
    shown = [m.title for r in dialog.ranking.reviewers for m in r.papers]
    assert shown and "Qwen Technical Report" not in shown
    dialog.close()


def test_a_submission_typed_after_using_the_selected_paper_leaves_out_no_paper(
        qtbot: QtBot, seed_db: Path) -> None:
    """A tester used the selected paper, then typed another submission (that paper's own
    title, abstract cleared): the paper used before stayed left out of the evidence."""
    dialog = _ranked_for_a_paper_of_luo_ji(qtbot, seed_db, "Qwen Technical Report")
    dialog.title.setText("Qwen Technical Report")
    dialog.abstract.clear()
    dialog.authors.clear()
    dialog.ranking = None
    dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking is not None
    luo_ji = next(r for r in dialog.ranking.reviewers if r.name == "Luo Ji")
    assert "Qwen Technical Report" in [m.title for m in luo_ji.papers]
    dialog.close()


def test_the_selected_papers_authors_are_checked_for_conflicts(
        qtbot: QtBot, seed_db: Path) -> None:
    """The paper's authors go in whole names (they went in one letter at a time, so that
    none was found in the store and its own author was ranked without a conflict)."""
    dialog = _ranked_for_a_paper_of_luo_ji(
        qtbot, seed_db, "Hierarchical Reinforcement Learning for Temporal Abstraction of "
        "Listwise Recommendation")
    assert dialog.authors.text() == "Luo Ji, Gao Liu, Mingyang Yin"
    assert dialog.ranking is not None
    assert dialog.ranking.unknown_authors == ()
    luo_ji = next(r for r in dialog.ranking.reviewers if r.name == "Luo Ji")
    assert luo_ji.conflicts
    assert "Not in the store" not in dialog.results.toPlainText()
    # the submission itself is no evidence against its own authors ("is an author" says it)
    evidence = [c.evidence for r in dialog.ranking.reviewers for c in r.conflicts]
    assert evidence and not any("Hierarchical Reinforcement" in e for e in evidence)
    dialog.close()


def test_every_label_with_a_shortcut_letter_has_a_buddy(qtbot: QtBot, seed_db: Path) -> None:
    """A label's '&' marks its shortcut letter only when it has a buddy; without one Qt
    shows the '&' itself ("Or a sa&ved search" did)."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    marked = [label for label in dialog.findChildren(QLabel)
              if re.search(r"&[^&]", label.text().replace("&&", ""))]
    assert {label.text() for label in marked} >= {"&Title", "Or a sa&ved search"}
    assert [label.text() for label in marked if label.buddy() is None] == []
    saved = next(label for label in marked if label.text() == "Or a sa&ved search")
    assert saved.buddy() is dialog.saved_box
    dialog.close()


def test_matched_words_are_highlighted_and_page_text_is_escaped() -> None:
    got = highlighted("<script>Language</script> & models", [(8, 16)])
    assert got == ('&lt;script&gt;<span style="background-color:#ffe066; color:#000000">'
                   "Language</span>&lt;/script&gt; &amp; models")


def test_a_newer_question_drops_the_answer_to_an_older_one(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    runner = DeskRunner(window, seed_db)
    answers: list[object] = []
    runner.ready.connect(answers.append)
    runner.submit(lambda conn: conn.execute("SELECT 'first'").fetchone()[0])
    runner.submit(lambda conn: conn.execute("SELECT 'second'").fetchone()[0])
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    runner.stop()
    assert answers == ["second"]


def _similar(qtbot: QtBot, window: MainWindow) -> SimilarDialog:
    dialog = window.findChild(SimilarDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.answer is not None, timeout=10_000)
    return dialog


def _more_like_qwen(qtbot: QtBot, seed_db: Path) -> SimilarDialog:
    """The paper table's "More like this" on Luo Ji's Qwen paper, once answered."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    _action(window.paper_menu(), "More like this").trigger()
    return _similar(qtbot, window)


def test_more_like_this_from_the_paper_table_menu(qtbot: QtBot, seed_db: Path) -> None:
    dialog = _more_like_qwen(qtbot, seed_db)
    window = dialog.parentWidget()
    assert isinstance(window, MainWindow)
    assert isinstance(dialog.answer, list)
    titles = [m.title for m in dialog.answer]
    assert "Qwen Technical Report" not in titles
    assert "Compass-Thinker-7B Technical Report" in titles
    assert "Compass-Thinker-7B Technical Report" in dialog.results.toPlainText()
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(SimilarDialog) is None)

    link = re.search(r'href="(paperdesk://similar/\d+)"', window.detail.toHtml())
    assert link is not None and "More like this" in window.detail.toPlainText()
    window.pane.follow_link(QUrl(link.group(1)))  # what clicking the pane's link does
    again = _similar(qtbot, window)
    assert again.windowTitle() == "More like “Qwen Technical Report”"
    again.close()


def test_similar_researchers_and_the_report_from_the_author_menu(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    _action(window.author_menu(), "Similar researchers").trigger()
    dialog = _similar(qtbot, window)
    assert isinstance(dialog.answer, Ranking)
    names = [r.name for r in dialog.answer.reviewers]
    assert names and "Luo Ji" not in names
    assert dialog.windowTitle() == "Researchers like Luo Ji"
    dialog.close()

    for name in ("report.html", "report.pdf"):
        task = window.desk.write_report(window.selected_profiles(), tmp_path / name)
        with qtbot.waitSignal(task.finished, timeout=20_000):
            pass
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Luo Ji" in text and "Qwen Technical Report" not in text  # nothing starred
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def test_the_report_and_the_csv_are_proposed_a_name_where_exports_go(
        qtbot: QtBot, seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """They opened on an empty name in the folder the app was started from (make run:
    the checkout)."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    today = datetime.date.today().isoformat()
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    report = window.desk.choose_report()
    assert report is not None
    assert Path(report.directory().absolutePath()) == home / "Documents"
    assert report.selectedFiles() == [str(home / "Documents" / f"Luo Ji report {today}.pdf")]
    report.close()
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText("Qwen Technical Report")
    chooser = dialog.choose_csv()
    assert chooser.selectedFiles() == [
        str(home / "Documents" / f"Reviewers Qwen Technical Report {today}.csv")]
    chooser.close()
    # the plain words only: a topic typed with markup gave "Reviewers b graph b neural"
    for typed, words in [("<b>graph</b> neural", "graph neural"),
                         ("&lt;i&gt;Schr\\\"odinger&lt;/i&gt; &amp; \\emph{cats}",
                          "Schrödinger cats"),
                         ("C:/tmp/a*b? | x\x07 \u201cy\u201d: z", "C tmp a b x y z"),
                         ("one two three four five six seven eight nine", "one two three four "
                          "five six seven eight")]:
        dialog.title.setText(typed)
        chooser = dialog.choose_csv()
        assert chooser.selectedFiles() == [
            str(home / "Documents" / f"Reviewers {words} {today}.csv")], typed
        chooser.close()
    dialog.close()


def test_the_papers_of_a_saved_search_are_the_submission(qtbot: QtBot, seed_db: Path) -> None:
    """"technical report" finds three seed papers (Qwen, Compass-Thinker-7B, the CPDC
    Challenge 2025 report); they make the topic and never vote for anyone, and the
    authors typed are still checked for conflicts."""
    window = open_window(qtbot, seed_db)
    window.saved.save("Reports", "technical report")
    dialog = _reviewers_dialog(qtbot, window)
    assert dialog.saved_box.currentText() == "Reports" and dialog.use_saved.isEnabled()
    dialog.authors.setText("Yuxuan Lei")
    dialog.ranking = None
    dialog.use_saved.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    ranking = dialog.ranking
    assert ranking is not None and ranking.about == "the 3 papers of “Reports”"
    assert {"qwen", "compass", "cpdc"} <= set(ranking.terms)
    shown = {m.title for r in ranking.reviewers for m in r.papers}
    assert not shown & {"Qwen Technical Report", "Compass-Thinker-7B Technical Report"}
    zeng = next(r for r in ranking.reviewers if r.name == "Anxiang Zeng")
    assert any(m.title.startswith("Compass-Embedding v4") for m in zeng.papers)
    lian = next(r for r in ranking.reviewers if r.name == "Jianxun Lian")
    assert {c.author for c in lian.conflicts} == {"Yuxuan Lei"}
    assert "coauthor" in {c.kind for c in lian.conflicts}
    assert dialog.status.text().startswith("5 researchers for the 3 papers of “Reports”")
    assert dialog.results.toPlainText().startswith("Submission: the 3 papers of “Reports”")
    dialog.close()


def test_a_saved_search_that_finds_no_paper_says_so(qtbot: QtBot, seed_db: Path) -> None:
    """A tester's saved search from another store found no paper here, and the dialog
    said no researcher had papers on its words: it had no words at all."""
    window = open_window(qtbot, seed_db)
    window.saved.save("Elsewhere", "quasicrystal")
    dialog = _reviewers_dialog(qtbot, window)
    dialog.ranking = None
    dialog.use_saved.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking is not None and dialog.ranking.about == "the 0 papers of “Elsewhere”"
    shown = dialog.results.toPlainText()
    assert "The topic has no word the store holds: there is nothing to rank" in shown
    assert "No researcher in the store" not in shown
    dialog.close()


def test_without_saved_searches_there_is_nothing_to_choose(qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    assert dialog.saved_box.count() == 0 and not dialog.use_saved.isEnabled()
    dialog.close()


def test_cancel_drops_the_ranking_under_way_and_the_next_one_is_shown(
        qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    assert not dialog.cancel_button.isEnabled()
    dialog.title.setText(TITLE)
    dialog.abstract.setPlainText(ABSTRACT)
    dialog.find_button.click()
    assert dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()
    assert dialog.status.text() == "Cancelled." and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=5000)
    qtbot.wait(50)  # let anything the thread sent arrive: it must be dropped
    assert dialog.ranking is None and dialog.results.toPlainText() == ""
    assert dialog.status.text() == "Cancelled."
    assert _ranked(qtbot, dialog).reviewers[0].name == "Luo Ji"
    assert not dialog.cancel_button.isEnabled()
    dialog.close()


ENDLESS = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
           " SELECT count(*) FROM n")  # never ends unless SQLite is interrupted


def test_cancel_stops_sqlite_in_the_middle_of_a_question(qtbot: QtBot, seed_db: Path) -> None:
    dialog = _more_like_qwen(qtbot, seed_db)
    assert not dialog.cancel_button.isEnabled()
    answers: list[object] = []
    dialog.runner.ready.connect(answers.append)
    dialog.runner.submit(lambda conn: conn.execute(ENDLESS).fetchone())
    dialog.cancel_button.setEnabled(True)  # as while its own search runs
    qtbot.waitUntil(lambda: dialog.runner.busy)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=5000)
    assert answers == [] and dialog.status.text() == "Cancelled."
    dialog.close()


def test_a_changed_filter_ranks_again_and_the_csv_follows_it(qtbot: QtBot, seed_db: Path,
                                                             tmp_path: Path) -> None:
    """Ticking "Hide conflicted" after a ranking left Jianxun Lian (conflicted with Yuxuan
    Lei) on the screen and in Export CSV until Find was pressed again (newcomer's tour)."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText(TITLE)
    dialog.abstract.setPlainText(ABSTRACT)
    dialog.authors.setText("Yuxuan Lei")
    assert "Jianxun Lian" in {r.name for r in _ranked(qtbot, dialog).reviewers}
    dialog.ranking = None
    dialog.hide_conflicted.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking is not None
    assert "Jianxun Lian" not in {r.name for r in dialog.ranking.reviewers}
    assert "Jianxun Lian" not in dialog.results.toPlainText()
    path = tmp_path / "reviewers.csv"
    assert dialog.export_csv(path)
    names = [row["name"] for row in csv.DictReader(path.open(encoding="utf-8"))]
    assert "Luo Ji" in names and "Jianxun Lian" not in names
    dialog.ranking = None
    dialog.min_papers.setValue(99)
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.ranking.reviewers == []
    dialog.close()


def test_tab_in_the_abstract_moves_on_to_the_authors(qtbot: QtBot, seed_db: Path) -> None:
    """A keyboard user's Tab in the pasted abstract typed a tab character into it."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.activateWindow()
    dialog.abstract.setFocus()
    qtbot.waitUntil(dialog.abstract.hasFocus)
    QTest.keyClick(dialog.abstract, Qt.Key.Key_Tab)
    qtbot.waitUntil(dialog.authors.hasFocus)
    assert dialog.abstract.toPlainText() == ""
    dialog.close()


def test_a_failed_question_says_why_with_the_store_and_stops_offering_cancel(
        qtbot: QtBot, seed_db: Path) -> None:
    dialog = _more_like_qwen(qtbot, seed_db)
    dialog.runner.submit(lambda conn: conn.execute("SELECT * FROM no_such_table").fetchone())
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: "no such table: no_such_table" in dialog.status.text(), timeout=5000)
    assert dialog.status.text() == f"{seed_db}: no such table: no_such_table"
    assert not dialog.cancel_button.isEnabled()
    dialog.close()


def _report_offer(qtbot: QtBot, window: MainWindow, path: Path) -> QMessageBox:
    """Candidate report… for the selected profile, saved as `path`; the box it offers."""
    dialog = window.desk.choose_report()
    assert dialog is not None
    dialog.selectFile(str(path))
    dialog.accept()  # what Save does: the report is written off the GUI thread
    qtbot.waitUntil(lambda: window.desk.offer is not None and window.desk.offer.isVisible(),
                    timeout=20_000)
    assert window.desk.offer is not None
    return window.desk.offer


def _button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


def test_a_written_report_is_offered_to_open_and_its_folder_to_show(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """The report could be written but not opened from the app. The name holds a space,
    a '#' and an accent: a URL made from the text would cut it at '#'."""
    window = open_window(qtbot, seed_db)
    opened: list[QUrl] = []
    window.desk.opener = lambda url: opened.append(url) or True
    click_author(qtbot, window, "profile", "Luo Ji")
    path = tmp_path / "reports" / "Luo Ji #1 café.pdf"
    path.parent.mkdir()
    box = _report_offer(qtbot, window, path)
    assert path.read_bytes().startswith(b"%PDF")
    assert box.text() == f"Wrote the report Luo Ji #1 café.pdf\nin {path.parent}"
    _button(box, "Open").click()
    assert len(opened) == 1 and opened[0].isLocalFile()
    assert Path(opened[0].toLocalFile()) == path
    qtbot.waitUntil(lambda: window.desk.offer is None or not window.desk.offer.isVisible())

    box = _report_offer(qtbot, window, path.with_suffix(".html"))
    _button(box, "Show in folder").click()
    assert [Path(u.toLocalFile()) for u in opened] == [path, path.parent]

    window.desk.opener = lambda _url: False  # no application for PDF files here
    other = path.with_name("Luo Ji.pdf")  # a new name: an old one asks to replace it
    _button(_report_offer(qtbot, window, other), "Open").click()
    assert window.statusBar().currentMessage() == f"No application here opens {other}"


def _link_cursor(browser: QTextBrowser, text: str) -> QTextCursor:
    """A cursor inside the link whose text is `text`, scrolled into view."""
    found = browser.document().find(text)
    assert not found.isNull(), f"{text!r} not in the results"
    cursor = QTextCursor(browser.document())
    cursor.setPosition(found.selectionStart() + 1)
    assert cursor.charFormat().isAnchor(), f"{text!r} is not a link"
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    return cursor


def _click_link(qtbot: QtBot, browser: QTextBrowser, text: str) -> None:
    rect = browser.cursorRect(_link_cursor(browser, text))
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _enter_on_link(qtbot: QtBot, dialog: SimilarDialog, text: str) -> None:
    """Tab through the results' links to `text` (at most 60 presses), then Enter."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    browser = dialog.results
    qtbot.waitUntil(browser.hasFocus)  # the answer puts the first link under Enter
    for _ in range(60):
        if browser.textCursor().selectedText() == text:
            break
        QTest.keyClick(browser, Qt.Key.Key_Tab)
    assert browser.textCursor().selectedText() == text
    QTest.keyClick(browser, Qt.Key.Key_Return)


def _shown(window: MainWindow) -> str:
    paper = window.current_paper()
    return "" if paper is None else paper.title


def test_a_similar_paper_opens_in_the_window_by_click_and_back_returns(
        qtbot: QtBot, seed_db: Path) -> None:
    """Compass-Thinker-7B is on Anxiang Zeng's page (seed 003), not Luo Ji's: it opens
    in All papers, selected in the table and shown in the pane."""
    dialog = _more_like_qwen(qtbot, seed_db)
    window = dialog.parentWidget()
    assert isinstance(window, MainWindow)
    _click_link(qtbot, dialog.results, "Compass-Thinker-7B Technical Report")
    qtbot.waitUntil(lambda: _shown(window) == "Compass-Thinker-7B Technical Report")
    wait_idle(qtbot, window)
    assert window.browse.here == Location("all")
    assert window.detail.toPlainText().startswith("Compass-Thinker-7B Technical Report")
    qtbot.waitUntil(lambda: window.table.currentIndex().siblingAtColumn(1).data()
                    == "Compass-Thinker-7B Technical Report")
    assert dialog.isVisible()  # open for the next result
    window.go_back()
    qtbot.waitUntil(lambda: _shown(window) == "Qwen Technical Report")
    wait_idle(qtbot, window)
    assert window.author_list.currentIndex().data() == "Luo Ji (22 · 7 named)"
    dialog.close()


def test_enter_on_a_similar_paper_opens_it_past_a_query_that_hides_it(
        qtbot: QtBot, seed_db: Path) -> None:
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    search_for(qtbot, window, "qwen")
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    _action(window.paper_menu(), "More like this").trigger()
    dialog = _similar(qtbot, window)
    _enter_on_link(qtbot, dialog, "Compass-Thinker-7B Technical Report")
    qtbot.waitUntil(lambda: _shown(window) == "Compass-Thinker-7B Technical Report")
    wait_idle(qtbot, window)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: clear_button_opacity(window) == 0.0)  # nothing left to clear
    assert window.statusBar().currentMessage() == (
        "Showing the paper in All papers: the search “qwen” was cleared")
    qtbot.waitUntil(lambda: window.table.currentIndex().siblingAtColumn(1).data()
                    == "Compass-Thinker-7B Technical Report")
    window.go_back()
    qtbot.waitUntil(lambda: _shown(window) == "Qwen Technical Report")
    dialog.close()


def test_a_similar_researcher_opens_as_the_scope_by_click_and_by_enter(
        qtbot: QtBot, seed_db: Path) -> None:
    """Luo Ji's similar researchers include Anxiang Zeng and Ziru Liu (profiles of their
    own); each name opens their profile, and Back returns to Luo Ji."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    _action(window.author_menu(), "Similar researchers").trigger()
    dialog = _similar(qtbot, window)
    _click_link(qtbot, dialog.results, "Anxiang Zeng")
    qtbot.waitUntil(lambda: window.authors.current_item() is not None
                    and window.authors.current_item().label == "Anxiang Zeng")
    wait_idle(qtbot, window)
    assert window.browse.here.kind == "profile"
    assert len(table_titles(window)) == 32  # PROFILES["Anxiang Zeng"]
    _enter_on_link(qtbot, dialog, "Ziru Liu")
    qtbot.waitUntil(lambda: window.authors.current_item().label == "Ziru Liu")
    wait_idle(qtbot, window)
    assert len(table_titles(window)) == 14
    window.go_back()
    qtbot.waitUntil(lambda: window.authors.current_item().label == "Anxiang Zeng")
    window.go_back()
    qtbot.waitUntil(lambda: window.authors.current_item().label == "Luo Ji")
    wait_idle(qtbot, window)
    assert len(table_titles(window)) == 22
    dialog.close()


def test_tab_from_the_filters_into_the_reviewers_puts_the_first_under_enter(
        qtbot: QtBot, seed_db: Path) -> None:
    """A newcomer tabbed from the last spin box into the results: no link was focused
    and Enter opened nothing (a second Tab was needed), unlike More like this."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.title.setText(TITLE)
    dialog.abstract.setPlainText(ABSTRACT)
    assert _ranked(qtbot, dialog).reviewers[0].name == "Luo Ji"
    dialog.years.setFocus()  # the last spin box: the focus stays in the form
    assert dialog.years.hasFocus()
    qtbot.keyClick(dialog.years, Qt.Key.Key_Tab)
    assert dialog.results.hasFocus()
    assert dialog.results.textCursor().selectedText() == "Luo Ji"  # the first link
    if SHOTS:
        assert dialog.grab().save(str(Path(SHOTS) / "reviewers-tab.png"))
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.authors.current_item() is not None
                    and window.authors.current_item().label == "Luo Ji")
    dialog.close()


def test_a_step_from_no_year_goes_to_this_year_and_a_typed_year_counts_once_whole(
        qtbot: QtBot, seed_db: Path) -> None:
    """A tester clicked the up arrow of "Submitted in: today" and got "Submitted in 1":
    the co-author window became years -2 to 1 and every such conflict vanished from the
    list, silently; "papers since" went to "papers since 1". Typing 2024 ranked again at
    "2", "20" and "202"."""
    window = open_window(qtbot, seed_db)
    dialog = _reviewers_dialog(qtbot, window)
    dialog.title.setText("technical report")
    _ranked(qtbot, dialog)
    this_year = datetime.date.today().year
    for box, special in ((dialog.submitted, "today"), (dialog.since, "papers of any year")):
        assert box.text() == special
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Up)
        assert box.value() == this_year
        qtbot.keyClick(box, Qt.Key.Key_Down)
        assert box.value() == this_year - 1
        box.setValue(1905)
        qtbot.keyClick(box, Qt.Key.Key_PageDown)  # ten years down: under 1900, none
        assert box.value() == 0 and box.text() == special
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10_000)
    shown = dialog.ranking
    dialog.since.setFocus()
    dialog.since.lineEdit().selectAll()
    qtbot.keyClicks(dialog.since.lineEdit(), "20")
    assert dialog.since.value() == 0 and not dialog.runner.busy  # nothing asked yet
    assert dialog.ranking is shown
    qtbot.keyClicks(dialog.since.lineEdit(), "24")
    qtbot.keyClick(dialog.since, Qt.Key.Key_Enter)
    assert dialog.since.value() == 2024
    qtbot.waitUntil(lambda: dialog.ranking is not shown, timeout=10_000)


def test_the_report_is_written_in_the_format_chosen_or_refused(
        qtbot: QtBot, seed_db: Path, tmp_path: Path) -> None:
    """A tester chose "HTML (*.html)" under Files of type, typed the name "cand" and got
    cand.pdf, a PDF: the dialog added its first filter's extension whatever was chosen.
    A name such as cand.txt was written as a PDF too, where `paperdesk report` refuses
    it."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    folder = tmp_path / "reports"
    folder.mkdir()
    dialog = window.desk.choose_report()
    assert dialog is not None
    dialog.setDirectory(str(folder))
    types = dialog.findChild(QComboBox, "fileTypeCombo")
    assert types is not None and types.currentText() == "PDF (*.pdf)"
    types.setFocus()
    qtbot.keyClick(types, Qt.Key.Key_Down)  # the user picks the next type: HTML
    assert dialog.selectedNameFilter() == "HTML (*.html)"
    dialog.selectFile("cand")
    dialog.accept()
    qtbot.waitUntil(lambda: window.desk.offer is not None and window.desk.offer.isVisible(),
                    timeout=20_000)
    assert sorted(p.name for p in folder.iterdir()) == ["cand.html"]
    assert (folder / "cand.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    window.desk.offer.close()

    wrong = folder / "cand.txt"
    dialog = window.desk.choose_report()
    assert dialog is not None
    dialog.selectFile(str(wrong))
    dialog.accept()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("No report"),
                    timeout=20_000)
    assert window.statusBar().currentMessage() == (
        f"No report: {wrong}: a report is a .pdf or an .html file, not .txt; name it so")
    assert not wrong.exists()


def test_use_the_selected_paper_takes_the_one_selected_now(qtbot: QtBot, seed_db: Path) -> None:
    """The dialog stays open beside the window. A chair picked the next submission in the
    table and pressed "Use the selected paper": the dialog took the paper selected when it
    opened (and, opened with none, kept the button off)."""
    window = open_window(qtbot, seed_db)
    click_author(qtbot, window, "profile", "Luo Ji")
    dialog = _reviewers_dialog(qtbot, window)  # no paper selected yet
    assert not dialog.use_paper.isEnabled()
    click_row(qtbot, window, row_of_title(window, "Qwen Technical Report"))
    dialog.activateWindow()  # back to the dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.use_paper.isEnabled()
    assert dialog.use_paper.toolTip() == "Use “Qwen Technical Report”"
    hierarchical = ("Hierarchical Reinforcement Learning for Temporal Abstraction of "
                    "Listwise Recommendation")
    click_row(qtbot, window, row_of_title(window, hierarchical))  # the next submission
    dialog.ranking = None
    dialog.use_paper.click()
    qtbot.waitUntil(lambda: dialog.ranking is not None, timeout=10_000)
    assert dialog.title.text() == hierarchical
    assert dialog.authors.text() == "Luo Ji, Gao Liu, Mingyang Yin"
    shown = [m.title for r in dialog.ranking.reviewers for m in r.papers]
    assert shown and hierarchical not in shown  # never its own evidence
    dialog.close()
