"""Screenshots of each screen of a tour, saved for a human to look at.

A tour step marks a screen by logging ``duret-screen:<name>`` on the browser console (see
``screen()`` in the tours' JavaScript, which also leaves the browser a moment to paint).
:class:`ScreenshotTourMixin` watches the console of the test browser and saves a PNG of the
page for each mark under ``$DURET_SCREENS_DIR`` (default ``/tmp/duret_screens``), in a
folder per tour: ``<dir>/<tour>/<nn>-<name>.png``.
"""

import base64
import concurrent.futures
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

PREFIX = "duret-screen:"


def screens_dir():
    return Path(os.environ.get("DURET_SCREENS_DIR") or "/tmp/duret_screens")


class ScreenshotTourMixin:
    """For ``HttpCase``: ``start_tour_with_screens`` returns the PNG files it saved."""

    # a desktop screen, as the users have; Chrome reads "width,height" (Odoo's default
    # "1366x768" is not understood and leaves an 800 × 600 window)
    browser_size = "1366,900"

    def start_tour_with_screens(self, url_path, tour_name, **kwargs):
        folder = screens_dir() / tour_name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        saved, futures = [], []
        original_init = ChromeBrowser.__init__

        def save(path, future):
            data = future.result(timeout=0).get("data")
            if data:
                path.write_bytes(base64.b64decode(data, validate=True))
                saved.append(path)

        def init(browser, *args, **kw):
            original_init(browser, *args, **kw)
            console = browser._handlers["Runtime.consoleAPICalled"]

            def on_console(type, args=None, **params):
                text = str(browser._from_remoteobject(args[0])) if args else ""
                if text.startswith(PREFIX):
                    path = folder / f"{len(futures) + 1:02d}-{text[len(PREFIX) :]}.png"
                    future = browser._websocket_send("Page.captureScreenshot", with_future=True)
                    future.add_done_callback(lambda f, p=path: save(p, f))
                    futures.append(future)
                return console(type, args=args, **params)

            browser._handlers["Runtime.consoleAPICalled"] = on_console

        with patch.object(ChromeBrowser, "__init__", init):
            self.start_tour(url_path, tour_name, **kwargs)
        concurrent.futures.wait(futures, timeout=30)
        return sorted(saved)
