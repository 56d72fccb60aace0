"""app_paths: data files found from source and inside the bundle (sys._MEIPASS), per-user folders under %APPDATA%."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import platformdirs.windows
import pytest

from common import app_paths
from criteria.resources import data_dir
from criteria.template import load_template

ROOT = Path(__file__).resolve().parent.parent


def test_from_source_resources_are_found_in_the_repository():
    assert not app_paths.is_frozen()
    assert app_paths.resource_path("criteria", "data") == ROOT / "criteria" / "data"
    assert data_dir() == ROOT / "criteria" / "data"
    assert (app_paths.resource_path("ui", "resources") / "app.ico").is_file()  # the icon build.spec embeds


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    """What the PyInstaller bootloader sets up: sys.frozen, and sys._MEIPASS = the unpacked _internal folder."""
    bundle = tmp_path / "ReviewReady" / "_internal"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_frozen_resources_are_found_in_the_bundle(frozen):
    assert app_paths.is_frozen()
    assert app_paths.bundle_root() == frozen
    assert app_paths.resource_path("ui", "resources", "app.ico") == frozen / "ui" / "resources" / "app.ico"
    assert data_dir() == frozen / "criteria" / "data"


def test_frozen_app_loads_the_template_from_the_bundle(frozen):
    shutil.copytree(ROOT / "criteria" / "data", frozen / "criteria" / "data")
    template = frozen / "criteria" / "data" / "work_plan.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("工作方案模板", "打包模板", 1), encoding="utf-8")
    assert "打包模板" in load_template("work-plan").title


def test_frozen_without_the_data_folder_fails_naming_the_missing_file(frozen):
    """A bundle built without the datas entry: self-check reports this path (it is not read from the repo)."""
    with pytest.raises(FileNotFoundError) as caught:
        load_template("work-plan")
    assert caught.value.filename == str(frozen / "criteria" / "data" / "work_plan.yaml")


def test_user_folders_follow_the_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWREADY_DATA_DIR", str(tmp_path / "数据"))
    monkeypatch.setenv("REVIEWREADY_CONFIG_DIR", str(tmp_path / "设置"))
    assert app_paths.user_data_dir() == tmp_path / "数据"
    assert app_paths.user_config_dir() == tmp_path / "设置"


def test_on_windows_user_folders_are_under_roaming_appdata(monkeypatch):
    """%APPDATA%\\ReviewReady (roaming: follows the clerk to another desk), not platformdirs' default LOCALAPPDATA."""
    roaming, local = "C:\\Users\\张三\\AppData\\Roaming", "C:\\Users\\张三\\AppData\\Local"
    folders = {"CSIDL_APPDATA": roaming, "CSIDL_LOCAL_APPDATA": local}
    monkeypatch.delenv("REVIEWREADY_DATA_DIR", raising=False)
    monkeypatch.delenv("REVIEWREADY_CONFIG_DIR", raising=False)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(app_paths.platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    for folder in (app_paths.user_data_dir(), app_paths.user_config_dir()):
        text = str(folder).replace("/", "\\")
        assert text == roaming + "\\ReviewReady"
