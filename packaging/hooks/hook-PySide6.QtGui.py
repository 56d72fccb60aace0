# Replaces PyInstaller's hook for PySide6.QtGui (user hooks take precedence): the same collection, minus the Qt
# plugins the app never loads (packaging/bundle_filter.py). Filtering here, not only in the spec, matters: PyInstaller
# follows the library dependencies of every collected plugin, so a plugin dropped later would still have brought in
# GTK, Wayland, EGL or Kerberos libraries.
import os
import runpy

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_filter = runpy.run_path(os.path.join(os.path.dirname(__file__), os.pardir, "bundle_filter.py"))
hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = _filter["filter_hook_files"](binaries)
datas = _filter["filter_hook_files"](datas)
