"""gunicorn's settings for the platform's web servers (gunicorn reads ``./gunicorn.conf.py``
from the directory it starts in; ``--config gunicorn.conf.py`` says so explicitly).

Each worker is a fork of a master that has already loaded the application (``preload_app``),
so the workers share the master's memory until they write to it. Python's garbage collector
writes to every object it examines, so the objects the master holds are frozen before each
fork (``gc.freeze``): the collector leaves them alone and their pages stay shared. Measured by
``make bench`` (2 workers): each worker's own memory (USS) 45–53 MB instead of 75–86 MB
without the freeze, and 103 MB without preloading (each worker then loads the application
itself).

With ``preload_app``, ``kill -HUP`` restarts the workers on the code the master loaded: deploy
new code by restarting gunicorn.

Command-line options (``--bind``, ``--workers`` …) and ``GUNICORN_CMD_ARGS`` add to these.
"""

import gc

preload_app = True
# The access log (with --access-logfile) names the path without its query string (%(U)s, not
# %(r)s) and no Referer: a saved report's link carries its one-time token in the query string
# (reporting/save_and_return.py).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'


def when_ready(server):
    # In the master, once the application is loaded and before the first fork: templates,
    # translations and cache clients that each worker would otherwise load for itself.
    from solh.warmup import load_before_fork

    load_before_fork()


def pre_fork(server, worker):
    gc.freeze()
