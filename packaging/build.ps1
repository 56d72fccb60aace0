# Build the Windows app folder from build.spec and prove it works (the Windows twin of packaging/build.sh).
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File packaging\build.ps1     (or double-click packaging\build.bat)
#
# Needs 64-bit Python 3.11 with: python -m pip install -r requirements-build.txt
# Result: dist\ReviewReady\ (ReviewReady.exe for clerks, ReviewReady-cli.exe for the command line). Exit 1 on failure.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

$App = "ReviewReady"
$Dist = "dist\$App"
$MaxMB = 150            # size budget of the app folder, MB as Explorer counts (MiB)
$MaxCheckSeconds = 10   # frozen self-check target (a warning only)

function Step($text) { Write-Host ""; Write-Host "== $text" }
function Fail($text) { Write-Host "构建检查失败：$text" -ForegroundColor Red; exit 1 }

Step "PyInstaller"
$watch = [Diagnostics.Stopwatch]::StartNew()
python -m PyInstaller --noconfirm --clean --log-level WARN build.spec
if ($LASTEXITCODE -ne 0) { Fail "PyInstaller 构建失败（退出码 $LASTEXITCODE）" }
Write-Host ("构建用时 {0:N0} 秒" -f $watch.Elapsed.TotalSeconds)
$Gui = Join-Path $Dist "$App.exe"
$Cli = Join-Path $Dist "$App-cli.exe"
foreach ($exe in @($Gui, $Cli)) { if (-not (Test-Path $exe)) { Fail "没有生成 $exe" } }

Step "--version"
& $Cli --version
if ($LASTEXITCODE -ne 0) { Fail "$Cli --version 失败" }
# The windowed exe has no console of its own: through a pipe it must still answer.
$answer = (& $Gui --version | Out-String).Trim()
if ($answer -notmatch $App) { Fail "$Gui --version 没有输出（得到：$answer）" }
Write-Host "$App.exe --version：$answer"

Step "self-check"
$work = Join-Path ([IO.Path]::GetTempPath()) ("reviewready-build-" + [Guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $work | Out-Null
$env:TEMP = $work; $env:TMP = $work
$watch = [Diagnostics.Stopwatch]::StartNew()
& $Cli self-check
$code = $LASTEXITCODE
$seconds = $watch.Elapsed.TotalSeconds
if ($code -ne 0) { Fail "打包后的程序自检未通过" }
Write-Host ("打包版自检用时 {0:N1} 秒（整个进程，含启动）" -f $seconds)
if ($seconds -gt $MaxCheckSeconds) { Write-Warning "自检用时超过 $MaxCheckSeconds 秒" }
if (Get-ChildItem $work) { Fail "自检后临时文件夹未清理干净：$work" }

Step "windowed start (4 s)"
$env:REVIEWREADY_CONFIG_DIR = Join-Path $work "config"
$env:REVIEWREADY_DATA_DIR = Join-Path $work "data"
$process = Start-Process -FilePath $Gui -PassThru
Start-Sleep -Seconds 4
if ($process.HasExited) { Fail "窗口程序未能保持运行（退出码 $($process.ExitCode)）" }
Stop-Process -Id $process.Id
$log = Join-Path $env:REVIEWREADY_DATA_DIR "reviewready.log"
if ((Test-Path $log) -and (Select-String -Path $log -Pattern "ERROR" -Quiet)) { Get-Content $log; Fail "窗口程序的日志中有错误：$log" }
Write-Host "窗口程序已启动并保持运行"
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue

Step "size"
$bytes = (Get-ChildItem $Dist -Recurse -File | Measure-Object -Property Length -Sum).Sum
$mb = [math]::Floor($bytes / 1MB)
Write-Host "程序目录 ${Dist}：$mb MB（$bytes 字节）"
if ($mb -ge $MaxMB) { Fail "程序目录 $mb MB，超过 $MaxMB MB" }

Write-Host ""
Write-Host "构建完成：$Dist  （把整个文件夹压缩后分发；双击 $App.exe 启动）"
