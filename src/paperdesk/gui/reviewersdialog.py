"""Find reviewers: a pasted submission, the selected paper or the papers of a saved
search, against the store.

The ranking is paperdesk.reviewers.find_reviewers, run by a DeskRunner off the GUI
thread; a newer question drops the answer to an older one, and Cancel drops the one
under way (SQLite stops it). Every piece of page
text is escaped before it reaches the rich-text view; the topic's words are
highlighted in the best-matching titles. Conflicts come with their evidence and
the notice that pages cut author lists, so the absence of one is not certain.
"""

from __future__ import annotations

import datetime
import html
import io
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from paperdesk import desk, reviewers, userfiles
from paperdesk.gui import screenfit
from paperdesk.gui.deskworker import DeskRunner, Question
from paperdesk.gui.exportdialog import plain_words, save_dialog
from paperdesk.gui.plain import plain
from paperdesk.gui.render import LIGHT, Theme, highlight_span, paper_url, person_url, profile_url
from paperdesk.gui.theme import theme_for
from paperdesk.reviewers import Match, Ranking, Reviewer, Topic
from paperdesk.store import PaperRow


def highlighted(text: str, marks: Iterable[tuple[int, int]], theme: Theme = LIGHT) -> str:
    """`text` escaped, the words at `marks` (what the ranking matched: Match.marks) in
    `theme`'s highlight colours."""
    span, parts, at = highlight_span(theme), [], 0
    for start, end in sorted(marks):
        parts += [html.escape(text[at:start]), f"{span}{html.escape(text[start:end])}</span>"]
        at = end
    return "".join(parts) + html.escape(text[at:])


def _alert(word: str, theme: Theme) -> str:
    return f'<span style="color:{theme.alert};font-weight:bold">{word}</span>'


def match_html(match: Match, theme: Theme = LIGHT) -> str:
    """A matching paper; its title links to it (the Desk opens it in the window)."""
    shared = html.escape(", ".join(match.words))
    title = highlighted(match.title, match.marks, theme)
    return (f'<li><a href="{paper_url(match.rid)}">{title}'
            f"</a> ({match.year}){f' <small>— {shared}</small>' if shared else ''}</li>")


def reviewer_html(rank: int, person: Reviewer, theme: Theme = LIGHT) -> str:
    """A researcher; the name links to their profile (else to the person)."""
    flag = f" {_alert('CONFLICT', theme)}" if person.conflicts else ""
    url = person_url(person.key) if person.profile is None else profile_url(person.profile)
    lines = [f'<p><b>{rank}. <a href="{url}">{html.escape(person.name)}</a></b>{flag} '
             f"<small>({html.escape(desk.reviewer_summary(person))})</small></p><ul>",
             *(match_html(m, theme) for m in person.papers)]
    lines += [f"<li>{_alert('conflict', theme)} with {html.escape(c.author)}: "
              f"{html.escape(c.evidence)}</li>" for c in person.conflicts]
    return "".join(lines) + "</ul>"


def ranking_html(ranking: Ranking, theme: Theme = LIGHT) -> str:
    parts = [f"<p><small>Topic words: {html.escape(desk.topic_words(ranking))}</small></p>"]
    if ranking.about:
        parts.insert(0, f"<p><small>Submission: {html.escape(ranking.about)}</small></p>")
    if ranking.unknown_authors:
        parts.append("<p><small>Not in the store, so not checked for conflicts: "
                     f"{html.escape(', '.join(ranking.unknown_authors))}</small></p>")
    parts += [reviewer_html(i, r, theme) for i, r in enumerate(ranking.reviewers, start=1)]
    if why := desk.no_ranking(ranking):
        parts.append(f"<p>{html.escape(why[0].upper() + why[1:])}.</p>")
    return "".join(parts)


