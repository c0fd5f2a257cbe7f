"""The admin's screens, one module each; importing them registers their models."""

from . import articles, blog, exchange, jobs, overview, translators  # noqa: F401
