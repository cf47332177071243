"""Search text with Vietnamese diacritics folded, so 'dang ky khai sinh' finds 'Đăng ký khai sinh'."""

import unicodedata


def fold(text):
    """Lower-case, strip diacritics (including đ → d) and collapse spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def strip_diacritics(text):
    """'Hồ sơ đã được tiếp nhận' → 'Ho so da duoc tiep nhan' (case kept), for SMS gateways
    that only carry plain ASCII."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
