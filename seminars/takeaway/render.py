"""PDFs rendered once per content version, after the commit, in a separate process.

Why not a task queue: django-tasks (the backport of Django 6's tasks) is not installed and needs a
worker process beside the web server; here the web process starts `manage.py render_pdfs` itself,
only when there is something to render, and that process ends when the work is done. So
`make run` (or gunicorn) stays the one command that serves everything.

- After the commit of a change to an edition (any content model: see `connect`), the edition is
  asked for (`request_render`); a change to a city, an organization or the site settings asks
  for every published edition, rendered again even when their version did not move (`force`).
- A request is a file `var/pdf/requests/<seminar id>`; a runner claims it by renaming it, so two
  runners never render the same request. At most `PDF_RENDER_PROCESSES` runners (default 1) run
  at once, each holding one lock file of `var/pdf/runners/`: never more concurrent renders.
  The worker that starts a runner locks its slot and hands it over, so a burst of requests
  starts one runner, not one per request while the first is still importing.
- The runner runs at nice 19, in the web server's session: the pages come first.
- A visitor's request for a PDF not stored yet asks for its edition and answers 503 at once
  (seminars.takeaway.views): no web worker renders or imports the engine.
- The static copy (seminars.takeaway.export) has what is missing rendered by `manage.py
  render_pdfs` in a process of its own and waits for it (`render_missing_in_child`): WeasyPrint,
  its fonts and caches never enter the crawling process (in it, they took it from 97 to over
  320 MiB at 101 editions).
"""

import fcntl
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import override

from . import store

logger = logging.getLogger(__name__)
ALL = "all"
FORCE = "force"
ASK_AGAIN_SECONDS = 5
REQUEST_RETRY_SECONDS = 120  # a request older than this, still unclaimed: start a runner again


def processes():
    return max(1, int(getattr(settings, "PDF_RENDER_PROCESSES", 1)))


def requests_dir():
    return store.root() / "requests"


def runners_dir():
    return store.root() / "runners"


# --- rendering (the runner's process, or the static copy's) ---------------------------------


def render_edition(seminar, force=False, kinds=None, languages=None):
    """Render and store the PDFs the edition offers that are not stored for its version yet.

    `seminar` comes from `Seminar.objects.published().for_detail()`. The version is read before
    the content, so a file is never named after a version newer than what it shows. `kinds` and
    `languages` narrow the work (default: every kind offered, both languages).
    """
    from .pdf import render_pdf
    from .programme import LANGUAGES, pdf_context

    version = store.version_of(seminar.pk)
    written = []
    for kind in store.offered_kinds(seminar):
        if kinds is not None and kind not in kinds:
            continue
        for language in languages or LANGUAGES:
            path = store.stored_path(seminar.pk, kind, language, version)
            if path.exists() and not force:
                continue
            with override(language):
                template_name, context = pdf_context(seminar, kind)
                write_atomically(path, render_pdf(template_name, context))
            store.remove_older(seminar.pk, kind, language, keep=path)
            written.append(path)
    return written