class LinkView(QTextBrowser):
    """An answer whose links the window opens: Tab into it puts the first link under
    Enter (Shift+Tab the last), as the README says ("Tab to it and press Enter: the
    first is ready"); Qt selects a link only at the next Tab."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setOpenLinks(False)
        self._html_of: Callable[[Theme], str] | None = None

    def show_answer(self, html_of: Callable[[Theme], str]) -> None:
        """The HTML `html_of` makes, in the colours of the palette in use (its marks and
        links were a light theme's in the Dark one); made again when the palette changes."""
        self._html_of = html_of
        self._render()

    def _render(self) -> None:
        if self._html_of is not None:
            theme = theme_for(self.palette())
            self.document().setDefaultStyleSheet(theme.css)
            self.setHtml(self._html_of(theme))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # View → Theme, or the desktop's
            self._render()

    def focus_first_link(self) -> None:
        """Take the focus, the first link under Enter (an answer just shown)."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._select_link(True)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason,
                              Qt.FocusReason.BacktabFocusReason):
            self._select_link(event.reason() == Qt.FocusReason.TabFocusReason)

    def _select_link(self, forward: bool) -> None:
        """The first (else the last) link selected, unless one is."""
        if self.textCursor().hasSelection() or not _has_link(self.document()):
            return
        cursor = self.textCursor()  # Qt looks for the next link after the cursor
        cursor.movePosition(QTextCursor.MoveOperation.Start if forward
                            else QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)
        super().focusNextPrevChild(forward)  # with a link, it selects it


def _has_link(document: QTextDocument) -> bool:
    block = document.begin()
    while block.isValid():
        part = block.begin()
        while not part.atEnd():
            if part.fragment().charFormat().isAnchor():
                return True
            part += 1
        block = block.next()
    return False


FIRST_YEAR = 1900  # the first year a step reaches; below it, the special value


class YearBox(QSpinBox):
    """A year, or none (0, shown as `special`). A step up from none goes to this year,
    not to year 1 (a submission "in 1" found no co-author conflict: its window was
    years -2 to 1; "papers since 1" filtered nothing), a step down from FIRST_YEAR back
    to none; a year typed counts once it is whole (Enter or the focus leaving), not at
    each digit ("2", "20", "202" each ranked again)."""

    def __init__(self, special: str) -> None:
        super().__init__()
        self.setRange(0, 2100)
        self.setSpecialValueText(special)  # shown for 0
        self.setKeyboardTracking(False)

    def stepBy(self, steps: int) -> None:
        if self.value() < FIRST_YEAR and steps > 0:  # none, or a year typed short
            self.setValue(datetime.date.today().year)
        elif self.value() + steps < FIRST_YEAR:
            self.setValue(0)
        else:
            super().stepBy(steps)


class ReviewersDialog(QDialog):
    """Paste a title and abstract (and authors), or use the paper `selected` gives (the
    window's, asked each time: the dialog stays open while the chair picks the next
    submission in the table), or the papers of one of the `saved` searches ((name,
    query text) pairs)."""

    def __init__(self, db_path: Path, selected: Callable[[], PaperRow | None],
                 parent: QWidget | None = None,
                 saved: list[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        self._saved = list(saved or [])
        self.setObjectName("reviewersDialog")
        self.setWindowTitle("Find reviewers")
        self.runner = DeskRunner(self, db_path)
        self.runner.ready.connect(self._show)
        self.ranking: Ranking | None = None
        self._again: Callable[[], None] | None = None  # asks the shown question again
        self._selected = selected
        self._used: tuple[str, str, int] | None = None  # see topic()
        self._build()
        self.finished.connect(lambda _code: self.runner.stop())

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addLayout(self._build_filters())
        self.results = LinkView("reviewersResults")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # a saved search's name, an error
        self.status.setWordWrap(True)
        notice = QLabel(reviewers.NOT_EXHAUSTIVE)
        notice.setObjectName("conflictNotice")
        notice.setWordWrap(True)
        layout.addWidget(self.results, 1)
        layout.addWidget(notice)
        layout.addWidget(self.status)
        layout.addWidget(self._build_buttons())
        # Enter finds reviewers: set once the button is in the dialog (before, its dialog
        # is not known, and the first button of the form, "Use its papers", took Enter)
        self.find_button.setDefault(True)
        self._enable_output(False)
        screenfit.fit(self, 900, 720)

    def _build_form(self) -> QFormLayout:
        """The submission: title, abstract, authors, year, or a saved search's papers."""
        self.title = QLineEdit()
        self.abstract = QPlainTextEdit()
        self.abstract.setMaximumHeight(110)
        self.abstract.setTabChangesFocus(True)  # Tab goes on to the authors, as in a form
        self.authors = QLineEdit()
        self.authors.setPlaceholderText("optional, comma-separated: checked for conflicts")
        self.submitted = YearBox("today")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Abstract", self.abstract)
        form.addRow("A&uthors", self.authors)
        form.addRow("Submitted in", self.submitted)
        self.saved_box = QComboBox()
        self.saved_box.setObjectName("savedSearchBox")
        for name, text in self._saved:
            self.saved_box.addItem(name, text)
        self.saved_box.setToolTip("The papers a saved search finds (its first "
                                  f"{reviewers.SEARCH_PAPERS}) as the submission")
        self.use_saved = QPushButton("Use its &papers")
        self.use_saved.clicked.connect(self.use_saved_search)
        self.saved_box.setEnabled(bool(self._saved))
        self.use_saved.setEnabled(bool(self._saved))
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_box, 1)
        saved_row.addWidget(self.use_saved)
        saved_label = QLabel("Or a sa&ved search")  # a row of two: the label needs its buddy
        saved_label.setBuddy(self.saved_box)
        form.addRow(saved_label, saved_row)
        return form

    def _build_filters(self) -> QGridLayout:
        self.hide_conflicted = QCheckBox("&Hide conflicted")
        self.everyone = QCheckBox("&Everyone named on papers")
        self.min_papers = QSpinBox()
        self.min_papers.setRange(1, 99)
        self.min_papers.setPrefix("at least ")
        self.min_papers.setSuffix(" matching")
        self.since = YearBox("papers of any year")
        self.since.setPrefix("papers since ")
        self.years = QSpinBox()
        self.years.setRange(0, 50)
        self.years.setValue(reviewers.DEFAULT_YEARS)
        self.years.setPrefix("co-authors within ")
        self.years.setSuffix(" years")
        filters = QGridLayout()  # two rows: in one the dialog was 830 pixels at least
        for column, box in enumerate((self.hide_conflicted, self.everyone)):
            filters.addWidget(box, 0, column)
        for column, spin in enumerate((self.min_papers, self.since, self.years)):
            filters.addWidget(spin, 1, column)
        for box in (self.hide_conflicted, self.everyone):
            box.toggled.connect(self._filters_changed)
        for spin in (self.min_papers, self.since, self.years):
            spin.valueChanged.connect(self._filters_changed)
        return filters

    def _filters_changed(self) -> None:
        """A filter changed after a question was asked: ask it again, so that the list
        shown (and what Export CSV writes) always follows the filters."""
        if self._again is not None:
            self._again()

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.find_button = buttons.addButton("&Find reviewers",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.use_paper = buttons.addButton("Use the &selected paper",
                                           QDialogButtonBox.ButtonRole.ActionRole)
        self._follow_selection()
        self.csv_button = buttons.addButton("Export &CSV…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = buttons.addButton("C&opy as text",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = buttons.addButton("Ca&ncel", QDialogButtonBox.ButtonRole.ActionRole)
        self.runner.control(self.cancel_button, self.status)
        self.find_button.clicked.connect(self.rank)
        self.use_paper.clicked.connect(self.use_selected_paper)
        self.csv_button.clicked.connect(self.choose_csv)
        self.copy_button.clicked.connect(self.copy_text)
        buttons.rejected.connect(self.reject)
        return buttons

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._follow_selection()  # back from the window, where another may be picked

    def _follow_selection(self) -> None:
        """"Use the selected paper" as the window's selection is now; its tooltip names it."""
        paper = self._selected()
        self.use_paper.setEnabled(paper is not None)
        self.use_paper.setToolTip(plain(f"Use “{paper.title}”") if paper else
                                  "Select a paper in the window first")

    def use_selected_paper(self) -> None:
        paper = self._selected()
        self._follow_selection()
        if paper is None:
            return
        self.title.setText(paper.title)
        self.abstract.setPlainText(paper.abstract)
        self.authors.setText(", ".join(paper.author_list))
        self.submitted.setValue(paper.year)
        self._used = (self.title.text(), self.abstract.toPlainText(), paper.rid)
        self.rank()

    def topic(self) -> Topic:
        """The submission in the form. The paper "Use the selected paper" put in is no
        evidence for itself, while its title and abstract are still those in the form:
        a submission typed after it leaves out no paper."""
        title, abstract = self.title.text(), self.abstract.toPlainText()
        authors = tuple(a.strip() for a in self.authors.text().split(",") if a.strip())
        used = self._used
        exclude = frozenset({used[2]}) if used and used[:2] == (title, abstract) else frozenset()
        return Topic(title, abstract, authors, self.submitted.value() or None, exclude)

    def rank(self) -> None:
        """Ask off the GUI thread; an earlier question still under way is dropped."""
        topic = self.topic()
        if not (topic.title.strip() or topic.abstract.strip()):
            self.status.setText("Paste a title or an abstract first.")
            return
        rank = self._ranker()
        self._again = self.rank
        self._ask(lambda conn: rank(conn, topic), "Ranking researchers…")

    def use_saved_search(self) -> None:
        """The papers the chosen saved search finds are the submission (its first
        SEARCH_PAPERS, in its own order); the authors and date typed still count."""
        name, text = self.saved_box.currentText(), self.saved_box.currentData()
        if not text:
            return
        typed, rank = self.topic(), self._ranker()

        def question(conn: sqlite3.Connection) -> Ranking:
            topic, count = reviewers.search_topic(conn, text)
            ranking = rank(conn, replace(topic, authors=typed.authors, year=typed.year))
            ranking.about = f"the {count} paper{'s' if count != 1 else ''} of “{name}”"
            return ranking

        self._again = self.use_saved_search
        self._ask(question, f"Ranking researchers for the papers of “{name}”…")

    def _ranker(self) -> Callable[[sqlite3.Connection, Topic], Ranking]:
        """find_reviewers with the filters as they are now (read on the GUI thread)."""
        hide, everyone = self.hide_conflicted.isChecked(), self.everyone.isChecked()
        years, minimum, since = self.years.value(), self.min_papers.value(), self.since.value()
        return lambda conn, topic: reviewers.find_reviewers(
            conn, topic, everyone=everyone, years=years, since=since or None,
            min_papers=minimum, hide_conflicted=hide)

    def _ask(self, question: Question, status: str) -> None:
        self.status.setText(status)
        self.runner.submit(question)

    def _show(self, ranking: Ranking) -> None:
        self.ranking = ranking
        self.results.show_answer(partial(ranking_html, ranking))
        count = len(ranking.reviewers)
        conflicted = sum(1 for r in ranking.reviewers if r.conflicts)
        about = f" for {ranking.about}" if ranking.about else ""
        hidden = f", {ranking.hidden} with a conflict hidden" if ranking.hidden else ""
        self.status.setText(f"{count} researcher{'s' if count != 1 else ''}{about}, "
                            f"{conflicted} with a conflict{hidden}")
        self._enable_output(bool(ranking.reviewers))  # nobody to export or copy

    def _enable_output(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.copy_button.setEnabled(on)

    def as_text(self) -> str:
        out = io.StringIO()
        if self.ranking is not None:
            desk.write_text(self.ranking, out)
        return out.getvalue()

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())
        self.status.setText("Copied the ranking as text")

    def choose_csv(self) -> QFileDialog:
        topic = " ".join(plain_words(self.title.text())[:8])
        dialog = save_dialog(self, "Export reviewers as CSV", "CSV (*.csv)",
                             f"Reviewers {topic}" if topic else "Reviewers", ".csv")
        dialog.fileSelected.connect(lambda name: self.export_csv(Path(name)))
        dialog.open()
        return dialog

    def export_csv(self, path: Path) -> bool:
        """The ranking with every conflict, as CSV (no cell a spreadsheet runs)."""
        if self.ranking is None:
            return False
        ranking = self.ranking

        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8", newline="") as out:
                desk.write_csv(ranking, out)
        try:
            userfiles.written(path, write)
        except userfiles.UserFileError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText(f"Wrote {path}")
        return True
