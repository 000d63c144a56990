"""Debian's Chromium, headless, driven by Selenium through Debian's chromedriver: one setup for the
book's, the feedback pages' and the hub's browser tests."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
# what this closed network needs: no background requests, no updates, no sync, a fresh profile
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@contextmanager
def headless_chromium(name: str, window: str, extra_flags=(), logs=(), timeout: float | None = None,
                      service_env: dict | None = None):
    """A Chrome driver with a profile of its own (removed afterwards, also on failure).

    ``window`` is "WIDTH,HEIGHT"; ``logs`` the log types to record ("performance" for requests,
    "browser" for the console); ``timeout`` the page-load and script timeout in seconds.
    """
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), \
        "Debian's chromium and chromium-driver are needed: run `make system`"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=f"{name}-chromium-")
    try:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in [*FLAGS, f"--window-size={window}", *extra_flags, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        if logs:
            options.set_capability("goog:loggingPrefs", {kind: "ALL" for kind in logs})
        service = Service(str(CHROMEDRIVER), env=service_env) if service_env else Service(str(CHROMEDRIVER))
        driver = webdriver.Chrome(service=service, options=options)
        try:
            if timeout is not None:
                driver.set_script_timeout(timeout)
                driver.set_page_load_timeout(timeout)
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
