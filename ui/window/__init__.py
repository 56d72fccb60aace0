"""The main window and what hangs on it directly: start screen, archive actions, the new-archive, catalogue revision
and settings dialogs."""
