"""One bad file costs one line in 备注, never the job: the reported broken PNG, images only Pillow could read,
an Office conversion that hangs, and a bug anywhere in a command (one Chinese line, the traceback in the log)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from docx.image.image import Image as DocxImage
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader

from archive.index.scan import scan
from archive.links import link
from cli import run as cli_run
from exporters import export, office_run
from exporters.images import ImageProblem, prepare_image
from tests.export_helpers import cjk_pdf, options, page_texts
from tests.foreign_corpus import png_raw, samples

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


def broken_png() -> bytes:
    """The issue's file: a PNG whose chunks and CRCs are sound but whose compressed pixel data is not."""
    return next(s.data for s in samples("png") if s.name == "数据流损坏.png")


def test_the_reported_broken_png_stops_neither_dossier(tmp_path):
    evidence = tmp_path / "证明材料"
    evidence.mkdir()
    (evidence / "现场照片.png").write_bytes(broken_png())
    Image.new("RGB", (300, 200), "orange").save(evidence / "完好照片.png")
    archive = tmp_path / "档案.rrdb"
    for args in (("new", archive), ("link", archive, "1.1", evidence), ("scan", archive)):
        assert cli_run.run([str(a) for a in args]) == 0
    for fmt in ("pdf", "docx"):
        done = subprocess.run([sys.executable, MAIN, "export", str(archive), "--out", str(tmp_path / f"汇编.{fmt}")],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "注意：证明材料/现场照片.png：图片文件已损坏或不完整，未嵌入" in done.stdout
    rows = {}
    document = docx.Document(str(tmp_path / "汇编.docx"))
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:2] == ["序号", "档号"]:  # a criterion's 佐证材料目录
            title = header.index("题名")
            rows.update({row.cells[title].text: row.cells[-1].text for row in table.rows[1:]})
    assert rows == {"完好照片": "", "现场照片": "未附入：图片文件已损坏或不完整，未嵌入"}
    assert len(document.inline_shapes) == 1
    reader = PdfReader(str(tmp_path / "汇编.pdf"))
    assert sum(len(page.images) for page in reader.pages) == 1
    assert "图片文件已损坏或不完整" in "".join("".join(page_texts(tmp_path / "汇编.pdf")).split())


@pytest.mark.parametrize("name", ["CMYK印刷稿.jpg", "无JFIF头.jpg", "EXIF损坏.jpg", "手机竖拍.jpg", "16位彩色.png",
                                  "16位灰度.png", "透明调色板.png", "隔行扫描.png", "动画.png", "多页扫描.tif",
                                  "CMYK.tif", "无损透明.webp", "动图.gif", "单色.bmp"])
def test_what_pillow_reads_reaches_both_writers_as_an_upright_rgb_copy(name, tmp_path):
    sample = next(s for kind in ("jpeg", "png", "tiff", "webp", "gif", "bmp") for s in samples(kind) if s.name == name)
    source = tmp_path / name
    source.write_bytes(sample.data)
    prepared = prepare_image(str(source), str(tmp_path), 1)
    DocxImage.from_file(prepared.path)  # python-docx sizes it
    reader = ImageReader(prepared.path)
    assert reader.getSize() == (prepared.width, prepared.height) and reader.getRGBData()  # reportlab decodes it
    if name in ("16位彩色.png", "隔行扫描.png"):  # both read these as they are
        assert prepared.path == str(source)
        return
    with Image.open(prepared.path) as copy:
        assert copy.format == "JPEG" and copy.mode == "RGB"
        if name == "手机竖拍.jpg":
            assert copy.size == (200, 320)  # EXIF orientation 6: turned upright
        if name == "16位灰度.png":
            assert 150 <= copy.getpixel((0, 0))[0] <= 160  # 40000 of 65535, scaled; a plain convert gives 255


def test_sound_small_files_are_embedded_as_they_are(tmp_path):
    for name, data in (("照片.jpg", next(s.data for s in samples("jpeg") if s.name == "渐进式.jpg")),
                       ("截图.png", png_raw(40, 30, 8, 2, b"\x10\x20\x30"))):
        (tmp_path / name).write_bytes(data)
        assert prepare_image(str(tmp_path / name), str(tmp_path), 0).path == str(tmp_path / name)


@pytest.mark.parametrize(("name", "why"), [("数据流损坏.png", "损坏或不完整"), ("校验和错误.png", "损坏"),
                                           ("截断的照片.jpg", "损坏或不完整"), ("iPhone照片.heic", "HEIC")])
def test_what_pillow_cannot_read_is_a_problem_with_a_reason(name, why, tmp_path):
    sample = next(s for kind in ("png", "jpeg", "heic") for s in samples(kind) if s.name == name)
    (tmp_path / name).write_bytes(sample.data)
    with pytest.raises(ImageProblem, match=why):
        prepare_image(str(tmp_path / name), str(tmp_path), 0)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see the converter's helper gone")
