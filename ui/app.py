"""Start the desktop app: `python main.py [ARCHIVE | --demo]`.

Sets up what every window relies on: Qt's own Chinese translations (standard dialogs and buttons), the app icon,
Qt 6's high-DPI behaviour (on by default; fractional scale factors passed through), a log file for support,
and a last-resort handler so an unexpected error shows a message instead of silently killing the app.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.common.icons import app_icon
from ui.common.settings import APP_NAME, Settings, data_dir

log = logging.getLogger(__name__)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", add_help=False)
    parser.add_argument("archive", nargs="?", metavar="ARCHIVE")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--no-monitor", action="store_true")  # support and benchmarks: open without watching
    return parser.parse_known_args(argv)[0]


# Qt's own file dialog (Linux, and wherever the native one is off) asks for strings its zh_CN file lacks: that file
# holds "Look in:" and "Files of type:" without the "&" the dialog uses, so they stayed English
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&I)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "File name:"): "文件名称：",
    ("QFileDialog", "Cancel"): "取消",
    ("QPlatformTheme", "Cancel"): "取消",
    # the 类型 column of its detail view: Qt 6 asks under QAbstractFileIconProvider, which the file has not
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
}


class GapTranslator(QTranslator):
    """Our Chinese for the few strings Qt's translation lacks, else Qt's own, else the source text. (A Python
    translator cannot return Qt's "no translation" null string, so it asks Qt's translators itself.)"""

    def __init__(self, fallbacks: list[QTranslator], parent=None):
        super().__init__(parent)
        self.fallbacks = fallbacks

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        if (context, source) in QT_GAPS:
            return QT_GAPS[context, source]
        for translator in self.fallbacks:
            if text := translator.translate(context, source, disambiguation, n):
                return text
        return source

    def isEmpty(self) -> bool:
        return False


def install_translations(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app._translators = []  # keep them alive as long as the app
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            app._translators.append(translator)
    gaps = GapTranslator(list(app._translators), app)  # installed last: asked first
    app.installTranslator(gaps)
    app._translators.append(gaps)


def setup_logging() -> None:
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=str(folder / "reviewready.log"), level=logging.WARNING, encoding="utf-8",
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.WARNING)


def _unexpected(kind, value, trace) -> None:
    """Slots run inside Qt's event loop: an exception there must be logged and shown, not end the app."""
    text = "".join(traceback.format_exception(kind, value, trace))
    log.error("未处理的错误：%s", text)
    if sys.stderr is not None:
        sys.stderr.write(text)
    if QApplication.instance() is not None:
        log_file = data_dir() / "reviewready.log"
        QMessageBox.critical(None, "出错了", f"程序遇到意外错误：{value}\n\n详情已记录在日志中：{log_file}")


def create_application(argv: list[str]) -> QApplication:
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "reviewready", *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("迎检通")
    app.setWindowIcon(app_icon())
    install_translations(app)
    return app


def run_app(argv: list[str]) -> int:
    setup_logging()
    app = create_application(argv)
    args = parse_arguments(app.arguments()[1:])  # Qt has taken its own options (-style, -platform …) out
    sys.excepthook = _unexpected
    from ui.window.main_window import MainWindow  # after QApplication: widgets need it

    settings = Settings()
    window = MainWindow(settings, monitor=not args.no_monitor)
    if window.opens_maximized:
        window.showMaximized()
    else:
        window.show()
    QTimer.singleShot(0, lambda: open_at_start(window, settings, args))
    return app.exec()


def open_at_start(window, settings: Settings, args: argparse.Namespace) -> None:
    """What the window shows first: the archive named on the command line; the demo when asked for, or for a
    newcomer (a living archive at once, not an empty start screen); else the archive left open when the app last
    quit, as a clerk who works in one archive every day expects (its catch-up scan starts at once); else the start
    screen."""
    if args.demo or not (args.archive or settings.recent()):
        window.open_demo(ask=False)  # asked for, or nothing to lose
    elif args.archive:
        window.open_archive(args.archive)
    elif left := settings.left_open():
        window.open_archive(left)
