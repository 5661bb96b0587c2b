"""The `reader` command: open the reading view, or run a headless command.

    reader DIR | FILE FILE ...          open the reading view
    reader align DIR [--json]           print the alignment (JSON for scripts)
    reader export DIR --format FMT      export the saved marks (or --matches)

Kept cheap to import: Textual and the aligner load only when a command needs them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence

from reader import __version__

COMMANDS = ("view", "align", "export")

EPILOG = """commands:
  reader PATH...            open the reading view (same as: reader view PATH...)
  reader align PATH...      align the sources and print a summary, or --json for scripts
  reader export PATH... --format md|json|csv|html
                            export the saved marks, or --matches: the shared passages

Run 'reader align --help' for the options of a command."""


def _max_size(value: str) -> int:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {value!r}")
    if not math.isfinite(mb) or mb <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of megabytes above 0: {value!r}")
    return int(mb * 1024 * 1024)


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a folder of text versions (every non-hidden file in it) or two or more files")
    p.add_argument("--max-size", type=_max_size, default=None, metavar="MB",
                   help="largest file accepted, in megabytes (default 50)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read several versions of the same story side by side, sentence-aligned.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    view = sub.add_parser("view", help="open the reading view (the default command)")
    _add_inputs(view)
    al = sub.add_parser("align", help="align the sources and print the result",
                        description="Align the sentences of every source with every other.")
    _add_inputs(al)
    al.add_argument("--json", action="store_true",
                    help="print the alignment as JSON (sources, sentence offsets, links, "
                         "groups, matched spans, shared passages)")
    al.add_argument("--no-spans", action="store_true",
                    help="with --json: leave out matched word spans and shared passages")
    al.add_argument("--text", action="store_true", help="with --json: include sentence texts")
    al.add_argument("--strictness", choices=("strict", "normal", "loose"), default="normal",
                    help="what counts as a counterpart: strict links only the surest pairs, "
                         "loose also the doubtful ones (default normal)")
    al.add_argument("--explain", metavar="FILE:N",
                    help="explain one sentence (FILE as in the pane title, N its number "
                         "from 1): its counterparts and related sentences, with confidence "
                         "and the words that matched")
    al.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    ex = sub.add_parser("export", help="export the saved marks or the shared passages",
                        description="Export the marks saved for these sources (the "
                                    ".reader-marks.json file in their folder), each with its "
                                    "counterparts in the other sources, or with --matches the "
                                    "passages the sources share verbatim.")
    _add_inputs(ex)
    ex.add_argument("--format", "-f", choices=("md", "json", "csv", "html"), required=True,
                    help="Markdown, W3C Web Annotation JSON, CSV or a self-contained HTML page")
    ex.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    ex.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    ex.add_argument("--matches", action="store_true",
                    help="export the passages shared verbatim (no marks needed)")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"reader: error: {message}", file=sys.stderr)
    return code


def _load(args: argparse.Namespace):
    from reader.core.sources import DEFAULT_MAX_BYTES, load_paths

    loaded = load_paths(args.paths, max_bytes=args.max_size or DEFAULT_MAX_BYTES)
    for w in loaded.warnings:
        print(f"reader: warning: {w}", file=sys.stderr)
    return loaded


def _cmd_align(args: argparse.Namespace) -> int:
    from reader.core.align import align
    from reader.core.report import summary, to_json

    loaded = _load(args)
    if len(loaded.documents) < 2:
        return _fail("need at least two usable text files to align, found "
                     f"{len(loaded.documents)}")
    al = align(loaded.documents, strictness=args.strictness)
    for note in al.notes:
        print(f"reader: warning: {note}", file=sys.stderr)
    if args.explain is not None:
        from reader.core import explain
        from reader.core.refs import RefError, parse_ref

        try:
            source, sentence = parse_ref(args.explain, al.sources)
        except RefError as exc:
            return _fail(str(exc))
        if args.json:
            out = json.dumps(explain.to_json(al, source, sentence), ensure_ascii=False,
                             separators=(",", ":"))
        else:
            out = explain.to_text(al, source, sentence)
    elif args.json:
        out = json.dumps(to_json(al, spans=not args.no_spans, text=args.text),
                         ensure_ascii=False, separators=(",", ":"))
    else:
        out = summary(al)
    if args.output:
        from reader.core.sources import display_path

        if os.path.exists(args.output):
            return _fail(f"{display_path(args.output)} exists; not overwriting it")
        try:
            with open(args.output, "x", encoding="utf-8") as fh:
                fh.write(out + "\n")
        except OSError as exc:
            return _fail(f"cannot write {display_path(args.output)}: {exc.strerror}")
    else:
        return _print(out + "\n")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from reader.core.align import align
    from reader.core.export import ExportError, collect_marks, collect_matches, render, write_export

    loaded = _load(args)
    if args.matches:
        data = collect_matches(align(loaded.documents))
    else:
        from reader.core.marks import orphaned_report, reanchor_marks
        from reader.core.sources import display_path
        from reader.core.storage import load_marks, marks_path

        path = marks_path(args.paths)
        result = load_marks(path, move_corrupt=False)  # a headless export changes nothing
        if result.warnings:
            return _fail(result.warnings[0])  # before the alignment, not after
        if not result.marks:
            print(f"reader: warning: no marks saved in {display_path(path)}; "
                  "exporting none (--matches exports the shared passages)", file=sys.stderr)
        al = align(loaded.documents)
        marks = reanchor_marks(result.marks, al.sources)
        for line in orphaned_report(marks):
            print(f"reader: warning: {line}", file=sys.stderr)
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
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _cmd_view(args: argparse.Namespace) -> int:
    loaded = _load(args)  # first, so a wrong path is reported as such
    # Textual reads keys from stdin and paints on stderr (stdout stays free): without a
    # terminal there it would write escape codes into a file and wait for keys forever
    if not all(s is not None and s.isatty() for s in (sys.__stdin__, sys.__stderr__)):
        return _fail("the reading view needs a terminal; for scripts use 'reader align "
                     "PATH --json' or 'reader export PATH --format FMT'")
    from reader.ui.app import ReaderApp

    app = ReaderApp(loaded.documents, warnings=loaded.warnings)
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "view")
    elif argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "view")
    parser = build_parser()
    if not argv:
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    from reader.core.sources import SourceError

    try:
        if args.command == "align":
            return _cmd_align(args)
        if args.command == "export":
            return _cmd_export(args)
        return _cmd_view(args)
    except SourceError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except MemoryError:
        return _fail("out of memory", 1)
    except Exception as exc:  # never a traceback for the user
        return _fail(f"unexpected {type(exc).__name__}: {exc}", 1)
