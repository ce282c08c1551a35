"""Add identifier…: an ORCID, OpenAlex, DBLP, Google Scholar id or homepage for a
person, from the author list's context menu (`paperdesk people id` on the command line).

The value is checked by the command's own function (`decisions.clean_identifier`: the
ORCID's check digit, a homepage only http(s)) before anything is written; a bad one is
said in the dialog, which stays open with what was typed. A good one is written on the
notes thread (`Annotations.write`), after which the window shows the notes as stored:
the person's pane lists it at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from paperdesk.gui.annotations import Annotations
from paperdesk.identity import decisions
from paperdesk.identity.desk import store_identifier

# (kind, its name, an example), in decisions.ID_KINDS order
KINDS = (("orcid", "ORCID", "0000-0002-1825-0097 or https://orcid.org/…"),
         ("openalex", "OpenAlex", "A5023888391 or https://openalex.org/…"),
         ("dblp", "DBLP", "e.g. 12/3456 or https://dblp.org/pid/…"),
         ("scholar", "Google Scholar", "the user= of the profile, or its address"),
         ("homepage", "Homepage", "https://…"))


class IdentifierDialog(QDialog):
    """The kind, the value, and what is wrong with it (if anything) under them."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identifierDialog")
        self.setWindowTitle(f"Add identifier — {name}")
        self.kind = QComboBox()
        self.kind.setObjectName("identifierKind")
        for kind, label, _example in KINDS:
            self.kind.addItem(label, kind)
        self.value = QLineEdit()
        self.value.setObjectName("identifierValue")
        self.problem = QLabel()
        self.problem.setObjectName("identifierProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.problem.setWordWrap(True)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed(0)
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        form.addRow("&Value:", self.value)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        who = QLabel(name)
        who.setTextFormat(Qt.TextFormat.PlainText)  # a name from a page is never markup
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def _kind_changed(self, index: int) -> None:
        self.value.setPlaceholderText(KINDS[index][2])
        self.problem.clear()

    def identifier(self) -> tuple[str, str] | None:
        """(kind, value as stored), or None after saying what is wrong with the value."""
        kind = str(self.kind.currentData())
        try:
            return kind, decisions.clean_identifier(kind, self.value.text())
        except decisions.DecisionError as exc:
            self.problem.setText(f"Not added: {exc}.")
            self.value.setFocus()
            self.value.selectAll()
            return None


def ask(parent: QWidget, annotations: Annotations, who: tuple[str, str]) -> IdentifierDialog:
    """The dialog for person `who` (key, name); OK with a good value writes it."""
    key, name = who
    dialog = IdentifierDialog(name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def save() -> None:
        found = dialog.identifier()
        if found is None:
            return  # said in the dialog; it stays open
        kind, value = found
        dialog.accept()
        annotations.write(f"{kind} {value} for {name}",
                          lambda notes: store_identifier(notes, key, kind, value))

    dialog.buttons.accepted.connect(save)
    dialog.open()
    return dialog
