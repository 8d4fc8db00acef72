"""The Thai fiscal calendar: fiscal years, halves, quarters and Buddhist-Era labels."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from config.thai import BANGKOK, BE_OFFSET, MONTHS_FULL, MONTHS_SHORT, be_year, thai_digits


def fiscal_year_of(day: date) -> int:
    """Return the fiscal year (BE) a day falls in: FY 2566 is 1 Oct 2022 to 30 Sep 2023."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the unit every ITA statistic is counted in."""

    year: int  # CE
    month: int

    @classmethod
    def of(cls, day: date) -> "Month":
        """Return the month a day falls in."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Parse "YYYY-MM", reading a year above 2400 as Buddhist Era ("2568-03" is March 2025)."""
        year_text, _, month_text = text.strip().partition("-")
        year, month = int(year_text), int(month_text)
        if year > 2400:
            year -= BE_OFFSET
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {text}")
        return cls(year, month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Month":
        """Return the following month."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        """Return the month before."""
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.first_day)

    def iso(self) -> str:
        """Return "YYYY-MM" in the Common Era, the JSON contract's form."""
        return f"{self.year:04d}-{self.month:02d}"

    def be_iso(self) -> str:
        """Return "YYYY-MM" in the Buddhist Era, as file names carry it."""
        return f"{be_year(self.year):04d}-{self.month:02d}"

    def label_short(self, digits: str = "arabic") -> str:
        """Return "มี.ค. 68"."""
        text = f"{MONTHS_SHORT[self.month - 1]} {be_year(self.year) % 100:02d}"
        return thai_digits(text) if digits == "thai" else text

    def label_full(self, digits: str = "arabic") -> str:
        """Return "มีนาคม 2568"."""
        text = f"{MONTHS_FULL[self.month - 1]} {be_year(self.year)}"
        return thai_digits(text) if digits == "thai" else text

    def bounds_utc(self) -> tuple[datetime, datetime]:
        """Return [start, end) of the month in Bangkok time, as UTC instants."""
        return local_midnight_utc(self.first_day), local_midnight_utc(self.next().first_day)


def local_midnight_utc(day: date) -> datetime:
    """Return midnight at the start of a Bangkok day as a UTC instant."""
    return datetime.combine(day, time(0), BANGKOK).astimezone(timezone.utc)


@dataclass(frozen=True)
class Period:
    """A run of whole months inside one fiscal year: a month, a quarter, a half or the year."""

    fiscal_year: int
    kind: str  # month, quarter, half, year
    number: int  # month index 1-12 from October, quarter 1-4, half 1-2, or 1 for the year
    months: tuple[Month, ...]

    @property
    def key(self) -> str:
        """Return the period key used in file names and the archive: 2568-03, 2568-Q2, 2568-H1, 2568."""
        if self.kind == "month":
            return self.months[0].be_iso()
        return {"quarter": f"{self.fiscal_year}-Q{self.number}", "half": f"{self.fiscal_year}-H{self.number}",
                "year": f"{self.fiscal_year}"}[self.kind]

    @property
    def label(self) -> str:
        """Return the Thai label of the period."""
        fy = f"ปีงบประมาณ พ.ศ. {self.fiscal_year}"
        if self.kind == "month":
            return self.months[0].label_full()
        if self.kind == "quarter":
            return f"ไตรมาสที่ {self.number} ({self.months[0].label_short()} – {self.months[-1].label_short()}) {fy}"
        if self.kind == "half":
            name = "รอบ 6 เดือน" if self.number == 1 else "ครึ่งปีหลัง"
            return f"{name} ({self.months[0].label_short()} – {self.months[-1].label_short()}) {fy}"
        return f"รอบ 12 เดือน {fy}"

    def bounds_utc(self) -> tuple[datetime, datetime]:
        """Return [start, end) of the period in Bangkok time, as UTC instants."""
        return self.months[0].bounds_utc()[0], self.months[-1].bounds_utc()[1]


def fiscal_months(fiscal_year: int) -> tuple[Month, ...]:
    """Return the twelve months of a fiscal year, October first."""
    start = Month(fiscal_year - BE_OFFSET - 1, 10)
    months = [start]
    while len(months) < 12:
        months.append(months[-1].next())
    return tuple(months)


def month_period(month: Month) -> Period:
    """Return the period of one month."""
    fy = month.fiscal_year
    return Period(fy, "month", fiscal_months(fy).index(month) + 1, (month,))


def quarter(fiscal_year: int, number: int) -> Period:
    """Return fiscal quarter 1-4 (Q1 = Oct–Dec)."""
    if not 1 <= number <= 4:
        raise ValueError("a fiscal year has quarters 1 to 4")
    return Period(fiscal_year, "quarter", number, fiscal_months(fiscal_year)[3 * (number - 1):3 * number])


def half(fiscal_year: int, number: int) -> Period:
    """Return fiscal half 1 (Oct–Mar) or 2 (Apr–Sep)."""
    if number not in (1, 2):
        raise ValueError("a fiscal year has halves 1 and 2")
    return Period(fiscal_year, "half", number, fiscal_months(fiscal_year)[6 * (number - 1):6 * number])


def whole_year(fiscal_year: int) -> Period:
    """Return the whole fiscal year."""
    return Period(fiscal_year, "year", 1, fiscal_months(fiscal_year))


def period_from_options(fiscal_year: int, month: str | None = None, quarter_number: int | None = None,
                        half_number: int | None = None) -> Period:
    """Return the period the command-line options name (the whole year when none is given)."""
    chosen = [o for o in (month, quarter_number, half_number) if o]
    if len(chosen) > 1:
        raise ValueError("เลือกได้เพียงอย่างเดียว: เดือน ไตรมาส หรือครึ่งปี")
    if month:
        period = month_period(Month.parse(month))
        if period.fiscal_year != fiscal_year:
            first, last = fiscal_months(fiscal_year)[0], fiscal_months(fiscal_year)[-1]
            raise ValueError(
                f"เดือน {month} ({period.months[0].label_full()}) อยู่ในปีงบประมาณ พ.ศ. {period.fiscal_year} "
                f"ไม่ใช่ {fiscal_year}: ใช้ --fy {period.fiscal_year} --month {period.months[0].be_iso()} "
                f"หรือเลือกเดือนของปีงบประมาณ พ.ศ. {fiscal_year} ตั้งแต่ {first.be_iso()} ({first.label_short()}) "
                f"ถึง {last.be_iso()} ({last.label_short()})")
        return period
    if quarter_number:
        return quarter(fiscal_year, quarter_number)
    if half_number:
        return half(fiscal_year, half_number)
    return whole_year(fiscal_year)


def period_from_key(key: str) -> Period:
    """Parse a period key (2568-03, 2568-Q2, 2568-H1, 2568) back into its period, or raise ValueError."""
    text = key.strip().upper()
    year_text, _, rest = text.partition("-")
    if not year_text.isdigit() or int(year_text) < 2400:
        raise ValueError(f"not a period: {key}")
    fiscal_year = int(year_text)
    if not rest:
        return whole_year(fiscal_year)
    if rest[0] == "Q" and rest[1:].isdigit():
        return quarter(fiscal_year, int(rest[1:]))
    if rest[0] == "H" and rest[1:].isdigit():
        return half(fiscal_year, int(rest[1:]))
    if rest.isdigit():
        return month_period(Month.parse(text))
    raise ValueError(f"not a period: {key}")
