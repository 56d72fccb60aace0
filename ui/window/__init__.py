"""The main window and what hangs on it directly: start screen, archive actions, new-archive and settings dialogs."""
