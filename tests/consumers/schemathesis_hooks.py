"""schemathesis hooks for test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

A cookie value is a run of cookie-octets (RFC 6265 section 4.1.1): no ";", ",", '"', "\\",
space or control character. schemathesis 4.32 draws its negative cases for a cookie parameter
from the header alphabet, so it may send `farm_refresh=abc;{...` and expect a refusal of the
whole string, while the server correctly reads the cookie `abc`. Such cases cannot be sent, so
they are dropped; negative cookie values made of cookie-octets (too long, say) are still sent.
"""

import re
from typing import Any

import schemathesis
from schemathesis.hooks import HookContext

COOKIE_VALUE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")


@schemathesis.hook
def filter_cookies(context: HookContext, cookies: dict[str, Any] | None) -> bool:
    return not cookies or all(COOKIE_VALUE.fullmatch(str(value)) for value in cookies.values())
