"""The embedded default of `make run`: SQLite, a file-system broker, demo data."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
