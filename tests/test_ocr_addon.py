"""The OCR add-on folder beside the app's executable (packaging/ocr_addon.spec): found at start, put last on the
import path only when it was built for this Python, and named in the message when it is missing. The folder
itself is built and run inside the frozen app by packaging/build_ocr.sh."""

from __future__ import annotations

import importlib
import sys

import pytest

from common import app_paths
from search import ocr

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture
def addon(tmp_path, monkeypatch):
    folder = tmp_path / "程序" / "ocr"
    folder.mkdir(parents=True)
    (folder / "rr_fake_ocr_engine.py").write_text("ENGINE = 'from the add-on'\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", list(sys.path))  # restored after the test
    monkeypatch.delitem(sys.modules, "rr_fake_ocr_engine", raising=False)
    return folder


def test_a_matching_addon_goes_last_on_the_import_path(addon, monkeypatch):
    (addon / app_paths.OCR_ADDON_STAMP).write_text(VERSION + "\n", encoding="utf-8")
    monkeypatch.setenv("REVIEWREADY_OCR_DIR", str(addon))
    assert app_paths.use_ocr_addon() is True
    assert sys.path[-1] == str(addon)
    assert importlib.import_module("rr_fake_ocr_engine").ENGINE == "from the add-on"
    assert app_paths.use_ocr_addon() is False and sys.path.count(str(addon)) == 1  # once


@pytest.mark.parametrize("stamp", ["3.7", None])
def test_an_addon_for_another_python_or_without_a_stamp_is_left_alone(addon, monkeypatch, stamp):
    if stamp:
        (addon / app_paths.OCR_ADDON_STAMP).write_text(stamp, encoding="utf-8")
    monkeypatch.setenv("REVIEWREADY_OCR_DIR", str(addon))
    assert app_paths.use_ocr_addon() is False
    assert str(addon) not in sys.path


def test_the_frozen_app_looks_beside_its_executable(addon, monkeypatch):
    (addon / app_paths.OCR_ADDON_STAMP).write_text(VERSION, encoding="utf-8")
    monkeypatch.delenv("REVIEWREADY_OCR_DIR", raising=False)
    assert app_paths.use_ocr_addon() is False  # from source: pip installs OCR, no folder is looked for
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(addon.parent / "ReviewReady.exe"))
    assert app_paths.ocr_addon_dir() == addon
    assert app_paths.use_ocr_addon() is True and sys.path[-1] == str(addon)


def test_the_message_says_where_ocr_comes_from(monkeypatch):
    assert "requirements-ocr.txt" in ocr.missing_message()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert "ocr 文件夹" in ocr.missing_message() and "ReviewReady.exe" in ocr.missing_message()
