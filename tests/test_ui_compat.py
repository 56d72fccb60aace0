"""Thousands of signals must not bring the process down.

PySide6 6.12.0 on Python 3.11 drops a reference to True on every Signal.emit() and aborts the process
("bool_dealloc") after about a thousand signals; 6.11.3 (pinned in requirements.txt) does not. This test keeps a
future upgrade from bringing the crash back: a scan's progress and the monitor's reports emit that many quickly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EMIT_MANY = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    progressed = Signal(float, str)

app = QCoreApplication([])
source = Source()
received = []
source.progressed.connect(lambda fraction, message: received.append(fraction))
before = sys.getrefcount(True)
for step in range(20000):
    source.progressed.emit(step / 20000, "扫描中")
assert abs(sys.getrefcount(True) - before) < 100, sys.getrefcount(True) - before
del source, received
import gc
gc.collect()
print("完成")
"""


def test_twenty_thousand_signals_do_not_crash_the_process():
    done = subprocess.run([sys.executable, "-c", EMIT_MANY], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, encoding="utf-8", timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "完成"
