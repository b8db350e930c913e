"""The main window's pages: one register each, plus reports, reference lists and settings."""
