"""The reader's settings: a TOML file in the platform's config folder
(``platformdirs.user_config_path("reader") / "config.toml"``; ``reader --config-path``
prints where). Every key is optional::

    theme = "nord"              # a Textual theme (ctrl+p, themes, lists them)
    sync = true                 # panes scroll in step
    strictness = "normal"       # strict | normal | loose
    words = "auto"              # auto | matches | differences | none (h)

    [export]
    format = "md"               # md | json | csv | html
    folder = ""                 # where the export dialog proposes to write ("": next
                                # to the sources; a relative folder is read against them)

    [keymap]                    # binding id = keys (as in the help screen, ?)
    "sentence.next" = "j,down,ctrl+n"

A file that does not parse gives one line and the defaults; a key with a wrong value
gives one line and that key's default; nothing in it can stop the reader from
starting. What the reader changes in the app (the theme, sync, strictness, words, the
export format) is written back to the file, keeping the rest of it and its comments
(tomlkit), atomically.

Pure (no Textual): the command line reads it to print its path and hand it to the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

FILE_NAME = "config.toml"
LEVELS = ("strict", "normal", "loose")
WORDS = ("auto", "matches", "differences", "none")
EXPORT_FORMATS = ("md", "json", "csv", "html")


def config_path() -> Path:
    """Where the settings live (the file need not exist)."""
    from platformdirs import user_config_path

    return user_config_path("reader", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class Settings:
    theme: str | None = None  # None: Textual's default
    sync: bool = True
    strictness: str = "normal"
    words: str = "auto"
    export_format: str = "md"
    export_folder: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None  # where they were read from (and are saved to)


def _check(doc: dict[str, Any], problems: list[str]) -> Settings:
    def pick(table: dict[str, Any], key: str, kind: type, choices=None, where: str = ""):
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, kind) or (choices is not None and value not in choices):
            allowed = f" (one of {', '.join(choices)})" if choices else ""
            problems.append(f"{where}{key} = {value!r} is not valid{allowed}")
            return None
        return value

    known = {"theme", "sync", "strictness", "words", "export", "keymap"}
    unknown = sorted(set(doc) - known)
    if unknown:
        problems.append(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    out: dict[str, Any] = {}
    theme = pick(doc, "theme", str)
    if theme is not None:
        out["theme"] = theme
    sync = pick(doc, "sync", bool)
    if sync is not None:
        out["sync"] = sync
    level = pick(doc, "strictness", str, LEVELS)
    if level is not None:
        out["strictness"] = level
    words = pick(doc, "words", str, WORDS)
    if words is not None:
        out["words"] = words
    export = doc.get("export", {})
    if not isinstance(export, dict):
        problems.append("[export] is not a table")
        export = {}
    fmt = pick(export, "format", str, EXPORT_FORMATS, "export.")
    if fmt is not None:
        out["export_format"] = fmt
    folder = pick(export, "folder", str, None, "export.")
    if folder is not None:
        out["export_folder"] = folder
    keymap = doc.get("keymap", {})
    if not isinstance(keymap, dict):
        problems.append("[keymap] is not a table")
        keymap = {}
    good = {}
    for binding, keys in keymap.items():
        if isinstance(keys, str) and keys.strip():
            good[str(binding)] = keys
        else:
            problems.append(f"keymap.{binding} = {keys!r} is not a list of keys")
    out["keymap"] = good
    return Settings(**out)


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings at ``path`` (default :func:`config_path`) and one line saying what
    was wrong with them (None when nothing was). A missing file is the defaults."""
    import tomllib

    from reader.core.visible import one_line

    path = config_path() if path is None else path
    shown = one_line(str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Settings(path=path), None
    except OSError as exc:
        return Settings(
            path=path
        ), f"settings {shown}: cannot read ({exc.strerror}); using the defaults"
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return Settings(path=path), f"settings {shown}: not UTF-8; using the defaults"
    except tomllib.TOMLDecodeError as exc:
        return Settings(path=path), f"settings {shown}: {one_line(str(exc))}; using the defaults"
    problems: list[str] = []
    settings = replace(_check(doc, problems), path=path)
    if problems:
        return (
            settings,
            f"settings {shown}: {one_line('; '.join(problems))}; using the default for each",
        )
    return settings, None


def save_choices(path: Path, **choices: Any) -> None:
    """Write the choices made in the app (``theme="nord"``, ``sync=False``,
    ``export_format="csv"``) into the file at ``path``, keeping everything else in it
    (comments too); atomic. Raises ``OSError`` (or ``ValueError`` for a file that no
    longer parses, which is then left alone)."""
    import tomlkit

    from reader.core.fs import atomic_write

    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = tomlkit.document()
    except tomlkit.exceptions.ParseError as exc:
        raise ValueError(str(exc)) from None
    for key, value in choices.items():
        if key.startswith("export_"):
            table = doc.get("export")
            if table is None:
                table = tomlkit.table()
                doc["export"] = table
            table[key.removeprefix("export_")] = value
        else:
            doc[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomlkit.dumps(doc))
