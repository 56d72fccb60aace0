"""Ground floor: what every other part may use and that uses nothing of ours (errors, progress, atomic writes,
safe names, zip helpers, plain-text formatting, Windows paths, the app's own folders). No Qt."""
