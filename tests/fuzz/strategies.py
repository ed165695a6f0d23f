"""What a careless or hostile user types: the hand-picked strings every free-text field and search must
survive, and Hypothesis strategies that mix them with arbitrary text and number-like input."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ONE_MB = "长" * (1024 * 1024 // 3)  # ≈ 1 MB once UTF-8 encoded

HOSTILE_STRINGS = {
    "nul": "before\x00after",
    "only_nul": "\x00",
    "one_mb": ONE_MB,
    "emoji": "车辆 🚗💥 👨‍👩‍👧 ok",
    "rtl": "\u202eplate\u202c \u200fسيارة\u200e",
    "zero_width": "\ufeff\u200b\u2060",
    "html": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "sql": "' OR 1=1 --",
    "sql_drop": "x'); DROP TABLE customers_customer;--",
    "like": "%_\\%",
    "template": "{{ 7*7 }}{% debug %}",
    "format": "%s%n%(x)s{0}",
    "crlf": "line1\r\nline2\rline3",
    "whitespace": "   \t  ",
    "lone_surrogate_escape": "\\ud800",
}

NUMBER_LIKE = ["", " ", "0", "-1", "0.001", "1e3", "1e309", "-0", "NaN", "Infinity", "-Infinity", "1,000.00",
               "１２３", "١٢٣", "9" * 40, "12.345", "0x10", "１.５", "\x00", "1\x00"]

SETTINGS = settings(max_examples=25, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


def free_text(max_size: int = 300):
    return st.one_of(st.sampled_from(sorted(HOSTILE_STRINGS.values())), st.text(max_size=max_size))


def number_text():
    return st.one_of(st.sampled_from(NUMBER_LIKE), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                     st.integers(min_value=-10**15, max_value=10**15).map(str), st.text(max_size=12))


def choice_text(choices):
    return st.one_of(st.sampled_from(list(choices)), st.text(max_size=12))
