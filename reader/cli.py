"""The `reader` command: open the reading view, or run a headless command.

    reader DIR | FILE FILE ...          open the reading view
    reader align DIR [--json]           print the alignment (JSON for scripts)
    reader export DIR --format FMT      export the saved marks (or --matches)

Kept cheap to import: Textual and the aligner load only when a command needs them.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from reader import __version__
from reader.core.export.render import FORMATS
from reader.core.visible import one_line

COMMANDS = ("view", "align", "export", "link", "unlink", "links")

EPILOG = """commands:
  reader PATH...            open the reading view (same as: reader view PATH...)
  reader align PATH...      align the sources and print a summary, or --json for scripts
  reader export PATH... --format md|json|csv|html
                            export the saved marks, or --matches: the shared passages
  reader link PATH... FILE:N FILE:M
                            correct the alignment: these two sentences are counterparts
  reader unlink PATH... FILE:N FILE:M
                            correct the alignment: these two sentences are not
  reader links PATH... [--json]
                            list the corrections saved for these sources

Run 'reader align --help' for the options of a command."""


#: the largest --max-size: files cannot be larger (8 EiB)
MAX_SIZE_LIMIT = 2**63 - 1


def _max_size(value: str) -> int:
    """``--max-size`` in MiB (1,048,576 bytes) -> bytes: at least one byte, and no more
    than any file can be (never a silent change to the default, never a traceback)."""
    shown = one_line(value)
    try:
        mib = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of MiB: {shown!r}") from None
    if not math.isfinite(mib) or mib <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of MiB above 0: {shown!r}")
    size = mib * 1024 * 1024
    if size < 1:
        raise argparse.ArgumentTypeError(f"{shown} MiB is less than one byte")
    if not math.isfinite(size) or size > MAX_SIZE_LIMIT:
        raise argparse.ArgumentTypeError(
            f"{shown} MiB is more than any file can be (at most {MAX_SIZE_LIMIT >> 20} MiB)"
        )
    return int(size)


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a folder of text versions (every non-hidden file in it) or two or more files",
    )
    p.add_argument(
        "--max-size",
        type=_max_size,
        default=None,
        metavar="MiB",
        help="largest file accepted, in MiB of 1,048,576 bytes (default 50)",
    )


class _Parser(argparse.ArgumentParser):
    """Usage errors on one line (the README's promise for every bad input), with where
    to find the usage."""

    def error(self, message: str) -> NoReturn:
        _say("error", f"{message} (see {self.prog} --help)")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reader",
        description="Read several versions of the same story side by side, sentence-aligned.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--config-path",
        action="store_true",
        help="print where the settings file is (theme, sync, keymap, export defaults) and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    view = sub.add_parser("view", help="open the reading view (the default command)")
    _add_inputs(view)
    al = sub.add_parser(
        "align",
        help="align the sources and print the result",
        description="Align the sentences of every source with every other. "
        "Sources in different languages are aligned with a "
        "multilingual sentence encoder: pip install "
        "'reader[multilingual]'.",
    )
    _add_inputs(al)
    al.add_argument(
        "--json",
        action="store_true",
        help="print the alignment as JSON (sources, sentence offsets, links, "
        "groups, matched spans, shared passages)",
    )
    al.add_argument(
        "--no-spans",
        action="store_true",
        help="with --json: leave out matched word spans and shared passages",
    )
    al.add_argument("--text", action="store_true", help="with --json: include sentence texts")
    _add_strictness(al)
    al.add_argument(
        "--explain",
        metavar="FILE:N",
        help="explain one sentence (FILE as in the pane title, N its number "
        "from 1): its counterparts and related sentences, with confidence "
        "and the words that matched",
    )
    al.add_argument(
        "--no-corrections",
        action="store_true",
        help="the aligner's own links, without the corrections saved beside the sources",
    )
    al.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    for op, what in (
        ("link", "are counterparts (a link with confidence 1, whatever the aligner says)"),
        ("unlink", "are not counterparts (the aligner's link is removed for good)"),
    ):
        cmd = sub.add_parser(
            op,
            help=f"correct the alignment: two sentences {what.split(' (')[0]}",
            description=f"Record that two sentences {what}. The correction is saved "
            "beside the marks (.reader-marks.json in the folder of the first path), "
            "merged with what another reader saved, and used by the reading view, "
            "'reader align' and 'reader export'.",
        )
        cmd.add_argument(
            "items",
            nargs="+",
            metavar="PATH... FILE:N FILE:M",
            help="the sources (a folder or files), then two sentences: FILE as in the "
            "pane title, N the sentence number shown in the app, from 1",
        )
        cmd.add_argument(
            "--max-size",
            type=_max_size,
            default=None,
            metavar="MiB",
            help="largest file accepted, in MiB of 1,048,576 bytes (default 50)",
        )
    ls = sub.add_parser(
        "links",
        help="list the corrections of the alignment saved for these sources",
        description="List the links added and removed by hand for these sources, "
        "each with the two sentences as they are now (FILE:N), and the corrections "
        "that could not be found again in the texts.",
    )
    _add_inputs(ls)
    ls.add_argument("--json", action="store_true", help="print the list as JSON")
    ex = sub.add_parser(
        "export",
        help="export the saved marks or the shared passages",
        description="Export the marks saved for these sources (the "
        ".reader-marks.json file in their folder), each with its "
        "counterparts in the other sources, or with --matches the "
        "passages the sources share verbatim.",
    )
    _add_inputs(ex)
    ex.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        required=True,
        help="Markdown, W3C Web Annotation JSON, CSV or a self-contained HTML page",
    )
    ex.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    ex.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    ex.add_argument(
        "--matches",
        action="store_true",
        help="export the passages shared verbatim (no marks needed)",
    )
    _add_strictness(ex)
    return parser


def _add_strictness(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strictness",
        choices=("strict", "normal", "loose"),
        default="normal",
        help="what counts as a counterpart: strict links only the surest pairs, "
        "loose also the doubtful ones (default normal)",
    )


def _say(kind: str, message: str) -> None:
    """One line on stderr, shown literally (escape sequences in file names, marks and
    text made visible: reader.core.visible, the sanitiser of every surface)."""
    print(f"reader: {kind}: {one_line(message)}", file=sys.stderr)


def _fail(message: str, code: int = 2) -> int:
    _say("error", message)
    return code


def _warn(message: str) -> None:
    _say("warning", message)


def _load(args: argparse.Namespace):
    from reader.core.text.load import DEFAULT_MAX_BYTES, load_paths

    limit = DEFAULT_MAX_BYTES if args.max_size is None else args.max_size
    loaded = load_paths(args.paths, max_bytes=limit)
    for w in loaded.warnings:
        _warn(w)
    return loaded


def _cmd_align(args: argparse.Namespace) -> int:
    from reader.core.alignment.report import summary, to_json_text

    for flag, given in (("--text", args.text), ("--no-spans", args.no_spans)):
        if given and not args.json:  # never silently ignored
            return _fail(f"{flag} shapes the JSON output: add --json")
    loaded = _load(args)
    if len(loaded.documents) < 2:
        return _fail(f"need at least two usable text files to align, found {len(loaded.documents)}")
    from reader.core.visible import json_text

    if args.output:  # before the work: an existing file is refused at once
        refused = _refuse_output(args.output)
        if refused:
            return _fail(refused)
    import gc

    from reader.core.text.segment import segment

    gc.disable()  # a batch command: see reader.core.alignment.collection
    sources = segment(loaded.documents)
    if args.explain is not None:  # a bad reference is refused before the work
        from reader.core.alignment.refs import RefError, parse_ref

        try:
            source, sentence = parse_ref(args.explain, sources)
        except RefError as exc:
            return _fail(str(exc))
    al = _aligned(args.paths, sources, args.strictness, not args.no_corrections)
    for note in al.notes:
        _warn(note)
    if args.explain is not None:
        from reader.core.alignment import explain

        if args.json:
            out = json_text(explain.to_json(al, source, sentence), separators=(",", ":"))
        else:
            out = explain.to_text(al, source, sentence)
    elif args.json:
        out = to_json_text(al, spans=not args.no_spans, text=args.text)
    else:
        out = summary(al)
    if args.output:
        from reader.core.export.render import ExportError, write_export

        try:  # atomic: a full disk or a kill leaves no partial file behind
            write_export(args.output, out + "\n")
        except ExportError as exc:
            return _fail(str(exc))
        return 0
    return _print(out + "\n")


def _segment(loaded):
    from reader.core.text.segment import segment

    return segment(loaded.documents)


def _aligned(paths: Sequence[str], sources, strictness: str | None, corrections: bool = True):
    """The alignment of ``sources`` with the corrections saved for ``paths`` (lost ones
    and a sidecar that cannot be read are warned about, one line each)."""
    from reader.core.alignment.pipeline import align_sources

    fixed = None
    if corrections and len(sources) > 1:
        from reader.cli_corrections import saved_corrections

        resolved, problems = saved_corrections(paths, sources)
        for line in problems:
            _warn(line)
        fixed = resolved.corrections
    return align_sources(sources, strictness=strictness, corrections=fixed)


def _refuse_output(path: str, force: bool | None = None) -> str | None:
    """Why ``-o path`` cannot be written, when that is known before any work: it
    exists (without --force; None: the command has no --force), or it is a folder,
    FIFO, device or socket (never replaced, even with --force)."""
    import stat

    from reader.core.fs import display_path, kind_of

    shown = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        return f"{shown} is a folder; give a file name"
    if mode is not None and not stat.S_ISREG(mode):
        return f"{shown} is {kind_of(mode)}, not a regular file; not writing to it"
    if not force and os.path.lexists(path):
        return f"{shown} exists; not overwriting it" + ("" if force is None else " (use --force)")
    return None


def _cmd_export(args: argparse.Namespace) -> int:
    import gc

    from reader.core.export.passages import collect_marks, collect_matches
    from reader.core.export.render import ExportError, render, write_export

    gc.disable()  # a batch command: see reader.core.alignment.collection
    loaded = _load(args)
    if args.output:  # before the work: an existing file is refused at once
        refused = _refuse_output(args.output, args.force)
        if refused:
            return _fail(refused)
    if args.matches:
        data = collect_matches(_aligned(args.paths, _segment(loaded), args.strictness))
    else:
        from reader.core.fs import display_path
        from reader.core.marks.marks import orphaned_report, reanchor_marks
        from reader.core.marks.storage import load_marks, marks_path

        path = marks_path(args.paths)
        result = load_marks(path, move_corrupt=False)  # a headless export changes nothing
        if result.warnings:
            return _fail(result.warnings[0])  # before the alignment, not after
        if not result.marks:
            _warn(
                f"no marks saved in {display_path(path)}; exporting none (--matches "
                "exports the shared passages)"
            )
        al = _aligned(args.paths, _segment(loaded), args.strictness)
        marks = reanchor_marks(result.marks, al.sources)
        for line in orphaned_report(marks):
            _warn(line)
        data = collect_marks(al, marks)
    out = render(data, args.format)
    if args.output:
        try:
            write_export(args.output, out, force=args.force)
        except ExportError as exc:
            return _fail(str(exc))
    else:
        return _print(out)
    return 0


def _print(text: str) -> int:
    """Write ``text`` to standard output, which may have been closed (``>&-``)."""
    if sys.stdout is None:
        return _fail("standard output is closed; give -o FILE to write to a file")
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a terminal set to ASCII or Latin-1: the exports are UTF-8
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _cmd_view(args: argparse.Namespace) -> int:
    loaded = _load(args)  # first, so a wrong path is reported as such
    # Textual reads keys from stdin and paints on stderr (stdout stays free): without a
    # terminal there it would write escape codes into a file and wait for keys forever
    if not all(s is not None and s.isatty() for s in (sys.__stdin__, sys.__stderr__)):
        return _fail(
            "the reading view needs a terminal; for scripts use 'reader align "
            "PATH --json' or 'reader export PATH --format FMT'"
        )
    import gc

    from reader.ui.align_process import start

    gc.disable()  # until the first aligned frame: the app turns it on (ui/collector.py)

    # the alignment starts now, in a process of its own, while this one loads the
    # interface (before Textual is imported: no thread yet, so fork is safe)
    process = start(loaded.documents)
    try:
        from reader.core.marks.storage import marks_path
        from reader.settings import load_settings
        from reader.ui.app import ReaderApp

        settings, problem = load_settings()  # a bad file: one line, and the defaults
        warnings = loaded.warnings + ([problem] if problem else [])
        # the marks file of these arguments: the same rule as 'reader export' (first path)
        app = ReaderApp(
            loaded.documents,
            warnings=warnings,
            marks_path=marks_path(args.paths),
            exit_on_signals=True,
            settings=settings,
            align_process=process,
        )
        app.run()
    finally:
        if process is not None:
            process.close()
    return after_view(app.exit_errors, app.return_code)


def after_view(errors: Sequence[str], return_code: int | None) -> int:
    """What the closed reading view could no longer show (a failed last save of the
    marks), one line each on stderr, once the terminal is restored; exit code 1 for it
    unless a signal already decided the code."""
    for error in errors:
        _say("error", error)
    return return_code or (1 if errors else 0)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if (argv and argv[0] not in COMMANDS and not argv[0].startswith("-")) or (
        argv
        and argv[0].startswith("-")
        and argv[0] not in ("-h", "--help", "--version", "--config-path")
    ):
        argv.insert(0, "view")
    parser = build_parser()
    if not argv:
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if args.config_path:
        from reader.settings import config_path

        return _print(f"{config_path()}\n")
    from reader.core.text.load import SourceError

    try:
        if args.command == "align":
            return _cmd_align(args)
        if args.command == "export":
            return _cmd_export(args)
        if args.command in ("link", "unlink"):
            from reader.cli_corrections import cmd_link

            return cmd_link(args.items, args.max_size, args.command)
        if args.command == "links":
            from reader.cli_corrections import cmd_links

            return cmd_links(args.paths, args.max_size, args.json)
        return _cmd_view(args)
    except SourceError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (for the rest of the process)
        except OSError:
            pass
        return 0
    except MemoryError:
        return _fail("out of memory", 1)
    except OSError as exc:  # a path the checks above did not foresee: still one line, 2
        from reader.core.fs import display_path

        where = f": {display_path(exc.filename)}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    except Exception as exc:  # never a traceback for the user
        return _fail(f"unexpected {type(exc).__name__}: {exc}", 1)
