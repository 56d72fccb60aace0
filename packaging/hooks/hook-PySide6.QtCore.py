# Replaces PyInstaller's hook for PySide6.QtCore (user hooks take precedence): the same collection, minus the 300+
# Qt translations other than Chinese (packaging/bundle_filter.py).
import os
import runpy

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_filter = runpy.run_path(os.path.join(os.path.dirname(__file__), os.pardir, "bundle_filter.py"))
hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = _filter["filter_hook_files"](binaries)
datas = _filter["filter_hook_files"](datas)
