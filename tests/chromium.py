"""How the browser tests and `make screenshots` start Debian's Chromium (no downloads here).

Debian's chromium-headless-shell first: the headless-only build Playwright itself runs for
headless tests, lighter than the full browser; /usr/bin/chromium otherwise. CHROMIUM_PATH names
another.
"""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if shutil.which(path)
    ),
    "/usr/bin/chromium-headless-shell",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
