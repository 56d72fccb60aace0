"""The environment of a converter started by the app (LibreOffice): a UTF-8 locale, whatever the app was given.

Under LC_ALL=C (a service, cron, a minimal container, `env -i`) LibreOffice reads its arguments as ASCII: a profile
or file path with Chinese or other non-ASCII letters in it (a temp folder under 张三's home) makes it hang or convert
nothing, so Office files would only be listed. Python itself runs in UTF-8 mode there (PEP 540), so the paths it
passes are UTF-8; the child only needs to be told so. Windows passes arguments as UTF-16: nothing to change there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

UTF8_LOCALE = "C.UTF-8"  # present on every glibc since 2.35 and on Debian/Ubuntu long before; musl has it too


def is_utf8_locale(env: Mapping[str, str]) -> bool:
    """The character set the C library picks from `env`: LC_ALL, else LC_CTYPE, else LANG (POSIX order)."""
    name = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or "C"
    codeset = name.partition(".")[2].partition("@")[0]
    return codeset.replace("-", "").lower() == "utf8"


def utf8_env(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> dict[str, str]:
    """A copy of `env` (default: this process's) in which a child reads its arguments and file names as UTF-8."""
    result = dict(os.environ if env is None else env)
    if platform != "win32" and not is_utf8_locale(result):
        result["LC_ALL"] = UTF8_LOCALE
    return result
