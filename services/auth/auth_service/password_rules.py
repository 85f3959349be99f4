"""The password rules, one place for sign-up, reset and change: long enough, not too long,
and not easy to guess. "Easy to guess" is zxcvbn's estimate, which knows the most common
passwords of the big breach lists, English words, names, keyboard patterns, dates and
l33t substitutions, and the account's own e-mail and name."""

from zxcvbn import zxcvbn

MAX_PASSWORD_LENGTH = 1024
# zxcvbn's cost grows with the length (it refuses more than 72 characters); a password
# whose first 72 characters are hard to guess is hard to guess.
_SCORED_LENGTH = 72


def password_problem(
    password: str, *, email: str, name: str | None, min_length: int, min_score: int
) -> str | None:
    """Why `password` is refused, in words for its owner; None when it is good."""
    if len(password) < min_length:
        return f"Password must be at least {min_length} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be at most {MAX_PASSWORD_LENGTH} characters"
    if password.strip().lower() == email.strip().lower():
        return "Password must not be the e-mail address"
    personal = [email, email.partition("@")[0], *(name.split() if name else [])]
    estimate = zxcvbn(password[:_SCORED_LENGTH], user_inputs=personal)
    if estimate["score"] >= min_score:
        return None
    why = estimate["feedback"]["warning"] or "Use a longer phrase of uncommon words."
    return f"Password is too easy to guess. {why}"
