import sys
from PySide6.QtWidgets import QWidget
from tests.test_gui_layout import _sized
from tests.test_gui_support import open_window, click_author
def test_probe(qtbot, seed_db):
    w = open_window(qtbot, seed_db)
    _sized(qtbot, w, 900, 600)
    for i in range(3):
        top = w.splitter.widget(i)
        print("PANE", i, type(top).__name__, top.minimumSizeHint().width(), file=sys.stderr)
        for c in top.findChildren(QWidget):
            if c.isVisible() and c.minimumSizeHint().width() > 60:
                print("   ", type(c).__name__, c.objectName(), c.minimumSizeHint().width(), c.sizeHint().width(), getattr(c, 'text', lambda: '')() if hasattr(c,'text') and type(c).__name__ in ('QPushButton','QCheckBox','QLabel') else '', file=sys.stderr)
