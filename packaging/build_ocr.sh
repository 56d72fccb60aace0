#!/usr/bin/env bash
# Build the OCR add-on folder from packaging/ocr_addon.spec and prove it works: alone (ocr-check), and beside the
# app folder (the frozen app finds it and reads a Chinese banner by OCR, which search then finds).
#
#   packaging/build_ocr.sh        (needs: pip install -r requirements-build.txt, then
#                                  pip install --no-deps -r requirements-ocr-addon.txt; and dist/ReviewReady from
#                                  packaging/build.sh for the check beside the app, else that check is skipped)
#
# Result: dist/ReviewReady-OCR/ocr/, to be copied beside ReviewReady.exe. The Windows twin is build_ocr.ps1.
set -euo pipefail
cd "$(dirname "$0")/.."

APP=ReviewReady
ADDON=dist/$APP-OCR/ocr
APP_DIR=dist/$APP

step() { printf '\n== %s\n' "$*"; }
fail() { printf '构建检查失败：%s\n' "$*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A PyInstaller cache of its own: --clean empties the shared one, which another build may be using.
export PYINSTALLER_CONFIG_DIR="$work/pyinstaller"

step "PyInstaller (OCR add-on)"
started=$(date +%s)
python -m PyInstaller --noconfirm --clean --log-level WARN --distpath "dist/$APP-OCR" --workpath "build/$APP-OCR" \
  packaging/ocr_addon.spec
echo "构建用时 $(( $(date +%s) - started )) 秒"
[ -f "$ADDON/reviewready-ocr-addon.txt" ] || fail "没有生成 $ADDON"

step "ocr-check (the add-on alone)"
"$ADDON/ocr-check" || fail "OCR 附加组件自检未通过"

step "size"
bytes=$(du -sb "$ADDON" | cut -f1)
echo "OCR 附加组件 $ADDON：$(( bytes / 1048576 )) MB（$bytes 字节）"
du -sm "$ADDON"/* | sort -rn | sed -n 1,6p

step "beside the app"
if [ ! -x "$APP_DIR/$APP" ]; then
  echo "没有 $APP_DIR（先运行 packaging/build.sh）：跳过与程序一起的检查"
  exit 0
fi
# A copy of the app folder with the add-on beside the executable, as a clerk would unzip them (hard links: no space).
cp -al "$APP_DIR" "$work/app" 2>/dev/null || cp -a "$APP_DIR" "$work/app"
archive="$work/a.rrdb"
python -c "import sys; from pathlib import Path; from tests.messy_tree import write_image; \
write_image(Path(sys.argv[1]), ['创建国家食品安全示范城市'])" "$work/evidence/1.1 宣传/横幅.png"
export REVIEWREADY_DATA_DIR="$work/data" REVIEWREADY_CONFIG_DIR="$work/config"
"$work/app/$APP" new "$archive" >/dev/null
"$work/app/$APP" link "$archive" 1.1 "$work/evidence/1.1 宣传" >/dev/null
"$work/app/$APP" scan "$archive" >/dev/null
if "$work/app/$APP" texts "$archive" --ocr >/dev/null 2>"$work/without.txt"; then
  fail "没有附加组件时 texts --ocr 不应成功"
fi
grep -q "ocr 文件夹" "$work/without.txt" || { cat "$work/without.txt" >&2; fail "没有附加组件时的提示不对"; }
echo "没有附加组件：$(cat "$work/without.txt")"
cp -al "$ADDON" "$work/app/ocr" 2>/dev/null || cp -a "$ADDON" "$work/app/ocr"
begin=$EPOCHREALTIME
"$work/app/$APP" texts "$archive" --ocr --json || fail "带附加组件的程序未能识别图片文字"
echo "识别用时 $(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $begin }") 秒（整个进程，含加载模型）"
"$work/app/$APP" search "$archive" 示范城市 --json | tee "$work/hits.json"
grep -q "横幅.png" "$work/hits.json" || fail "识别出的文字检索不到"
echo
echo "构建完成：$ADDON（复制到 ReviewReady.exe 所在的文件夹中）"
