"""LibreOffice is started with a UTF-8 locale, whatever the app was given (issue 13): under LC_ALL=C it hangs on a
non-ASCII temp path and the Office files would only be listed. Every place that starts it is checked with a fake
converter that records its environment; the real one converts under LC_ALL=C where it is installed."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import docx
import pytest

from common.child_env import is_utf8_locale, utf8_env
from common.progress import ProgressReporter
from criteria.importers.office import converted_copy
from exporters import office_run
from exporters.office import Converter

NOT_POSIX = pytest.mark.skipif(sys.platform == "win32", reason="a fake soffice script needs a POSIX shebang")


@pytest.mark.parametrize(("env", "utf8"), [
    ({"LC_ALL": "C"}, False),
    ({}, False),
    ({"LANG": "POSIX"}, False),
    ({"LANG": "zh_CN.GB18030"}, False),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, False),  # LC_ALL wins
    ({"LC_CTYPE": "C.UTF-8", "LANG": "C"}, True),
    ({"LANG": "zh_CN.utf8"}, True),
    ({"LANG": "en_US.UTF-8@euro"}, True),
    ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, True),  # an empty variable counts as unset
])
def test_which_locales_are_utf8(env, utf8):
    assert is_utf8_locale(env) is utf8


def test_a_utf8_locale_is_set_only_where_missing_and_never_on_windows():
    assert utf8_env({"LC_ALL": "C", "PATH": "/bin"}, "linux") == {"LC_ALL": "C.UTF-8", "PATH": "/bin"}
    assert utf8_env({"LANG": "zh_CN.GB18030"}, "linux")["LC_ALL"] == "C.UTF-8"
    assert utf8_env({"LANG": "zh_CN.UTF-8"}, "linux") == {"LANG": "zh_CN.UTF-8"}
    assert utf8_env({"LC_ALL": "C"}, "win32") == {"LC_ALL": "C"}
    base = {"LC_ALL": "C"}
    utf8_env(base, "linux")
    assert base == {"LC_ALL": "C"}  # a copy: the app's own environment is left alone


def _recording_soffice(folder: Path) -> tuple[Path, Path]:
    """A stand-in LibreOffice that writes an output for each input (a PDF, or the --convert-to type) and records
    the locale it was started with."""
    log = folder / "env.jsonl"
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        "args = sys.argv[1:]\nkind = args[args.index('--convert-to') + 1]\nout = args[args.index('--outdir') + 1]\n"
        "os.makedirs(out, exist_ok=True)\n"
        "for path in args[args.index('--outdir') + 2:]:\n"
        "    stem = os.path.splitext(os.path.basename(path))[0]\n"
        "    open(os.path.join(out, stem + '.' + kind), 'wb').write(b'%PDF-1.4 converted')\n"
        f"with open({str(log)!r}, 'a') as handle:\n"
        "    handle.write(json.dumps({k: os.environ.get(k) for k in ('LC_ALL', 'LANG')}) + '\\n')\n",
        encoding="utf-8")
    script.chmod(0o755)
    return script, log


def _calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@NOT_POSIX
@pytest.mark.parametrize(("locale", "expected"), [("C", "C.UTF-8"), ("zh_CN.UTF-8", "zh_CN.UTF-8")])
def test_the_dossier_converter_runs_with_a_utf8_locale(tmp_path, monkeypatch, locale, expected):
    script, log = _recording_soffice(tmp_path)
    source = tmp_path / "方案.docx"
    source.write_bytes(b"not really a document")
    monkeypatch.setenv("LC_ALL", locale)
    workdir = tmp_path / "临时 文件夹"
    converted, failed = office_run.convert(Converter("LibreOffice", str(script)), [("k", str(source))], str(workdir),
                                           ProgressReporter(), 0.0, 1.0)
    assert set(converted) == {"k"} and not failed
    assert [call["LC_ALL"] for call in _calls(log)] == [expected]


@NOT_POSIX
def test_the_criteria_importer_runs_libreoffice_with_a_utf8_locale(tmp_path, monkeypatch):
    _script, log = _recording_soffice(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("LC_ALL", "C")
    source = tmp_path / "评价细则.doc"
    source.write_bytes(b"an old Word file")
    with converted_copy(source, ".docx") as copy:
        assert copy.read_bytes() == b"%PDF-1.4 converted"
    assert [call["LC_ALL"] for call in _calls(log)] == ["C.UTF-8"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(sys.platform == "win32", reason="LC_ALL does not reach Windows programs")
def test_real_libreoffice_converts_under_lc_all_c_in_a_chinese_temp_path(tmp_path, monkeypatch):
    document = docx.Document()
    document.add_paragraph("区域内食品安全工作方案")
    source = tmp_path / "实施方案.docx"
    document.save(source)
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setattr(office_run, "START_SECONDS", 90)  # a first start builds a profile; the machine is shared
    workdir = tmp_path / "临时 文件夹"
    converted, failed = office_run.convert(Converter("LibreOffice", shutil.which("soffice")), [("k", str(source))],
                                           str(workdir), ProgressReporter(), 0.0, 1.0)
    assert not failed and set(converted) == {"k"}
    from pypdf import PdfReader

    assert "食品安全工作方案" in PdfReader(converted["k"]).pages[0].extract_text()