def test_a_conversion_that_hangs_is_given_up_alone_and_the_rest_converted(archive, evidence, tmp_path, monkeypatch):
    folder = evidence / "1.2 工作方案"
    for number, name in enumerate(("1 通知", "2 卡住的方案", "3 总结")):
        document = docx.Document()
        document.add_paragraph(f"第{number}份")
        document.save(folder / f"{name}.docx")
    converted = tmp_path / "converted.pdf"
    converted.write_bytes(cjk_pdf(1, "转换后的正文第{}页"))
    helper_pids = tmp_path / "helpers.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"  # like LibreOffice: a launcher whose helper process does the work
    script.write_text(
        f"#!{sys.executable}\nimport os, shutil, subprocess, sys, time\n"
        "args = sys.argv[1:]\nout = args[args.index('--outdir') + 1]\n"
        f"helper = subprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(helper_pids)!r}, 'a').write(f'{{helper.pid}}\\n')\n"
        "for path in args[args.index('--outdir') + 2:]:\n"
        "    if os.path.basename(path) == '00001.docx':\n"
        "        time.sleep(600)\n"
        f"    shutil.copyfile({str(converted)!r}, os.path.join(out, os.path.basename(path)[:-5] + '.pdf'))\n",
        encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(office_run, "SECONDS_PER_FILE", 2)
    monkeypatch.setattr(office_run, "START_SECONDS", 10)  # a loaded machine may start the fake slowly
    link(archive, "1.2", [str(folder)])
    scan(archive)
    started = time.monotonic()
    result = export(archive, "pdf", tmp_path / "汇编.pdf", options())
    assert time.monotonic() - started < 40
    text = "".join("".join(page_texts(result.path)).split())
    assert text.count("转换后的正文第1页") == 2  # the first and the third file
    assert "转换为PDF超过2秒未完成" in text and any("卡住的方案" in w and "超过 2 秒" in w for w in result.warnings)
    pids = [int(line) for line in helper_pids.read_text().split()]
    assert len(pids) == 2  # one start until the hang, one for the file after it
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids[:1]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pids[0])  # the hung converter's helper was stopped with it


def test_a_bug_in_a_command_ends_with_one_chinese_line_and_the_trace_in_the_log(monkeypatch, tmp_path, capsys):
    def broken(args):
        raise KeyError("内部状态")

    monkeypatch.setitem(cli_run.HANDLERS, "status", broken)
    monkeypatch.setenv("REVIEWREADY_DATA_DIR", str(tmp_path / "数据"))
    monkeypatch.delenv("REVIEWREADY_DEBUG", raising=False)
    assert cli_run.run(["status", str(tmp_path / "x.rrdb")]) == 1
    out, err = capsys.readouterr()
    log_file = tmp_path / "数据" / "reviewready.log"
    assert err == f"错误：程序内部错误，操作未完成。详情已记录在日志：{log_file}（请将此文件发给技术支持）\n"
    assert "Traceback" not in out + err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError" in logged and "status" in logged


def test_a_bug_in_a_real_process_prints_no_traceback(tmp_path):
    """The whole program, as a clerk starts it: an exception nobody expected (here: a bad type deep in an
    import) still ends in Chinese and exit 1."""
    code = ("import sys; sys.argv = ['main.py', 'status', 'x.rrdb']; import cli.commands as c; "
            "c.HANDLERS['status'] = lambda args: 1 / 0; import main; sys.exit(main.main(['status', 'x.rrdb']))")
    env = {**os.environ, "REVIEWREADY_DATA_DIR": str(tmp_path)}
    env.pop("REVIEWREADY_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(Path(MAIN).parent),
                          env=env, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "程序内部错误" in done.stderr
    assert "ZeroDivisionError" in (tmp_path / "reviewready.log").read_text(encoding="utf-8")


def test_a_page_that_cannot_be_copied_is_named_in_its_row_and_the_rest_attached(archive, evidence, tmp_path):
    folder = evidence / "1.2 工作方案"
    (folder / "坏页面.pdf").write_bytes(next(s.data for s in samples("pdf") if s.name == "页面无法合并.pdf"))
    (folder / "好文件.pdf").write_bytes(cjk_pdf(2, "好文件第{}页"))
    link(archive, "1.2", [str(folder)])
    scan(archive)
    result = export(archive, "pdf", tmp_path / "汇编.pdf", options())
    text = "".join("".join(page_texts(result.path)).split())
    assert "好文件第1页" in text and "好文件第2页" in text
    assert "21.2-002坏页面未附入：PDF第1页无法复制，未附入31.2-003好文件" in text  # its row: no pages here
    assert re.search(r"未附入材料说明.*1\.2-002坏页面PDF.{0,3}PDF第1页无法复制", text)  # once, in that table
    assert "附件未附入" not in text  # never a line where it would have been
    assert result.warnings == ["1.2 工作方案/坏页面.pdf：PDF 第 1 页无法复制，未附入"]
    assert len(PdfReader(io.BytesIO(result.path.read_bytes())).pages) > 2
