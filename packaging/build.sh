#!/usr/bin/env bash
# Build the app folder from build.spec and prove it works: self-check, a windowed start, size and library checks.
#
#   packaging/build.sh            (from anywhere; needs: pip install -r requirements-build.txt)
#
# On Linux this is CI's proof that the spec stays valid; the Windows build is packaging/build.ps1 (same steps).
# Fails (exit 1) if the build fails, self-check fails, the app does not start, a Qt library is missing, or the
# folder is over the size budget.
set -euo pipefail
cd "$(dirname "$0")/.."

APP=ReviewReady
DIST=dist/$APP
MAX_MB=${REVIEWREADY_MAX_MB:-150}        # size budget of the app folder, MiB (as Explorer counts)
MAX_CHECK_SECONDS=10                     # frozen self-check target (a warning only: CI machines vary)

step() { printf '\n== %s\n' "$*"; }
fail() { printf '构建检查失败：%s\n' "$*" >&2; exit 1; }

step "PyInstaller"
started=$(date +%s)
python -m PyInstaller --noconfirm --clean --log-level WARN build.spec
echo "构建用时 $(( $(date +%s) - started )) 秒"
[ -x "$DIST/$APP" ] || fail "没有生成 $DIST/$APP"

step "--version"
"$DIST/$APP" --version

step "self-check"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
begin=$EPOCHREALTIME
TMPDIR="$work" "$DIST/$APP" self-check || fail "打包后的程序自检未通过"
seconds=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $begin }")
echo "打包版自检用时 ${seconds} 秒（整个进程，含启动）"
if awk "BEGIN { exit !($seconds > $MAX_CHECK_SECONDS) }"; then
  echo "注意：自检用时超过 ${MAX_CHECK_SECONDS} 秒" >&2
fi
[ -z "$(ls -A "$work")" ] || fail "自检后临时文件夹未清理干净：$(ls -A "$work")"

step "windowed start (offscreen, 4 s)"
# The window must come up and stay up: a missing Qt plugin or module aborts at once. timeout's 124 = still running.
status=0
QT_QPA_PLATFORM=offscreen REVIEWREADY_CONFIG_DIR="$work/config" REVIEWREADY_DATA_DIR="$work/data" \
  timeout 4 "$DIST/$APP" >"$work/app.log" 2>&1 || status=$?
if [ "$status" != 124 ]; then
  cat "$work/app.log" >&2
  fail "窗口程序未能保持运行（退出码 $status）"
fi
if grep -s -q "ERROR" "$work/data/reviewready.log"; then
  cat "$work/data/reviewready.log" >&2
  fail "窗口程序的日志中有错误：$work/data/reviewready.log"
fi
echo "窗口程序已启动并保持运行"

step "Qt libraries"
# Every bundled Qt plugin and library must find its Qt dependencies inside the folder (none are on the system).
missing=$(find "$DIST/_internal/PySide6" -name '*.so*' -type f -exec ldd {} \; 2>/dev/null | grep 'not found' | sort -u || true)
[ -z "$missing" ] || fail "缺少库：$missing"
echo "所有 Qt 插件的依赖都在程序目录中"

step "size"
bytes=$(du -sb "$DIST" | cut -f1)
mb=$(( bytes / 1048576 ))
echo "程序目录 $DIST：${mb} MB（$bytes 字节）"
# sed, not head: head leaves early, and sort, still writing, dies of SIGPIPE (141) under pipefail now and then
du -sm "$DIST/_internal"/* | sort -rn | sed -n 1,8p
[ "$mb" -lt "$MAX_MB" ] || fail "程序目录 ${mb} MB，超过 ${MAX_MB} MB"

echo
echo "构建完成：$DIST"
