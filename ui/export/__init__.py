"""The dossier export dialog."""
