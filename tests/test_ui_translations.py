"""Qt's own dialogs speak Chinese (issue 16): qtbase_zh_CN from the PySide6 package, and our own Chinese for the
labels that file lacks ("&Look in:", "Files of &type:" of Qt's file dialog)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from ui.app import install_translations


@pytest.fixture
def chinese(qapp):
    install_translations(qapp)
    yield qapp
    for translator in qapp._translators:
        QApplication.removeTranslator(translator)
    qapp._translators = []


def test_qt_translation_and_the_gaps_are_chinese(chinese, qtbot):
    assert len(chinese._translators) >= 2  # qtbase_zh_CN found in the package, and the gap filler
    assert QCoreApplication.translate("QFileDialog", "Detail View") == "详情视图"  # Qt's own file
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&I)："
    assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert QCoreApplication.translate("QFileDialog", "an unknown text") == "an unknown text"  # falls through
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == "查找范围(&I)："
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == "文件类型(&T)："


def test_the_file_dialogs_type_column_is_chinese(chinese, tmp_path):
    """What the detail view of Qt's file dialog says of a folder: "Folder" stayed English."""
    from PySide6.QtCore import QFileInfo
    from PySide6.QtWidgets import QFileIconProvider

    (tmp_path / "材料").mkdir()
    assert QFileIconProvider().type(QFileInfo(str(tmp_path / "材料"))) == "文件夹"
    # (a file's type is the system's description of its kind, in the system's language)
