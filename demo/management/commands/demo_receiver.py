"""Run the demo force back office: receives report webhooks and lists them on a web page."""

from django.core.management.base import BaseCommand, CommandError

from demo.receiver import Receiver


class Command(BaseCommand):
    help = (
        "Receive report webhooks at http://HOST:PORT/<force-slug>/, checking each signature "
        "with the force's secret and keeping each report once; list them at http://HOST:PORT/, "
        "each with a form to send a signed status update back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument(
            "--secret",
            default="",
            help="The webhook secret of every force (unless --force-secret names its own).",
        )
        parser.add_argument(
            "--force-secret",
            action="append",
            default=[],
            metavar="SLUG=SECRET",
            help="The webhook secret of one force; repeat for each.",
        )
        parser.add_argument(
            "--platform-url",
            default="",
            help=(
                "Where to send status updates (e.g. http://127.0.0.1:8000); the report's site is "
                "named in the Host header. Default: the updates_url each report came with."
            ),
        )
        parser.add_argument("--verbose-requests", action="store_true", help="Log each request.")

    def handle(
        self, *args, host, port, secret, force_secret, platform_url, verbose_requests, **options
    ):
        secrets = {}
        for item in force_secret:
            slug, sep, value = item.partition("=")
            if not sep or not slug or not value:
                raise CommandError(f"--force-secret takes SLUG=SECRET, not {item!r}.")
            secrets[slug] = value
        if not secret and not secrets:
            raise CommandError("Give --secret (every force) or --force-secret SLUG=SECRET.")
        try:
            receiver = Receiver(
                host,
                port,
                secret=secret,
                secrets=secrets,
                quiet=not verbose_requests,
                platform_url=platform_url,
            )
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error.strerror}") from error
        self.stdout.write(
            f"Demo back office: reports listed at {receiver.base_url}/ "
            f"(forces post to {receiver.base_url}/<force-slug>/). Ctrl-C stops it."
        )
        try:
            receiver.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.server.server_close()
