"""Which collected files the app folder keeps: build.spec passes every binary and data file through `keep(dest)`.

PyInstaller's PySide6 hooks collect every plugin and all 300+ translations of the Qt modules in use, and their
libraries: Wayland, EGL, network/TLS, input devices, the software OpenGL renderer. A widgets app needs none of
them. Rules work on both wheel layouts: PySide6/Qt/plugins/... (Linux, macOS) and PySide6/plugins/... (Windows).

Loaded by path (the folder's name clashes with the PyPI `packaging` library): runpy.run_path or importlib.
"""

from __future__ import annotations

import fnmatch
import os

# Whole plugin groups the app never loads.
DROP_PLUGIN_GROUPS = frozenset({
    "egldeviceintegrations", "generic", "networkinformation", "tls", "position", "sensors", "sqldrivers",
    "multimedia", "qmltooling", "qmllint", "scenegraph", "canbus", "virtualkeyboard", "renderers", "assetimporters",
    "geometryloaders", "sceneparsers", "webview", "designer", "texttospeech", "vectorimageformats",
})
DROP_PLUGIN_GROUP_PATTERNS = ("wayland-*",)
# Single plugins: platforms other than the native one and offscreen (the headless smoke tests use offscreen),
# the GTK theme (pulls in GTK), the virtual keyboard (pulls in Qt Quick/QML), the PDF image plugin (QtPdf).
DROP_PLUGINS = ("platforms/*eglfs*", "platforms/*linuxfb*", "platforms/*minimal*", "platforms/*vnc*",
                "platforms/*vkkhrdisplay*", "platforms/*wayland*", "platforms/*direct2d*", "platforms/*webgl*",
                "platformthemes/*gtk3*", "platforminputcontexts/*virtualkeyboard*", "imageformats/*pdf*",
                "imageformats/*icns*", "imageformats/*tga*", "imageformats/*wbmp*")
# Qt libraries needed only by what is dropped above, and Windows' software OpenGL / shader compiler (widgets paint
# with the raster engine).
DROP_LIBRARIES = ("*qt6quick*", "*qt6qml*", "*qt6virtualkeyboard*", "*qt6pdf*", "*qt6wayland*", "*qt6wlshell*",
                  "*qt6eglfs*", "*qt6network*", "opengl32sw.dll", "d3dcompiler_*.dll")
KEEP_TRANSLATIONS = ("qt_zh_CN.qm", "qtbase_zh_CN.qm")  # Chinese buttons and standard dialogs


def keep(dest: str) -> bool:
    """False for a collected file (its path inside the bundle) the app does not need."""
    parts = dest.replace("\\", "/").split("/")
    name = parts[-1]
    if parts[0].lower() != "pyside6":
        return not _matches(name.lower(), DROP_LIBRARIES)
    lowered = [p.lower() for p in parts]
    if "translations" in lowered[:-1]:
        return name in KEEP_TRANSLATIONS
    if "plugins" in lowered[:-1]:
        return _keep_plugin(lowered[lowered.index("plugins") + 1:])
    return not _matches(name.lower(), DROP_LIBRARIES)


def _keep_plugin(rest: list[str]) -> bool:
    if len(rest) < 2:
        return True
    group = rest[0]
    if group in DROP_PLUGIN_GROUPS or _matches(group, DROP_PLUGIN_GROUP_PATTERNS):
        return False
    return not _matches("/".join(rest), DROP_PLUGINS)


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def filter_toc(toc):
    """A TOC (list of (dest, source, typecode)) without the files `keep` refuses."""
    return [entry for entry in toc if keep(entry[0])]


def filter_hook_files(files):
    """A hook's (source, destination folder) list without the files `keep` refuses."""
    return [(source, folder) for source, folder in files if keep(f"{folder}/{os.path.basename(source)}")]
