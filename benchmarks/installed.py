"""Run the commands the way a user's install runs them: with compiled bytecode.

``pip install .`` compiles the package's modules when it installs them, so a user's
``reader`` never compiles its own source at start-up. An editable install does not,
and a machine with ``PYTHONDONTWRITEBYTECODE`` set never writes the compiled files
(this one has it): each start of ``reader`` then compiles every module it imports, a
start-up cost (~70 ms of the reading view's, and of the alignment process's) no user
pays. :func:`as_installed` compiles the package once, as pip does, and gives the
environment for the commands without that variable."""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import reader


def as_installed() -> dict[str, str]:
    """Compile the ``reader`` package in place (quietly; what is current is skipped)
    and return the environment for the commands to run in."""
    compileall.compile_dir(str(Path(reader.__file__).parent), quiet=1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
