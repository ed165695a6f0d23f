"""The three-year, three-site benchmark dataset (issue 10): `python bench/make_dataset.py --scale S --seed N`.

Names other scripts rely on (the benchmark suite logs in as these users and reads these sites)."""

SITE_CODES = ("BSH", "BBJ", "BGZ")
BIG_SITE = "BSH"  # half of the volume, and the current day's 150 open jobs for its 20 technicians
PASSWORD = "bench-password"  # every bench user's password (for benchmarks over real HTTP)

ADVISORS_PER_SITE = {"BSH": 12, "BBJ": 9, "BGZ": 9}  # 30 advisors
TECHNICIANS_PER_SITE = 20  # 60 technicians
MANAGER = "bench_manager"  # service manager, member of the three sites (default BSH)
ROLE_USERS = ("foreman", "cashier", "care", "qc", "parts")  # one of each per site: bench_<role>_<site code lower>


def advisor_username(n: int) -> str:
    """n from 1 to 30; the first 12 work at BSH, then 9 at BBJ and 9 at BGZ."""
    return f"bench_advisor_{n}"


def technician_username(n: int) -> str:
    """n from 1 to 60; 1-20 at BSH, 21-40 at BBJ, 41-60 at BGZ."""
    return f"bench_tech_{n}"


def role_username(role: str, site_code: str) -> str:
    """E.g. role_username("foreman", "BSH") -> "bench_foreman_bsh"."""
    return f"bench_{role}_{site_code.lower()}"
