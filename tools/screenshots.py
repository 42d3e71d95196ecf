"""Take screenshots of the main pages of a running site, for a person to look at.

    python tools/screenshots.py [--base http://127.0.0.1:5000] [--out /tmp/shots]

Uses Debian's Chromium through Playwright (never `playwright install`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "trustee-demo-2026"  # noqa: S105 - the printed demo password
PAGES = {
    None: ["/", "/account/signup/volunteer", "/account/signup/charity", "/account/login"],
    "volunteer@example.org": ["/volunteer/", "/volunteer/profile", "/volunteer/needs"],
    "charity@example.org": ["/charity/", "/charity/needs/new"],
    "staff@example.org": ["/staff/", "/staff/charities", "/staff/users"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--out", default="/tmp/shots")  # noqa: S108 - a scratch folder
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for email, paths in PAGES.items():
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            if email:
                page.goto(args.base + "/account/login")
                page.fill("#email", email)
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
            for path in paths:
                page.goto(args.base + path)
                name = (email or "public").split("@")[0] + path.replace("/", "_") + ".png"
                page.screenshot(path=str(out / name), full_page=True)
                print(out / name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
