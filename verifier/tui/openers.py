"""Whether a desktop opener can show a file to the person at this terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


def desktop_can_open(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """False over SSH without a forwarded display, and on a Linux or BSD machine with no
    display at all (a headless server): there a browser or viewer either fails or opens
    where nobody sees it, or takes the terminal over (a text browser)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    graphical = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return graphical  # only a forwarded X display reaches the reviewer
    if platform in ("darwin", "win32", "cygwin"):
        return True
    return graphical
