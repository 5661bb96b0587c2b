"""The settings file (issue 10, expectation 6): where it is, what it holds, one line
and the defaults when it is wrong, what the app writes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.settings import Settings, config_path, load_settings, save_choices


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    return tmp_path / "cfg" / "reader" / "config.toml"


def test_config_path_is_in_the_platform_config_folder(home, capsys):
    assert config_path() == home
    assert main(["--config-path"]) == 0
    assert capsys.readouterr().out == f"{home}\n"


def test_a_missing_file_is_the_defaults(home):
    assert load_settings() == (Settings(path=home), None)


def test_every_setting_is_read(home):
    home.parent.mkdir(parents=True)
    home.write_text(
        'theme = "nord"\nsync = false\nstrictness = "strict"\nwords = "matches"\n'
        '[export]\nformat = "csv"\nfolder = "~/exports"\n'
        '[keymap]\n"sentence.next" = "j,down,ctrl+n"\n',
        encoding="utf-8",
    )
    settings, problem = load_settings()
    assert problem is None
    assert settings == Settings(
        theme="nord",
        sync=False,
        strictness="strict",
        words="matches",
        export_format="csv",
        export_folder="~/exports",
        keymap={"sentence.next": "j,down,ctrl+n"},
        path=home,
    )


@pytest.mark.parametrize(
    "text, said",
    [
        ("theme = \n", "using the defaults"),
        ("\xff\xfe = 1", "using the defaults"),
        ('sync = "yes"\nwords = "bold"\ncolour = 1\n', "sync = 'yes' is not valid"),
        ('[export]\nformat = "pdf"\n', "export.format = 'pdf' is not valid (one of md"),
        ("keymap = 3\n", "[keymap] is not a table"),
    ],
)
def test_a_bad_file_is_one_line_and_the_defaults(home, text, said):
    home.parent.mkdir(parents=True)
    home.write_bytes(text.encode("latin-1"))
    settings, problem = load_settings()
    assert problem is not None and said in problem and "\n" not in problem
    assert str(home) in problem
    assert settings.sync is True and settings.words == "auto" and settings.export_format == "md"


def test_choices_made_in_the_app_are_written_back_keeping_the_rest(home):
    home.parent.mkdir(parents=True)
    home.write_text('# mine\ntheme = "nord"  # dark\n[keymap]\n"app.quit" = "q,ctrl+q"\n')
    save_choices(home, theme="gruvbox", sync=False, export_format="html")
    text = home.read_text()
    assert "# mine" in text and "# dark" in text and '"app.quit" = "q,ctrl+q"' in text
    settings, problem = load_settings(home)
    assert problem is None
    assert (settings.theme, settings.sync, settings.export_format) == ("gruvbox", False, "html")
    assert settings.keymap == {"app.quit": "q,ctrl+q"}


def test_a_bad_settings_file_never_stops_the_command_line(home, capsys, tmp_path):
    home.parent.mkdir(parents=True)
    home.write_text("[[[")
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    assert main(["align", str(sample)]) == 0  # align does not read the settings
    assert main(["--config-path"]) == 0
