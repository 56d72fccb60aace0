@echo off
rem Build the Windows app folder: runs packaging\build.ps1 (PyInstaller, self-check, size check).
rem Needs 64-bit Python 3.11 with: python -m pip install -r requirements-build.txt
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0build.ps1" %*
set status=%ERRORLEVEL%
if "%~1"=="" pause
exit /b %status%
