"""The Windows version resource of ReviewReady.exe (Explorer › Properties › Details), generated from version.py.

build.spec calls `write_version_info(path)` on every build, so the resource always matches version.py; the text is
PyInstaller's VSVersionInfo format (`pyi-grab_version` prints the same). Run this file to see it:

    python packaging/version_info.py [OUT.txt]

Not importable as `packaging.version_info`: the folder shares its name with the PyPI `packaging` library, so the
spec and the tests load this file by path.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "ReviewReady"
DISPLAY_NAME = "迎检通"
DESCRIPTION = "迎检通 — 创建国家食品安全示范城市迎检资料档案"
LANGUAGE = "080404B0"  # zh-CN (0x0804), Unicode code page 1200 (0x04B0)


def read_version(root: Path = ROOT) -> str:
    """VERSION from version.py, read as text: the spec must not import the app."""
    match = re.search(r'^VERSION\s*=\s*["\']([^"\']+)["\']', (root / "version.py").read_text(encoding="utf-8"), re.M)
    if not match:
        raise SystemExit(f"version.py 中没有 VERSION = \"x.y.z\"：{root / 'version.py'}")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """"1.2.3" -> (1, 2, 3, 0); "0.2.0rc1" -> (0, 2, 0, 0). Windows keeps four 16-bit numbers."""
    leading = re.match(r"\d+(?:\.\d+)*", version)
    if not leading:
        raise SystemExit(f"无法从版本号生成 Windows 版本信息：{version}")
    numbers = [min(int(n), 0xFFFF) for n in leading.group(0).split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_info_text(version: str, exe: str = NAME) -> str:
    numbers = version_tuple(version)
    strings = {"CompanyName": NAME, "FileDescription": DESCRIPTION, "FileVersion": version,
               "InternalName": exe, "LegalCopyright": "", "OriginalFilename": f"{exe}.exe",
               "ProductName": f"{DISPLAY_NAME} {NAME}", "ProductVersion": version}
    structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        {LANGUAGE!r},
        [
{structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_version_info(path: Path, version: str | None = None, exe: str = NAME) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(version or read_version(), exe), encoding="utf-8")
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    text = version_info_text(read_version())
    if target:
        write_version_info(target)
        print(f"已写入 {target}")
    else:
        print(text)