def write_atomically(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def render_missing(seminar_ids=None, force=False):
    """Render what is missing for these published editions (all when None); the paths written."""
    from seminars.models import Seminar

    editions = Seminar.objects.published().for_detail().order_by("edition")
    if seminar_ids is not None:
        editions = editions.filter(pk__in=seminar_ids)
    written = []
    for seminar in editions:
        written += render_edition(seminar, force=force)
    return written


def render_missing_in_child():
    """`manage.py render_pdfs` (what is missing, every published edition) in a process of its
    own, at this process's priority, waited for: (its exit status, its peak RSS in MiB).

    It reads this process's database (a test database too: PDF_RENDER_DATABASE_NAME) and writes
    the same store, named by the same build. Its errors go to this process's standard error.
    """
    manage = Path(settings.BASE_DIR) / "manage.py"
    environment = {
        **os.environ,
        "PDF_RENDER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "PDF_STORE_DIR": str(store.root()),
    }
    if settings.BUILD_ID:  # the build that names the files (a test may set its own)
        environment["DJANGO_BUILD_ID"] = str(settings.BUILD_ID)
    environment.pop(SLOT_ENV, None)
    process = subprocess.Popen(
        [sys.executable, str(manage), "render_pdfs", "-v0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env=environment,
        cwd=settings.BASE_DIR,
    )
    # wait4, not wait: the child's own resource use, peak RSS included (KiB on Linux).
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


SLOT_ENV = "PDF_RENDER_SLOT_FD"  # the runner's slot, locked by the worker that started it


def take_slot():
    """Lock one of the runner lock files: its open file (the lock lives as long as any process
    holds it open), or None when every slot is taken."""
    runners_dir().mkdir(parents=True, exist_ok=True)
    for number in range(processes()):
        handle = open(runners_dir() / f"{number}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        return handle
    return None


def inherited_slot():
    """The slot the starting worker locked and passed on (start_runner), or None."""
    descriptor = os.environ.pop(SLOT_ENV, None)
    if not descriptor:
        return None
    try:
        return os.fdopen(int(descriptor), "a")
    except (OSError, ValueError):
        return None


def release(handle):
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


@contextmanager
def runner_slot():
    """One of the runner lock files, held for the block; None when all are taken."""
    handle = take_slot()
    try:
        yield handle
    finally:
        if handle is not None:
            release(handle)


def claim_requests():
    """Take the pending requests (renamed away, so no other runner takes them): [(id, force)]."""
    claimed = []
    folder = requests_dir()
    if not folder.is_dir():
        return claimed
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        taken = path.with_name(f".claimed-{os.getpid()}-{path.name}")
        try:
            os.rename(path, taken)
        except FileNotFoundError:
            continue  # another runner took it
        force = taken.read_text().strip() == FORCE
        taken.unlink(missing_ok=True)
        claimed.append((path.name, force))
    return claimed


def run_requests():
    """The runner: render every request until none is left; False when no runner slot was free.

    A request written after the last claim found the slot taken and started no runner: so once
    the slot is released, the runner looks again and goes on if it can take a slot back.
    """
    slot = inherited_slot() or take_slot()
    if slot is None:
        return False
    while slot is not None:
        try:
            while claimed := claim_requests():
                for name, force in claimed:
                    try:
                        render_missing(None if name == ALL else [int(name)], force=force)
                    except Exception:  # one edition's failure must not stop the others
                        logger.exception("Rendering the PDFs of %s failed", name)
        finally:
            release(slot)
        slot = take_slot() if pending_requests() else None
    return True


def pending_requests():
    folder = requests_dir()
    return folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir())


def lower_priority():
    """Give the CPU to the web workers first: nice 19 (the runner's command does this at once;
    the site starts it under nice(1) already, so that its imports do not compete either)."""
    os.nice(19 - os.nice(0))


# --- asking for a render (web workers: cheap, no engine) -------------------------------------


_asked = {}  # seminar id → when this process last asked for it (monotonic seconds)


def request_render(seminar_ids, force=False, visitor=False):
    """Ask for the PDFs of these editions (or ALL) to be rendered; start a runner if none runs.

    For a `visitor` (a request met a PDF not stored yet), a web worker that asked for the
    edition in the last seconds does not ask again: a burst of such requests costs no file
    system work. After a change the edition is always asked for (a runner may be rendering the
    version before it).
    """
    now = time.monotonic()
    if visitor:
        seminar_ids = [pk for pk in seminar_ids if now - _asked.get(pk, -1e9) > ASK_AGAIN_SECONDS]
        if not seminar_ids:
            return
    _asked.update(dict.fromkeys(seminar_ids, now))
    folder = requests_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fresh = False
    for seminar_id in seminar_ids:
        path = folder / str(seminar_id)
        if path.exists() and not force and time.time() - path.stat().st_mtime < 30:
            continue  # asked for a moment ago: its runner is on it
        path.write_text(FORCE if force else "")
        fresh = True
    if fresh or stale_requests(folder):
        start_runner()


def stale_requests(folder):
    now = time.time()
    return any(
        now - path.stat().st_mtime > REQUEST_RETRY_SECONDS
        for path in folder.iterdir()
        if not path.name.startswith(".")
    )


def spawn_allowed():
    """Separate processes render only where they can read the same database, and not during
    a test (pytest sets PYTEST_CURRENT_TEST): a renderer still connected to a test database
    would outlive it. settings.PDF_RENDER_SPAWN (True or False) decides explicitly, and the
    environment's PDF_RENDER_SPAWN=0 forbids it: a script that builds data and reads its
    commands' output (bench/run.py) would otherwise wait for a renderer it never asked for."""
    if os.environ.get("PDF_RENDER_SPAWN") == "0":
        return False
    configured = getattr(settings, "PDF_RENDER_SPAWN", None)
    if configured is False or (configured is None and "PYTEST_CURRENT_TEST" in os.environ):
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def start_runner():
    """Start a runner unless one runs or is starting.

    The worker locks the runner's slot itself and hands the locked file to the new process,
    so the slot is taken from the moment of the spawn: the requests of a burst that arrive
    while the runner is still starting (a second or more of imports) start no other one.

    The runner gets a process group of its own (a Ctrl-C meant for `make run` or gunicorn does
    not stop it halfway), not a session of its own: Linux's autogroup scheduling (the default of
    most distributions) shares the CPU between sessions before it looks at nice values, so a
    nice 19 renderer alone in its session took as much CPU as all the web workers together
    (an edition page's p50 832 ms during a PDF burst against 131 ms without it). It starts
    under nice(1), so that even its imports wait for the pages.
    """
    if not spawn_allowed():
        return
    slot = take_slot()
    if slot is None:
        return  # a runner runs or is starting: it claims the new requests too
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "render_pdfs", "--requests"]
    nice = shutil.which("nice")
    if nice:
        command = [nice, "-n", "19", *command]
    environment = {
        **os.environ,
        "PDF_RENDER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        SLOT_ENV: str(slot.fileno()),
    }
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None,  # its errors go to the web server's log
            process_group=0,
            close_fds=True,
            pass_fds=(slot.fileno(),),
            env=environment,
            cwd=settings.BASE_DIR,
        )
    except OSError:  # the content is committed; the PDFs follow on the next request
        logger.exception("Starting the PDF renderer failed")
        return
    finally:
        slot.close()  # without unlocking: the runner's copy of the file keeps the lock
    # Reaped when it ends, so that no finished renderer lingers as a zombie of the worker.
    threading.Thread(target=process.wait, daemon=True).start()


