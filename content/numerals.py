"""Chinese numerals as the speech uses them for its markers (一 … 九十九)."""

from __future__ import annotations

DIGITS = "一二三四五六七八九"
NUMERAL_CHARS = "一二三四五六七八九十"


def to_int(numeral: str) -> int | None:
    """Return the value of a numeral such as 三, 十二 or 二十一, or None if it is not one."""
    if not numeral or any(c not in NUMERAL_CHARS for c in numeral):
        return None
    if numeral == "十":
        return 10
    if "十" not in numeral:
        return DIGITS.index(numeral) + 1 if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    value = (DIGITS.index(tens) + 1 if tens else 1) * 10
    return value + (DIGITS.index(units) + 1 if units else 0)


def to_numeral(value: int) -> str:
    """Return the numeral for 1 ≤ value ≤ 99."""
    if not 1 <= value <= 99:
        raise ValueError(f"numeral out of range: {value}")
    tens, units = divmod(value, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return text + (DIGITS[units - 1] if units else "")
