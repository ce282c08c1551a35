"""The PySide6 desktop app: models, rendering, the search worker and the main window."""
