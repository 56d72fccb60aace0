"""The open archive: its session (tree model, writes, monitor) and the panels of the workspace page."""
