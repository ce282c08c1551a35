"""More like this: the papers closest to one paper, the researchers closest to a profile.

Both run off the GUI thread (gui/deskworker.py), Cancel drops the one under way,
and they show, escaped, what is shared:
the topic words each similar paper contains, each researcher's best-matching papers.
Each title and name is a link the window opens (gui/deskmenu.py, `Desk.open_link`):
click it, or Tab to it and press Enter (the first is ready when the answer comes).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from paperdesk import desk, reviewers
from paperdesk.gui import screenfit
from paperdesk.gui.deskworker import DeskRunner, Question
from paperdesk.gui.render import LIGHT, Theme
from paperdesk.gui.reviewersdialog import LinkView, match_html, ranking_html
from paperdesk.reviewers import Match, Ranking

LIMIT = 20


def papers_html(matches: list[Match], theme: Theme = LIGHT) -> str:
    if not matches:
        return f"<p>{desk.NO_SIMILAR.capitalize()}.</p>"
    return "<ul>" + "".join(match_html(m, theme) for m in matches) + "</ul>"


class SimilarDialog(QDialog):
    """Shows one similar-work answer; built by `more_like_paper` or `more_like_profile`."""

    def __init__(self, db_path: Path, heading: str, job: Question, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("similarDialog")
        self.setWindowTitle(heading)
        self.answer: list[Match] | Ranking | None = None
        label = QLabel(heading)
        label.setWordWrap(True)
        self.results = LinkView("similarResults")
        self.status = QLabel("Looking…")
        for text in (label, self.status):  # a title, a name, an error: never markup
            text.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.cancel_button = buttons.addButton("Ca&ncel", QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        for widget in (label, self.results, self.status, buttons):
            layout.addWidget(widget)
        screenfit.fit(self, 760, 600)
        self.runner = DeskRunner(self, db_path)
        self.runner.control(self.cancel_button, self.status)
        self.runner.ready.connect(self._show)
        self.finished.connect(lambda _code: self.runner.stop())
        self.runner.submit(job)

    def _show(self, answer: list[Match] | Ranking) -> None:
        self.answer = answer
        if isinstance(answer, Ranking):
            self.results.show_answer(partial(ranking_html, answer))
            self.status.setText(f"{len(answer.reviewers)} researchers")
        else:
            self.results.show_answer(partial(papers_html, answer))
            self.status.setText(f"{len(answer)} papers")
        if self.isActiveWindow():  # the first result ready for Enter; Tab goes on
            self.results.focus_first_link()


def more_like_paper(db_path: Path, rid: int, title: str, parent: QWidget | None = None
                    ) -> SimilarDialog:
    return SimilarDialog(db_path, f"More like “{title}”",
                         lambda conn: reviewers.similar_papers(conn, rid, LIMIT), parent)


def more_like_profile(db_path: Path, profile_id: int, name: str,
                      parent: QWidget | None = None) -> SimilarDialog:
    return SimilarDialog(db_path, f"Researchers like {name}",
                         lambda conn: reviewers.similar_people(conn, profile_id, LIMIT), parent)