# --- after the commit of a change ------------------------------------------------------------

_models = set()


def edition_changed(instance):
    """Remember the edition (or ALL); once per transaction, after its commit, ask for them."""
    from seminars.record.versions import edition_id_of

    if not connection.in_atomic_block:
        _ask([edition_id_of(instance) or ALL])
        return
    registered = any(entry[1] is _after_commit for entry in connection.run_on_commit)
    if not registered:  # the first change of this transaction (a rolled back one left nothing)
        connection._pdf_editions = set()
        transaction.on_commit(_after_commit, robust=True)
    pending = connection._pdf_editions
    try:
        pending.add(edition_id_of(instance) or ALL)
    except Exception:  # a row being deleted may no longer lead to its edition
        pending.add(ALL)


def _after_commit():
    pending = getattr(connection, "_pdf_editions", set())
    connection._pdf_editions = set()
    _ask(pending)


def _ask(editions):
    try:
        if ALL in editions:
            request_render([ALL], force=True)
        elif editions:
            request_render(sorted(editions))
    except Exception:  # the content is committed; the PDFs are asked for again on a miss
        logger.exception("Asking for the PDFs after a change failed")


def _on_save_or_delete(sender, instance, **kwargs):
    if sender._meta.concrete_model in _models:
        edition_changed(instance)


def _on_m2m_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        if type(instance)._meta.concrete_model in _models:
            edition_changed(instance)


def connect():
    """Called from SeminarsConfig.ready()."""
    from seminars.record.content import content_models

    _models.update(content_models())
    post_save.connect(_on_save_or_delete, dispatch_uid="seminars_pdfs_post_save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="seminars_pdfs_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="seminars_pdfs_m2m_changed")
