"""Choose what an ambiguous category code means (issue 13): `NA` on a page is cs.NA or
math.NA. The detail pane's category line links here ("choose…" / "change…"), and so
does the paper table's context menu.

The dialog lists every category the code may be and "no choice" (forget it), for the
paper shown or for every paper of a profile listing it. It opens from what the pane
read already (`PaneData`: the paper, the user's choice for it, the listing profiles
and theirs), and the choice is written on the notes thread (`Annotations.write`):
the GUI thread runs no SQL. A choice for a paper is one of its notes
(`PaperNotes.category`); a choice for a profile runs the search again too, since
the table's category column reads the scope profile's choices with each answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from paperdesk import categories
from paperdesk.gui import render
from paperdesk.gui.annotations import Annotations
from paperdesk.gui.detail import DetailPart
from paperdesk.gui.pane import PaneData
from paperdesk.userdata import UserData


class CategoryDialog(QDialog):
    """What the paper's ambiguous code means: one of its categories, or no choice;
    for this paper only, or for every paper of a profile listing it."""

    def __init__(self, data: PaneData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert data.paper is not None
        self.setObjectName("categoryDialog")
        self.setWindowTitle("What does this category mean? — PaperDesk")
        self.code = data.paper.category
        self._chosen: dict[str | None, str | None] = {  # target -> its choice now
            None: data.notes.category if data.notes is not None else None}
        for source, meaning in data.chosen_by:
            self._chosen[source] = meaning
        intro = QLabel(f"The page shows “{self.code}”, which may be any of these arXiv "
                       "categories. What does it mean here?")
        intro.setTextFormat(Qt.TextFormat.PlainText)  # page text is never markup
        intro.setWordWrap(True)
        self.target = QComboBox()
        self.target.setObjectName("categoryTarget")
        self.target.addItem("For this paper only", None)
        for profile in data.listing:
            self.target.addItem(f"For every paper of {render.profile_name(profile)} "
                                f"({profile.source})", profile.source)
        scope = data.request.scope
        for i, profile in enumerate(data.listing, start=1):
            if scope.kind == "profile" and scope.value == profile.id and \
                    self._chosen[None] is None:
                self.target.setCurrentIndex(i)  # in a profile's scope: its choice first
        self.group = QButtonGroup(self)
        self.buttons: dict[str | None, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.target)
        for code, name in [*categories.meanings(self.code), (None, "")]:
            text = f"{code}  {name}" if code else \
                "No choice (forget it): the next rule reads it (your choice for a " \
                "profile, the profile's field, else every category it may be)"
            button = QRadioButton(text)
            button.setObjectName(f"meaning-{code or 'none'}")
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        self.target.currentIndexChanged.connect(lambda _i: self._show_choice())
        self._show_choice()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def _show_choice(self) -> None:
        """Check the target's choice; Tab lands on it, so that the arrow keys move the
        choice. Qt moves it only from a checked button, and lets Tab into the group land
        on any button until one has had the focus: Tab, Down, Down had moved the focus
        ring from the first meaning while "no choice" stayed checked, and Enter saved it."""
        checked = self.buttons[self._chosen.get(self.target.currentData())]
        checked.setChecked(True)
        for button in self.buttons.values():
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is checked
                                  else Qt.FocusPolicy.ClickFocus)

    def choice(self) -> tuple[str | None, str | None]:
        """(the page whose profile it is for, None: the paper; the full code, None: no
        choice)."""
        meaning = next((code for code, button in self.buttons.items() if button.isChecked()),
                       None)
        return self.target.currentData(), meaning


class CategoryChoices(QObject):
    """The window's part: opens the dialog for the paper the pane shows (its `choose…`
    link, or the table's menu) and writes the choice on the notes thread."""

    def __init__(self, window: QWidget, annotations: Annotations, pane: DetailPart,
                 reread: Callable[[], None]) -> None:
        """`reread`: run the search again (a profile's choice changes the table's reading)."""
        super().__init__(window)
        self._window, self._annotations, self._pane = window, annotations, pane
        self._reread = reread
        pane.categoryRequested.connect(self.open)

    def _say(self, text: str) -> None:
        self._annotations.message.emit(text, 5000)

    def open(self) -> CategoryDialog | None:
        data = self._pane.data
        if data is None or data.paper is None:
            self._say("Open a paper first")
            return None
        if not categories.is_ambiguous(data.paper.category):
            self._say(f"{categories.label(data.paper.category)}: the code names one "
                      "category, nothing to choose")
            return None
        if not self._annotations.available:
            self._say("Your choice is kept in your user data, which is not open")
            return None
        dialog = CategoryDialog(data, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save(data, *dialog.choice()))
        dialog.open()
        return dialog

    def _save(self, data: PaneData, source: str | None, meaning: str | None) -> None:
        assert data.paper is not None
        code, paper = data.paper.category, data.paper.id
        said = f"{code} means {meaning}" if meaning else f"no choice for {code}"

        def write(ud: UserData) -> None:
            if source is None:
                ud.categories.set_paper(paper, meaning)
            else:
                ud.categories.set_profile(source, code, meaning)
        if source is None:
            self._annotations.write(f"{said} (this paper)", write)
        else:
            self._annotations.write(f"{said} (every paper of {source})", write,
                                    then=lambda _saved: self._reread())
