"""The app's version, shown by --version and written into exports."""

VERSION = "0.1.0"
