"""JSON over HTTP for the services we call without a client library, with their
errors turned into MachineTranslationError."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from . import MachineTranslationError


def call(url, *, payload=None, kinds=None):
    """The JSON answer of a GET (or, with `payload`, a JSON POST) to `url`.

    `kinds(status, answer)` names the kind of a failure from its status and
    JSON answer; by default a 403 is a refused key, a 429 a quota.
    """
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="GET" if payload is None else "POST",
    )
    try:
        timeout = settings.MACHINE_TRANSLATION_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        try:
            answer = json.load(error)
        except ValueError:
            answer = {}
        kind = (kinds or default_kinds)(error.code, answer)
        raise MachineTranslationError(kind, f"{error.code} {answer}") from error
    except TimeoutError as error:
        raise MachineTranslationError("timeout", str(error)) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise MachineTranslationError("timeout", str(error)) from error
        raise MachineTranslationError("unavailable", str(error)) from error
    except ValueError as error:
        raise MachineTranslationError("unavailable", f"not JSON: {error}") from error


def default_kinds(status, answer):
    return {401: "key", 403: "key", 429: "quota"}.get(status, "unavailable")
