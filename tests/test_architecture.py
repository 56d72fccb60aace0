"""The floor plan holds: the import-linter contracts (pyproject.toml) are kept, they cover every package, the
picture in ARCHITECTURE.md shows the same floors, and every error a user may see comes from the one root."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.api import read_configuration

from common.errors import ReviewReadyError

ROOT = Path(__file__).resolve().parent.parent
NOT_LAYERED = {"tests", "bench", "packaging"}  # beside the app: tests, benchmarks and the build, not part of it
# Exceptions that never leave the code that raises them: caught where they arise, their message noted in the
# dossier (ImageProblem, AttachmentError), a loop stopped (_Stopped), a small reader giving way to the full parse
# (Unsure, Short, _Unsure, NotPlain, UnknownHeader) or a stage copy left out (CopyMismatch). Cancelled is not an
# error.
NOT_SHOWN = {"exporters.images.ImageProblem", "exporters.pdf_merge.AttachmentError",
             "archive.monitor.polling._Stopped", "common.errors.Cancelled",
             "archive.index.pdfsyntax.Unsure", "archive.index.pdfsyntax.Short", "archive.index.officezip._Unsure",
             "archive.metadata.pdfmeta.NotPlain", "archive.metadata.imagehead.UnknownHeader",
             "stages.copystore.CopyMismatch"}


def contracts() -> dict[str, dict]:
    config = read_configuration(str(ROOT / "pyproject.toml"))
    return {options["id"]: options for options in config["contracts_options"]}


def root_packages() -> list[str]:
    return read_configuration(str(ROOT / "pyproject.toml"))["session_options"]["root_packages"]


def floors_of(layers: list[str]) -> list[set[str]]:
    """Contract layers, top first, as sets of siblings: "ui | cli" -> {"ui", "cli"}."""
    return [{name.strip() for name in re.split(r"[|:]", layer)} for layer in layers]


def drawn_floors(marker: str) -> list[set[str]]:
    """The floors of a picture in ARCHITECTURE.md between <!-- marker --> and <!-- /marker -->, top first: every
    line naming folders ("ui/") or modules ("app.py") is one floor, the names on it side by side. main.py stands
    on top of everything but is a module, not a package: import-linter cannot layer it, so it is not compared."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- {marker} -->(.*?)<!-- /{marker} -->", text, re.S)
    assert block, f"ARCHITECTURE.md has no picture marked <!-- {marker} -->"
    floors = []
    for line in block.group(1).splitlines():
        names = {name for name in re.findall(r"\b(\w+)(?:/|\.py\b)", line) if name != "main"}
        if names:
            floors.append(names)
    return floors


def test_the_import_contracts_are_kept():
    """What CI runs (.ci/run): a broken contract names the import that runs up, with its line."""
    done = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
                           "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_package_of_the_app_stands_on_a_floor():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_LAYERED
    on_floors = set().union(*floors_of(contracts()["floors"]["layers"]))
    assert packages == set(root_packages()) == on_floors


def test_only_ui_may_import_qt():
    qt = contracts()["qt"]
    assert set(qt["source_modules"]) == set(root_packages()) - {"ui"}
    assert qt["forbidden_modules"] == ["PySide6"]
    assert qt.get("ignore_imports", []) == ["cli.selfcheck -> PySide6"]  # the self-check proves that Qt loads


def test_the_picture_in_architecture_md_shows_the_contracted_floors():
    assert drawn_floors("floors") == floors_of(contracts()["floors"]["layers"])
    assert drawn_floors("ui-rooms") == floors_of(contracts()["ui-rooms"]["layers"])


def _our_exception_classes() -> list[type]:
    found = {}
    for package in root_packages():
        if package == "ui":
            continue  # Qt code: it raises nothing of its own
        module = importlib.import_module(package)
        names = [package] + [info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")]
        for name in names:
            for _, obj in inspect.getmembers(importlib.import_module(name), inspect.isclass):
                if issubclass(obj, BaseException) and obj.__module__.split(".")[0] == package:
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.items())


ERRORS = _our_exception_classes()


def test_the_exceptions_kept_out_of_the_root_still_exist():
    assert {name for name, _ in ERRORS} >= NOT_SHOWN


@pytest.mark.parametrize("name, error", [pytest.param(n, e, id=n) for n, e in ERRORS if n not in NOT_SHOWN])
def test_every_error_a_user_may_see_comes_from_the_one_root(name, error):
    assert issubclass(error, ReviewReadyError), f"{name} must derive from common.errors.ReviewReadyError"
