"""Find TrueType CJK fonts on this machine and register them with reportlab, so the PDF embeds them.

Never falls back silently to a Latin font (Chinese would come out as boxes or blanks): with no usable CJK font
the export stops with a message naming what to install. Fonts with PostScript outlines (Noto CJK .otf) cannot be
embedded by reportlab and are skipped.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from common.errors import UserError

# Per role, file names in order of preference, with the subfont index inside a .ttc collection. The first entries
# are the role's own face (Windows: simsun/simfang/simkai/simhei; Linux: AR PL UMing/UKai, WenQuanYi, Noto .ttf);
# anything after is a substitute, and the export says so.
SONG = (("simsun.ttc", 0), ("simsun.ttf", 0), ("uming.ttc", 0), ("NotoSerifSC-Regular.ttf", 0),
        ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), ("msyh.ttc", 0), ("NotoSansSC-Regular.ttf", 0),
        ("DroidSansFallbackFull.ttf", 0))
HEI = (("simhei.ttf", 0), ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 0), ("NotoSansSC-Regular.ttf", 0),
       ("msyh.ttc", 0), *SONG)
FANG = (("simfang.ttf", 0), ("fangsong.ttf", 0), *SONG)
KAI = (("simkai.ttf", 0), ("ukai.ttc", 0), ("kaiti.ttf", 0), *FANG)
OWN_FACES = {"宋体": 4, "黑体": 4, "仿宋": 2, "楷体": 3}  # how many leading entries are the role's own face
ROLE_USES = {"宋体": "表格", "黑体": "一级标题", "仿宋": "正文", "楷体": "二级标题"}
PROBE = "中文目录汇编第页共"
# What a clerk calls the font (the export plan names it), by lower-case file name; others by their family name
FONT_NAMES = {"simsun.ttc": "宋体", "simsun.ttf": "宋体", "simhei.ttf": "黑体", "simfang.ttf": "仿宋",
              "fangsong.ttf": "仿宋", "simkai.ttf": "楷体", "kaiti.ttf": "楷体", "msyh.ttc": "微软雅黑",
              "uming.ttc": "文鼎明体", "ukai.ttc": "文鼎楷体", "wqy-microhei.ttc": "文泉驿微米黑",
              "wqy-zenhei.ttc": "文泉驿正黑", "notoserifsc-regular.ttf": "思源宋体",
              "notosanssc-regular.ttf": "思源黑体",
              "droidsansfallbackfull.ttf": "Droid Sans Fallback"}
FONT_OPTION = "用 --font 指定"  # the command line's way to name a font; the window says its own (ui/common/worker.py)
MISSING_FONT = ("未找到可嵌入 PDF 的中文字体：请安装 fonts-wqy-microhei（Linux）或确认 C:\\Windows\\Fonts 中有 "
                f"simsun.ttc，或{FONT_OPTION}字体文件（.ttf/.ttc）")

_loaded: dict[tuple[str, int], str] = {}  # (path, subfont) -> registered reportlab font name


@dataclass(frozen=True)
class FontSet:
    song: str  # tables and general text (宋体)
    hei: str  # first-level headings (黑体)
    fang: str  # body paragraphs (仿宋, GB/T 9704), third-level headings
    files: tuple[str, ...]  # the font files used, for the export report
    kai: str = ""  # second-level headings (楷体)
    substituted: tuple[str, ...] = ()  # per role without its own face: which role, what was looked for, what instead
    roles: tuple[tuple[str, str], ...] = ()  # (role, font file) per role: 宋体, 黑体, 仿宋, 楷体

    def describe(self) -> str:
        """"宋体、黑体、仿宋、楷体" or "文泉驿微米黑（用于宋体、黑体、仿宋、楷体）": the fonts by the names a clerk
        knows, each with the roles it stands in for when it is not that role's own face."""
        by_file: dict[str, list[str]] = {}
        for role, path in self.roles or (("宋体", path) for path in self.files):
            by_file.setdefault(path, []).append(role)
        parts = []
        for path, roles in by_file.items():
            name = font_name(path)
            parts.append(name if roles == [name] else f"{name}（用于{'、'.join(roles)}）")
        return "；".join(parts)

    @property
    def kaiti(self) -> str:
        return self.kai or self.fang


