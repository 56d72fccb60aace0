"""The main window and what hangs on it directly: start screen, archive actions, the new-archive dialog and its import
plan view, the catalogue revision and settings dialogs."""
