"""A short, human name for the device behind a User-Agent header ("Firefox on Windows"),
for the list of a user's sessions. Only well-known names are matched: the header is
whatever the client says, so nothing of it is shown verbatim."""

import re

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edge", r"\bEdg(e|A|iOS)?/"),
    ("Opera", r"\bOPR/"),
    ("Firefox", r"\b(Firefox|FxiOS)/"),
    ("Chrome", r"\b(HeadlessChrome|Chrome|Chromium|CriOS)/"),
    ("Safari", r"\bSafari/"),
    ("curl", r"^curl/"),
    ("Python", r"^(python-httpx|python-requests|Python-urllib|aiohttp)/"),
]
_SYSTEMS = [
    ("Android", r"\bAndroid\b"),
    ("iOS", r"\b(iPhone|iPad|iPod)\b"),
    ("Windows", r"\bWindows\b"),
    ("ChromeOS", r"\bCrOS\b"),
    ("macOS", r"\bMac OS X\b|\bMacintosh\b"),
    ("Linux", r"\bLinux\b"),
]


def _first(table: list[tuple[str, str]], user_agent: str) -> str | None:
    return next((name for name, pattern in table if re.search(pattern, user_agent)), None)


def describe_device(user_agent: str) -> str:
    browser = _first(_BROWSERS, user_agent)
    system = _first(_SYSTEMS, user_agent)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
