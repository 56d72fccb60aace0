"""The Windows build's configuration, checked without building: build.spec run against recording stand-ins for
PyInstaller's classes, the file filter on both PySide6 layouts, the Qt hooks on the installed PySide6, and the
Windows version resource. (The real build and its self-check run in CI: packaging/build.sh.)"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from version import VERSION

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
bundle_filter = runpy.run_path(str(PACKAGING / "bundle_filter.py"))
version_info = runpy.run_path(str(PACKAGING / "version_info.py"))
keep = bundle_filter["keep"]


# --- which collected files the folder keeps ----------------------------------------------------------------------

@pytest.mark.parametrize("dest", [
    # Linux / macOS wheel layout
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",  # typing Chinese on Linux
    "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm", "PySide6/Qt/translations/qt_zh_CN.qm",
    # Windows wheel layout
    "PySide6/Qt6Core.dll", "PySide6/Qt6Gui.dll", "PySide6/QtWidgets.pyd", "PySide6/msvcp140.dll",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/plugins/imageformats/qico.dll", "PySide6\\plugins\\imageformats\\qgif.dll",
    "PySide6/translations/qtbase_zh_CN.qm",
    # everything else
    "libcrypto.so.3", "python311.dll", "criteria/data/work_plan.yaml", "ui/resources/app.ico",
    "docx/templates/default.docx",
])
def test_the_folder_keeps_what_the_app_uses(dest):
    assert keep(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qt_help_zh_CN.qm",
    "PySide6/translations/qt_ja.qm",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platforms/libqminimal.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so", "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/opengl32sw.dll", "PySide6/d3dcompiler_47.dll", "PySide6/Qt6Quick.dll", "PySide6/Qt6Network.dll",
    "PySide6/Qt6VirtualKeyboard.dll", "PySide6/plugins/platforms/qdirect2d.dll",
    "PySide6/plugins/tls/qschannelbackend.dll", "PySide6/plugins/vectorimageformats/qlottievectorimage.dll",
    "PySide6/plugins/sqldrivers/qsqlite.dll", "opengl32sw.dll",
])
def test_the_folder_drops_what_the_app_never_loads(dest):
    assert not keep(dest)


def test_filters_work_on_spec_tocs_and_hook_lists():
    toc = [("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
           ("PySide6/Qt/plugins/platforms/libqwayland.so", "/src/libqwayland.so", "BINARY")]
    assert bundle_filter["filter_toc"](toc) == toc[:1]
    hook = [("/site/PySide6/Qt/translations/qtbase_zh_CN.qm", "PySide6/Qt/translations"),
            ("/site/PySide6/Qt/translations/qtbase_fr.qm", "PySide6/Qt/translations")]
    assert bundle_filter["filter_hook_files"](hook) == hook[:1]


def test_the_qt_hooks_skip_unused_plugins_before_pyinstaller_follows_their_libraries():
    pytest.importorskip("PyInstaller")
    gui = runpy.run_path(str(PACKAGING / "hooks" / "hook-PySide6.QtGui.py"))
    plugins = {f"{folder}/{Path(source).name}" for source, folder in gui["binaries"]}
    native = {"linux": "platforms/libqxcb.so", "win32": "platforms/qwindows.dll", "darwin": "platforms/libqcocoa.dylib"}
    assert any(p.endswith(native[sys.platform if sys.platform != "linux2" else "linux"]) for p in plugins)
    assert plugins and all(keep(p) for p in plugins)
    assert not any(word in p for p in plugins for word in ("wayland", "eglfs", "gtk3", "vnc", "evdev"))
    core = runpy.run_path(str(PACKAGING / "hooks" / "hook-PySide6.QtCore.py"))
    translations = sorted(Path(source).name for source, _ in core["datas"])
    assert translations and set(translations) <= {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}


# --- build.spec, run against stand-ins for PyInstaller's build classes -------------------------------------------

MADE: list = []  # every stand-in object the spec created, in order


class _Recorder:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        MADE.append(self)


class Analysis(_Recorder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pure, self.scripts, self.datas = [], [], [("criteria/data/work_plan.yaml", "x", "DATA")]
        self.binaries = [("PySide6/Qt/plugins/platforms/libqxcb.so", "x", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqwayland.so", "x", "BINARY"),
                         ("PySide6/opengl32sw.dll", "x", "BINARY")]


def _run_spec(tmp_path: Path, platform: str) -> dict:
    MADE.clear()
    names = {"Analysis": Analysis, "PYZ": type("PYZ", (_Recorder,), {}), "EXE": type("EXE", (_Recorder,), {}),
             "COLLECT": type("COLLECT", (_Recorder,), {}), "SPECPATH": str(ROOT), "workpath": str(tmp_path)}
    real = sys.platform
    sys.platform = platform  # the spec decides Windows-only parts from sys.platform
    try:
        return runpy.run_path(str(ROOT / "build.spec"), init_globals=names)
    finally:
        sys.platform = real


def _made(kind: str) -> list:
    return [r for r in MADE if type(r).__name__ == kind]


def test_spec_on_windows_makes_a_windowed_app_and_a_console_twin(tmp_path):
    _run_spec(tmp_path, "win32")
    gui, cli = _made("EXE")
    assert gui.kwargs["name"] == "ReviewReady" and gui.kwargs["console"] is False
    assert cli.kwargs["name"] == "ReviewReady-cli" and cli.kwargs["console"] is True
    for exe in (gui, cli):
        assert exe.kwargs["exclude_binaries"] is True  # one folder, not one file
        assert Path(exe.kwargs["icon"]).suffix == ".ico" and Path(exe.kwargs["icon"]).is_file()
        assert exe.kwargs["strip"] is False and exe.kwargs["upx"] is False
        text = Path(exe.kwargs["version"]).read_text(encoding="utf-8")
        assert f"'{exe.kwargs['name']}.exe'" in text
    (collect,) = _made("COLLECT")
    assert collect.kwargs["name"] == "ReviewReady" and collect.args[:2] == (gui, cli)


def test_spec_elsewhere_makes_one_stripped_executable(tmp_path):
    _run_spec(tmp_path, "linux")
    (exe,) = _made("EXE")
    assert exe.kwargs["name"] == "ReviewReady" and exe.kwargs["strip"] is True


def test_spec_collects_the_data_files_and_excludes_unused_qt(tmp_path):
    _run_spec(tmp_path, "linux")
    (analysis,) = _made("Analysis")
    assert analysis.args[0] == [str(ROOT / "main.py")]
    datas = dict((dest, source) for source, dest in analysis.kwargs["datas"])
    assert set(datas) >= {"criteria/data", "ui/resources"}
    assert all(Path(source).is_dir() for source in datas.values())
    assert (Path(datas["criteria/data"]) / "work_plan.yaml").is_file()
    excludes = set(analysis.kwargs["excludes"])
    for module in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtQuick",
                   "PySide6.QtQml", "PySide6.QtPdf", "PySide6.QtCharts", "tkinter", "numpy", "tests", "bench"):
        assert module in excludes
    assert Path(analysis.kwargs["hookspath"][0]) == PACKAGING / "hooks"
    # the spec passes what Analysis collected through the filter
    assert [dest for dest, _, _ in analysis.binaries] == ["PySide6/Qt/plugins/platforms/libqxcb.so"]


# --- the Windows version resource --------------------------------------------------------------------------------

def _parse_version_info(text: str) -> dict:
    """Evaluate the text the way PyInstaller does (eval), with stand-ins that keep the structure as dicts."""
    def node(kind):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = {kind: node(kind) for kind in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
                                           "StringStruct", "VarFileInfo", "VarStruct")}
    return eval(text, names)  # the same trust PyInstaller gives it: we wrote it


def test_version_resource_matches_version_py():
    info = _parse_version_info(version_info["version_info_text"](version_info["read_version"](), "ReviewReady"))
    numbers = version_info["version_tuple"](VERSION)
    assert info["ffi"]["filevers"] == info["ffi"]["prodvers"] == numbers
    assert all(isinstance(n, int) and 0 <= n <= 0xFFFF for n in numbers) and len(numbers) == 4
    table = info["kids"][0]["args"][0][0]
    assert table["args"][0] == "080404B0"  # Chinese (PRC), Unicode
    strings = dict(s["args"] for s in table["args"][1])
    assert strings["FileVersion"] == strings["ProductVersion"] == VERSION
    assert strings["OriginalFilename"] == "ReviewReady.exe" and "迎检通" in strings["ProductName"]


@pytest.mark.parametrize("version, expected", [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)),
                                                ("0.2.0rc1", (0, 2, 0, 0)), ("2.0.0.dev3", (2, 0, 0, 0)),
                                                ("1.2.3.4.5", (1, 2, 3, 4))])
def test_version_numbers_for_windows(version, expected):
    assert version_info["version_tuple"](version) == expected


def test_a_version_without_numbers_stops_the_build():
    with pytest.raises(SystemExit, match="无法从版本号生成"):
        version_info["version_tuple"]("dev")
