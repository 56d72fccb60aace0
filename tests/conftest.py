"""Shared fixtures: real archives on disk and real evidence trees with Chinese names and nesting."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt: no display in CI

import pytest

from archive.catalogue import store_catalogue
from archive.db import create_archive
from criteria.model import Catalogue, Criterion


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


@pytest.fixture
def as_nobody():
    """A context manager that runs its block as the effective user 'nobody' (as root nothing is unreadable); root
    keeps its saved uid, so the test gets its privileges back afterwards. Skips unless run as root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user")

    class Switch:
        def __enter__(self):
            os.setegid(NOBODY)
            os.seteuid(NOBODY)

        def __exit__(self, *exc):
            os.seteuid(0)
            os.setegid(0)

    return Switch()
