"""gunicorn settings for the benchmarks: Django's request errors go to the server's log.

With DEBUG off and no ADMINS, Django logs a failed request nowhere; the load
test reads the log for "database is locked".
"""

import logging
import sys

graceful_timeout = 5
# Several servers may run at once (a bench and the test suite): no shared control socket.
control_socket_disable = True


def post_worker_init(worker):
    # Django has configured logging by now (the application is loaded).
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.ERROR)
    logging.getLogger("django").addHandler(handler)
