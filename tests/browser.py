"""A real headless Chromium for the tests: find it, load a page and read its DOM, measure elements' boxes, take a
screenshot and read its pixels (Pillow). Missing Chromium is an unavailable reference (a failure in CI)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import require_reference

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
#: Flags every run shares: no network, no profile state, sRGB colours, one device pixel per CSS pixel.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--force-color-profile=srgb",
)


def found() -> str | None:
    """The Chromium executable on ``PATH``, or ``None``."""
    return next((path for path in map(shutil.which, NAMES) if path), None)


def problem() -> str | None:
    """Why Chromium cannot run here, or ``None``."""
    return None if found() else "no chromium on PATH (apt-get install chromium)"


def require() -> str:
    """The Chromium executable; skips (fails in CI) when there is none."""
    require_reference("chromium", problem)
    path = found()
    assert path is not None
    return path


def run(chromium: str, page: Path, extra: list[str], profile: Path, fragment: str = "") -> subprocess.CompletedProcess:
    """One headless run of ``page`` with ``extra`` flags; asserts it exited 0."""
    command = [chromium, *_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra,
               page.as_uri() + fragment]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env={**os.environ})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def dump_dom(
    chromium: str, page: Path, profile: Path, fragment: str = "", window: tuple[int, int] = (1200, 1000)
) -> str:
    """The DOM after load (scripts run, 5 s of virtual time)."""
    flags = [f"--window-size={window[0]},{window[1]}", "--virtual-time-budget=5000", "--dump-dom"]
    return run(chromium, page, flags, profile, fragment).stdout


_MEASURE = """<script>
window.addEventListener("load", () => {
  const rect = r => ({x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
  const found = {height: document.documentElement.scrollHeight, boxes: {}};
  for (const [name, selector] of Object.entries(%s)) {
    found.boxes[name] = [...document.querySelectorAll(selector)].map(e => ({
      text: e.textContent.slice(0, 200), id: e.id, classes: e.className, section: e.closest(".hc-inspect") ?
        [...document.querySelectorAll(".hc-inspect")].indexOf(e.closest(".hc-inspect")) : -1,
      box: rect(e.getClientRects()[0] || e.getBoundingClientRect())}));
  }
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


def measure(chromium: str, page: Path, selectors: dict[str, str], window: tuple[int, int], profile: Path) -> dict:
    """The page's height and, per name, every element ``selectors[name]`` matches: its text, id, classes, the index of
    its ``.hc-inspect`` section and its first line box in page pixels. The page is measured in a copy with a script
    appended after its content (appended last, so it moves nothing that is measured)."""
    copy = page.with_name(page.stem + ".measure.html")
    copy.write_text(page.read_text(encoding="utf-8") + _MEASURE % json.dumps(selectors), encoding="utf-8")
    dom = dump_dom(chromium, copy, profile, window=window)
    match = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert match is not None, dom[-2000:]
    import html

    return json.loads(html.unescape(match.group(1)))  # type: ignore[no-any-return]


def screenshot(chromium: str, page: Path, window: tuple[int, int], profile: Path) -> Picture:
    """A screenshot of ``page`` in a window of ``window`` CSS pixels."""
    from PIL import Image

    out = page.with_suffix(".png")
    flags = [f"--window-size={window[0]},{window[1]}", "--virtual-time-budget=5000", f"--screenshot={out}"]
    run(chromium, page, flags, profile)
    with Image.open(out) as image:
        return Picture(image.convert("RGB"))


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as a triple."""
    value = colour.removeprefix("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True)
class Picture:
    """A screenshot's pixels."""

    image: Any

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size  # type: ignore[no-any-return]

    def colours(self, box: dict[str, float], inset: int = 1) -> Counter:
        """How many pixels of each colour the box holds (``inset`` pixels in from each edge)."""
        left, top = int(box["x"]) + inset, int(box["y"]) + inset
        right, bottom = int(box["x"] + box["w"]) - inset, int(box["y"] + box["h"]) - inset
        if right <= left or bottom <= top:
            return Counter()
        region = self.image.crop((left, top, right, bottom))
        return Counter({colour: n for n, colour in region.getcolors(region.width * region.height)})

    def share(self, box: dict[str, float], colour: str, tolerance: int = 2, inset: int = 1) -> float:
        """The fraction of the box's pixels that are ``colour`` (each channel within ``tolerance``)."""
        counted = self.colours(box, inset)
        total = sum(counted.values())
        wanted = rgb(colour)
        near = sum(
            n for c, n in counted.items() if all(abs(a - b) <= tolerance for a, b in zip(c, wanted, strict=True))
        )
        return near / total if total else 0.0
