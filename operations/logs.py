"""The log's format: one line per record, so that an operator can grep for it.

A failed request reads

    2026-11-29 21:04:05,123 ERROR django.request: 500 GET /tr/tour/ RuntimeError: boom

with its traceback below, indented. Control characters in the path or the
message are escaped, so that no request can write a line of its own.
"""

import logging


class Formatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record):
        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        if request is not None and status is not None and hasattr(request, "path"):
            summary = f"{status} {request.method} {request.path}"
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                summary += f" {type(error).__name__}: {error}"
            else:
                summary += f" {record.getMessage()}"
            return f"{record.asctime} {record.levelname} {record.name}: {one_line(summary)}"
        return one_line(super().formatMessage(record))

    def formatException(self, exc_info):
        return "\n".join(f"    {line}" for line in super().formatException(exc_info).splitlines())


def one_line(text):
    """`text` with line breaks and other control characters escaped."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode() for char in text
    )


class AsWarning(logging.Filter):
    """Record what passes as a warning without its traceback: for requests naming a
    host the site does not serve (scanners, misdirected clients), which are no
    error of ours, so the admins are not mailed (their handler takes errors only)."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
