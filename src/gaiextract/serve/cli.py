"""``gaiextract serve``: the HTTP service under uvicorn (needs ``gaiextract[serve]``)."""
from __future__ import annotations

import signal

import click

from ..clikit import checked_grammar
from .settings import DEFAULT_SETTINGS, MAX_PORT


@click.command("serve")
@click.option("--host", default=DEFAULT_SETTINGS.host, show_default=True,
              help="Address to bind (the loopback address unless told otherwise; 0.0.0.0 = every interface).")
@click.option("--port", default=DEFAULT_SETTINGS.port, show_default=True, type=click.IntRange(1, MAX_PORT))
@click.option("--workers", default=0, type=click.IntRange(min=0),
              help="Extraction worker processes (default: one per CPU).")
@click.option("--db", help="Also write job results to this database (SQLite path or SQLAlchemy URL); "
                           "jobs then survive a restart.")
@click.option("--jobs-dir", type=click.Path(file_okay=False),
              help="Where jobs keep their files (default: beside a SQLite --db, else a temporary folder).")
@click.option("--token", envvar="GAIEXTRACT_TOKEN", show_envvar=True,
              help="Ask every /v1/ request for 'Authorization: Bearer TOKEN'.")
@click.option("--timeout", default=DEFAULT_SETTINGS.timeout, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds one document may take in a worker.")
@click.option("--max-in-flight", type=click.IntRange(min=1),
              help="Documents accepted at once, running or waiting (default: 4 per worker); beyond: 503.")
@click.option("--max-upload", type=click.IntRange(min=1),
              help="Largest document upload in bytes (default: the library's input limit, 200 MiB); beyond: 413.")
@click.option("--upload-idle-timeout", default=DEFAULT_SETTINGS.upload_idle_s, show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Seconds an upload may send nothing before it is cut off (400).")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Allow browser pages from this origin to call the API (repeatable; none by default).")
@click.option("--grammar", type=click.Path(file_okay=False), callback=checked_grammar,
              help="A grammar directory every report is read with (docs/grammar.md).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_command(host, port, workers, db, jobs_dir, token, timeout, max_in_flight, max_upload,
                  upload_idle_timeout, cors_origins, grammar, log_level):
    """Serve reports over HTTP: POST /v1/extract, /v1/inspect, /v1/jobs; a page at /.

    See docs/serve.md. Needs the serve extra: pip install 'gaiextract[serve]'.
    """
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise click.UsageError(f"serve needs the 'serve' extra ({exc.name or exc} is missing): "
                               "pip install 'gaiextract[serve]'") from None
    from .settings import ServeSettings

    settings = ServeSettings(host=host, port=port, workers=workers, db=db, jobs_dir=jobs_dir, token=token or None,
                             timeout=timeout, max_in_flight=max_in_flight or 0, upload_idle_s=upload_idle_timeout,
                             cors_origins=tuple(cors_origins), grammar=grammar, **({"max_upload_bytes": max_upload} if max_upload else {}))
    try:
        app = create_app(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"gaiextract serve: http://{'[' + host + ']' if ':' in host else host}:{port}/ "
               f"({settings.worker_count} workers{', token required' if token else ''})", err=True)
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler it found:
    # let that be a normal exit, so that exit handlers run (multiprocessing removes its folder)
    signal.signal(signal.SIGTERM, _exit)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)


def _exit(signum, frame):
    raise SystemExit(0)
