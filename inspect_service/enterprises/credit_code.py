"""Unified social credit code (统一社会信用代码, GB 32100-2015) check-digit validation."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """True when `code` is 18 characters from the code alphabet with a correct check character."""
    if len(code) != 18 or any(ch not in ALPHABET for ch in code):
        return False
    if not code[8:17].isalnum():
        return False
    return check_char(code[:17]) == code[17]