def font_name(path: str) -> str:
    """The font's Chinese name where it is a well-known one, else its family name, else the file's name."""
    known = FONT_NAMES.get(os.path.basename(path).lower())
    if known:
        return known
    try:
        from reportlab.pdfbase.ttfonts import TTFontFile

        family = TTFontFile(path, subfontIndex=0).familyName
        return family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    except Exception:  # any unreadable font: its file name still says which it is
        return os.path.basename(path)


def font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", "C:\\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windows / "Fonts", local]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local" / "share" / "fonts",
            Path.home() / ".fonts"]


def _index_font_files(dirs: list[Path]) -> dict[str, str]:
    """Lower-case file name -> path, for every font file under the font folders."""
    found: dict[str, str] = {}
    for top in dirs:
        for folder, _, names in os.walk(top):
            for name in sorted(names):
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), os.path.join(folder, name))
    return found


def register_font(path: str, subfont: int = 0) -> str:
    """Load a TrueType font into reportlab once; return its registered name. Raises ValueError if unusable."""
    key = (os.path.abspath(path), subfont)
    if key in _loaded:
        return _loaded[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = "RR-" + hashlib.sha1(f"{key[0]}|{subfont}".encode()).hexdigest()[:10]
    try:
        font = TTFont(name, key[0], subfontIndex=subfont)
    except (TTFError, OSError, KeyError, IndexError, ValueError, AssertionError) as exc:
        raise ValueError(str(exc)) from exc
    if any(ord(ch) not in font.face.charToGlyph for ch in PROBE):
        raise ValueError("不含中文字形")
    pdfmetrics.registerFont(font)
    _loaded[key] = name
    return name


def _first_usable(candidates, files: dict[str, str]) -> tuple[str, str, int] | None:
    """(registered name, path, position in the candidates) of the first usable font."""
    for position, (file_name, subfont) in enumerate(candidates):
        path = files.get(file_name.lower())
        if path is None:
            continue
        try:
            return register_font(path, subfont), path, position
        except ValueError:
            continue
    return None


def find_fonts(font_path: str | None = None, dirs: list[Path] | None = None) -> FontSet:
    """The fonts for a PDF: the user's font for every role, or the best installed ones per role."""
    if font_path:
        return _user_font(font_path)
    files = _index_font_files(font_dirs() if dirs is None else dirs)
    song = _first_usable(SONG, files)
    if song is None:
        raise UserError(MISSING_FONT)
    found = {"宋体": song}
    for role, candidates in (("黑体", HEI), ("仿宋", FANG), ("楷体", KAI)):
        found[role] = _first_usable(candidates, files) or song
    substituted = tuple(substitution(role, path) for role, (_, path, position) in found.items()
                        if position >= OWN_FACES[role] or (found[role] is song and role != "宋体"))
    paths = tuple(dict.fromkeys(path for _, path, _ in found.values()))
    roles = tuple((role, path) for role, (_, path, _) in found.items())
    return FontSet(song[0], found["黑体"][0], found["仿宋"][0], paths, found["楷体"][0], substituted, roles)


def substitution(role: str, used: str) -> str:
    """The user's message for a role without its own face: the role, what it is for, the fonts looked for."""
    candidates = {"宋体": SONG, "黑体": HEI, "仿宋": FANG, "楷体": KAI}[role][:OWN_FACES[role]]
    looked_for = "、".join(name for name, _ in candidates)
    shown = os.path.basename(used)
    if (name := font_name(used)) != shown:
        shown = f"{name}（{shown}）"
    return (f"PDF 字体：本机没有{role}（用于{ROLE_USES[role]}，查找了 {looked_for}），以 {shown} 代替；"
            f"可安装该字体或{FONT_OPTION}")


def _user_font(font_path: str) -> FontSet:
    path = Path(font_path).expanduser()
    if not path.is_file():
        raise UserError(f"字体文件不存在：{font_path}")
    try:
        name = register_font(str(path), 0)
    except ValueError as exc:
        raise UserError(f"无法使用字体 {font_path}：{exc}。请选择含中文的 TrueType 字体（.ttf/.ttc），"
                        "如 simsun.ttc 或 wqy-microhei.ttc（.otf 字体无法嵌入）") from exc
    return FontSet(name, name, name, (str(path),), name,
                   roles=tuple((role, str(path)) for role in ("宋体", "黑体", "仿宋", "楷体")))
