"""Calendar periods the figures are published and reported by: a month (``2026-03``), a
quarter (``2026-Q1``) or, for the yearly report, a year (``2026``)."""

import dataclasses
import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _


class BadPeriod(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year (neither month nor quarter)."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text, years=False):
        """``years``: a whole year is a period too (the yearly report; never open data)."""
        text = (text or "").strip().upper()
        if found := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(found[1]), int(found[2])
            if 1 <= month <= 12:
                return cls(year, month=month)
        elif found := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            return cls(int(found[1]), quarter=int(found[2]))
        elif years and re.fullmatch(r"\d{4}", text):
            return cls(int(text))
        if years:
            raise BadPeriod(_("Give period=YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a year)."))
        raise BadPeriod(_("Give period=YYYY-MM (a month) or period=YYYY-Qn (a quarter), e.g. 2026-03 or 2026-Q1."))

    @property
    def is_year(self):
        return self.month is None and self.quarter is None

    @classmethod
    def last_month(cls, today=None):
        first = (today or timezone.localdate()).replace(day=1)
        previous = first - datetime.timedelta(days=1)
        return cls(previous.year, month=previous.month)

    @classmethod
    def last_ended(cls, today=None):
        """The month, the quarter and the year that ended last, before ``today``."""
        today = today or timezone.localdate()
        quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        return [cls.last_month(today), cls.last_month(quarter_start).its_quarter(), cls(today.year - 1)]

    def __str__(self):
        if self.is_year:
            return str(self.year)
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year}-Q{self.quarter}"

    @property
    def start(self):
        return datetime.date(self.year, self.month or (3 * self.quarter - 2 if self.quarter else 1), 1)

    @property
    def end(self):
        last_month = self.month or (3 * self.quarter if self.quarter else 12)
        following = datetime.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    def its_quarter(self):
        return self if self.quarter else Period(self.year, quarter=(self.month - 1) // 3 + 1)

    def months(self):
        first = 3 * self.its_quarter().quarter - 2
        return [Period(self.year, month=first + i) for i in range(3)]

    def has_ended(self, today=None):
        return self.end < (today or timezone.localdate())


