"""Time as whole minutes since the first day's midnight (Asia/Shanghai, +08:00 all year, like the three sites),
formatted for COPY from a per-day cache: millions of timestamps without datetime arithmetic."""

from datetime import date, timedelta

DAY = 1440
YEARS = 3
# Visits per month (Jan = 1): busy before the Spring Festival and the October holiday, quiet in February.
MONTH_WEIGHT = {1: 1.25, 2: 0.7, 3: 0.95, 4: 1.0, 5: 1.0, 6: 0.95, 7: 1.05, 8: 1.0, 9: 1.05, 10: 1.1, 11: 1.0,
                12: 1.1}
# Monday = 0: weekends are the busiest days of a 4S store.
WEEKDAY_WEIGHT = (0.9, 0.85, 0.85, 0.9, 0.95, 1.35, 1.2)


class Clock:
    def __init__(self, today: date, *, slack_days: int = 400):
        self.today = today
        self.first = date(today.year - YEARS, today.month, min(today.day, 28)) + timedelta(days=1)
        self.today_index = (today - self.first).days
        span = self.today_index + slack_days
        self.days = [self.first + timedelta(days=n) for n in range(span)]
        self.day_text = [d.isoformat() for d in self.days]
        self.hm = [f" {h:02d}:{m:02d}:00+08" for h in range(24) for m in range(60)]

    def ts(self, minute: int) -> str:
        return self.day_text[minute // DAY] + self.hm[minute % DAY]

    def day(self, minute: int) -> str:
        return self.day_text[minute // DAY]

    def date_of(self, minute: int) -> date:
        return self.days[minute // DAY]

    def minute_of(self, day: date, hour: int = 0, minute: int = 0) -> int:
        return (day - self.first).days * DAY + hour * 60 + minute

    def per_day(self, total: int) -> list[int]:
        """`total` visits spread over the days before today by season and weekday, growing ~15% over the years."""
        n = self.today_index
        weights = [MONTH_WEIGHT[d.month] * WEEKDAY_WEIGHT[d.weekday()] * (0.92 + 0.15 * i / n)
                   for i, d in enumerate(self.days[:n])]
        scale, counts, carry = total / sum(weights), [], 0.0
        for weight in weights:
            carry += weight * scale
            counts.append(int(carry))
            carry -= int(carry)
        counts[-1] += total - sum(counts)
        return counts
