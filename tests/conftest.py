"""Shared fixtures: real archives on disk and real evidence trees with Chinese names and nesting."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import shutil
import stat
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt: no display in CI

import pytest
from hypothesis import HealthCheck, settings

from archive.catalogue import store_catalogue
from archive.db import create_archive
from criteria.model import Catalogue, Criterion

SYSTEM_TEMP = tempfile.gettempdir()  # read before the session points TMPDIR into pytest's own folder

# Hypothesis's two clocks off for every property test (a test's own @settings inherits this profile): its 200 ms
# deadline per example and its too-slow health check time the machine, not the code, and a CI machine stalled for a
# moment (measured: a 0.3 s pause of the process) failed test_any_grid_gives_a_valid_catalogue_or_a_catalogue_error
# with "Unreliable test timings". Speed is measured in bench/, never by a test.
settings.register_profile("reviewready", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("reviewready")


@pytest.fixture(scope="session", autouse=True)
def private_temp_and_user_folders(tmp_path_factory):
    """Temp files, per-user data and settings of every test, and of every process a test starts, go under pytest's
    base temp folder: no test reads the real user's settings or recent archives or writes the real log, and none
    leaves files in the system temp folder (an export killed by a fault test cannot remove its working folder)."""
    # ASCII names, as a temp folder's usually are: LibreOffice started under LC_ALL=C cannot open a non-ASCII path.
    base = tmp_path_factory.mktemp("session")
    patch = pytest.MonkeyPatch()
    for variable, name in (("TMPDIR", "tmp"), ("REVIEWREADY_DATA_DIR", "data"), ("REVIEWREADY_CONFIG_DIR", "config"),
                           ("XDG_DOCUMENTS_DIR", "documents")):  # the Documents folder a task package may go to
        (base / name).mkdir()
        patch.setenv(variable, str(base / name))
    patch.setattr(tempfile, "tempdir", None)  # tempfile keeps the folder it found first: make it read TMPDIR again
    yield
    patch.undo()


def pytest_collection_modifyitems(config, items):
    """Tests marked cjk_font make PDFs with Chinese text. Where no CJK font is installed they are skipped, saying
    what to install, instead of failing for the machine's sake. Not in CI, which installs one: there, a font that
    is not found is a failure."""
    needing = [item for item in items if item.get_closest_marker("cjk_font")]
    reason = needing and not os.environ.get("CI") and _missing_cjk_font()
    for item in needing if reason else ():
        item.add_marker(pytest.mark.skip(reason=reason))


def _missing_cjk_font() -> str | None:
    from common.errors import UserError
    from exporters.fonts import find_fonts

    try:
        find_fonts()
    except UserError as exc:
        return f"no CJK font for PDFs on this machine: {exc}"
    return None


def make_pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


MINIMAL_PDF = make_pdf(2)


def small_catalogue() -> Catalogue:
    rows = [
        Criterion("1", "组织领导", None, 1, "一、"),
        Criterion("1.1", "成立创建工作领导小组", "1", 2, "（一）", points=5, method="资料审查", units=["县食安办"]),
        Criterion("1.2", "制定创建工作方案", "1", 2, "（二）", points=5, method="资料审查", units=["县食安办"]),
        Criterion("2", "防范风险隐患", None, 1, "二、"),
        Criterion("2.1", "农药兽药残留治理提升行动", "2", 2, "（一）", points=10, units=["县农业农村局"]),
        Criterion("2.1.1", "农残快检台账", "2.1", 3, "1.", points=4, units=["县农业农村局", "县市场监管局"]),
        Criterion("2.2", "校园食品安全示范提升行动", "2", 2, "（二）", points=10, units=["县教育局"]),
    ]
    return Catalogue("测试目录", rows, source="test")


@pytest.fixture
def archive(tmp_path):
    arc = create_archive(tmp_path / "测试档案.rrdb", "某某县")
    store_catalogue(arc, small_catalogue())
    yield arc
    arc.close()


@pytest.fixture
def evidence(tmp_path) -> Path:
    """A department's evidence tree: nested Chinese folders, a PDF, office-like files and junk."""
    root = tmp_path / "证明材料"
    files = {
        "1.1 领导小组/关于成立创建工作领导小组的通知.pdf": MINIMAL_PDF,
        "1.1 领导小组/会议纪要/2024年第一次会议纪要.txt": "会议纪要内容".encode(),
        "1.2 工作方案/创建工作方案.txt": "工作方案正文".encode(),
        "2.1 农残治理/1. 快检台账/台账一月.csv": "日期,样品\n2024-01-02,青菜\n".encode(),
        "2.1 农残治理/1. 快检台账/~$台账一月.csv": b"lock",
        "2.1 农残治理/Thumbs.db": b"junk",
        "2.1 农残治理/.hidden.txt": b"hidden",
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root



def run_cli(capsys, *args, code: int = 0) -> str:
    """The command line run in-process (cli.run, main.py's parser and handlers) with `args`: its exit code must be
    `code`; its output (stdout, or stderr when it fails), never a traceback."""
    from cli.run import run  # late: most tests never touch the command line

    assert run([str(a) for a in args]) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return out if code == 0 else err

def mount_point(path) -> str:
    """`path` as /proc/mounts writes a mount point: space, tab, newline and backslash as octal escapes (\\040...).
    Written plainly, a temp folder with a space in its name (a Windows user's "张 三") split the line's fields."""
    return "".join(f"\\{ord(ch):03o}" if ch in " \t\n\\" else ch for ch in str(path))


def tree_snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every path under root (folders too) with its content hash and mtime: proof nothing was written there."""
    snap = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if path.is_file():
                snap[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
            else:
                snap[rel] = ("dir", 0)
    return snap


NOBODY = 65534
LAZY_IMPORTS = ("pypdf.filters",)  # pypdf imports it on the first PdfReader


@pytest.fixture
def as_nobody():
    """A context manager that runs its block as the effective user 'nobody' (as root nothing is unreadable); root
    keeps its saved uid, so the test gets its privileges back afterwards. Skips unless run as root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user")

    class Switch:
        def __enter__(self):
            # Python and its packages may sit where 'nobody' cannot read (pyenv under /root): what the code imports
            # lazily is imported now, or the test would pass only after another test had imported it.
            for module in LAZY_IMPORTS:
                importlib.import_module(module)
            os.setegid(NOBODY)
            os.seteuid(NOBODY)

        def __exit__(self, *exc):
            os.seteuid(0)
            os.setegid(0)

    return Switch()


def _open_to_others(folder: Path) -> bool:
    return all(part.stat().st_mode & stat.S_IXOTH for part in (folder, *folder.parents))


@pytest.fixture
def shared_tmp(monkeypatch):
    """A new folder that the user 'nobody' can reach, which tmp_path is not (pytest's folders are private): under
    the system temp folder, or /tmp or /var/tmp where that one is private too. Its tmp is the temp folder meanwhile
    (page-counting workers need one that 'nobody' can write). Removed afterwards, as root."""
    top = next((Path(t).resolve() for t in (SYSTEM_TEMP, "/tmp", "/var/tmp") if os.path.isdir(t)
                and _open_to_others(Path(t).resolve())), None)
    if top is None:
        pytest.skip("no temp folder that another user can reach")
    folder = Path(tempfile.mkdtemp(prefix="rr-perm-", dir=top))
    folder.chmod(0o755)
    (folder / "tmp").mkdir()
    (folder / "tmp").chmod(0o1777)  # as /tmp: everyone may write, only the owner remove
    monkeypatch.setenv("TMPDIR", str(folder / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield folder
    shutil.rmtree(folder)
