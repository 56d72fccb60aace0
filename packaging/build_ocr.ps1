# Build the OCR add-on folder for the Windows app (the Windows twin of packaging/build_ocr.sh; not yet run on Windows:
# the Linux build is the proof). Run it after packaging\build.ps1, in the same venv, with:
#   python -m pip install -r requirements-build.txt
#   python -m pip install --no-deps -r requirements-ocr-addon.txt
#   powershell -NoProfile -ExecutionPolicy Bypass -File packaging\build_ocr.ps1
# Result: dist\ReviewReady-OCR\ocr\, to be copied into dist\ReviewReady\ (beside ReviewReady.exe). Exit 1 on failure.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

$App = "ReviewReady"
$Addon = "dist\$App-OCR\ocr"
$AppDir = "dist\$App"

function Step($text) { Write-Host ""; Write-Host "== $text" }
function Fail($text) { Write-Host "构建检查失败：$text" -ForegroundColor Red; exit 1 }

$work = Join-Path ([IO.Path]::GetTempPath()) ("reviewready-ocr-" + [Guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $work | Out-Null
$env:PYINSTALLER_CONFIG_DIR = Join-Path $work "pyinstaller"  # --clean empties the shared cache otherwise

Step "PyInstaller (OCR add-on)"
python -m PyInstaller --noconfirm --clean --log-level WARN --distpath "dist\$App-OCR" --workpath "build\$App-OCR" `
  packaging\ocr_addon.spec
if ($LASTEXITCODE -ne 0) { Fail "PyInstaller 构建失败（退出码 $LASTEXITCODE）" }

Step "ocr-check (the add-on alone)"
& (Join-Path $Addon "ocr-check.exe")
if ($LASTEXITCODE -ne 0) { Fail "OCR 附加组件自检未通过" }

Step "size"
$bytes = (Get-ChildItem $Addon -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("OCR 附加组件 ${Addon}：{0:N0} MB（$bytes 字节）" -f ($bytes / 1MB))

Step "beside the app"
$Cli = Join-Path $AppDir "$App-cli.exe"
if (-not (Test-Path $Cli)) { Write-Host "没有 $AppDir（先运行 packaging\build.ps1）：跳过与程序一起的检查"; exit 0 }
$copy = Join-Path $work "app"
Copy-Item -Recurse $AppDir $copy
Copy-Item -Recurse $Addon (Join-Path $copy "ocr")
$evidence = Join-Path $work "evidence\1.1 宣传"
python -c "import sys; from pathlib import Path; from tests.messy_tree import write_image; write_image(Path(sys.argv[1]), ['创建国家食品安全示范城市'])" (Join-Path $evidence "横幅.png")
$env:REVIEWREADY_DATA_DIR = Join-Path $work "data"; $env:REVIEWREADY_CONFIG_DIR = Join-Path $work "config"
$archive = Join-Path $work "a.rrdb"
$exe = Join-Path $copy "$App-cli.exe"
& $exe new $archive | Out-Null
& $exe link $archive 1.1 $evidence | Out-Null
& $exe scan $archive | Out-Null
& $exe texts $archive --ocr --json
if ($LASTEXITCODE -ne 0) { Fail "带附加组件的程序未能识别图片文字" }
$hits = (& $exe search $archive 示范城市 --json | Out-String)
if ($hits -notmatch "横幅.png") { Fail "识别出的文字检索不到" }
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
Write-Host ""
Write-Host "构建完成：$Addon （复制到 ReviewReady.exe 所在的文件夹中）"
