"""The actions that need an open store: disabled while none is, saying why.

Import, Export, Compare, People's identities and the Desk menu read or write the
store. While it could not be opened (a truncated or damaged file, another program
writing to it, an upgrade or a build under way) they did nothing (Import after its
file dialog, Export, Find reviewers), opened an empty dialog (identities) or blamed
the selection (Compare, the Desk's). Disabled, each says why in its tooltip, shown in
its menu, and its status tip; the page shown instead of the papers says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from paperdesk.gui.storehost import StoreHost

NO_STORE = ("No paper store is open: the window says why, and offers to build one "
            "from your pages")


def follow_store(stores: StoreHost, actions: Sequence[QAction]) -> None:
    """`actions` are enabled while `stores` has a store open, else disabled with the
    reason (NO_STORE); each keeps its own tooltip for when it is enabled."""
    tips = {action: (_own_tooltip(action), action.statusTip()) for action in actions}
    for action in actions:
        for menu in action.associatedObjects():
            if isinstance(menu, QMenu):
                menu.setToolTipsVisible(True)  # a menu hides its actions' tooltips else

    def offer(is_open: bool) -> None:
        for action, (tooltip, status) in tips.items():
            action.setEnabled(is_open)
            action.setToolTip(tooltip if is_open else NO_STORE)
            action.setStatusTip(status if is_open else NO_STORE)

    stores.opened.connect(lambda _location: offer(True))
    stores.closed.connect(lambda: offer(False))
    offer(stores.is_open)


def _own_tooltip(action: QAction) -> str:
    """The tooltip set on `action`, "" for none: Qt answers an action's text for none,
    which a menu showing tooltips would show as one."""
    tooltip = action.toolTip()
    return "" if tooltip == QAction(action.text()).toolTip() else tooltip
