"""Loading sources: folder listing, encodings, skipped files and user errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.text.decode import decode
from reader.core.text.load import SourceError, documents_from_texts, load_paths
from reader.core.text.segment import split_sentences

EN = (
    "US President Joe Biden and Russian President Vladimir Putin spoke for 50 minutes on "
    "Thursday. The tone of the call was described as serious.\n"
)
PT = (
    "O presidente dos Estados Unidos, Joe Biden, e o presidente da Rússia, Vladimir Putin, "
    "conversaram por telefone durante cinquenta minutos. A conversa, pedida por Putin, foi "
    "descrita como séria por ambos os lados. Não houve acordo, mas a Casa Branca disse que a "
    "diplomacia continua. O assessor do Kremlin, Iúri Ushakov, afirmou que a ligação criou uma "
    "boa base para as negociações de janeiro em Genebra. É o segundo telefonema em um mês.\n"
)


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def names(loaded) -> list[str]:
    return [d.name for d in loaded.documents]


def one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert msg and "\n" not in msg and "\r" not in msg
    return msg


# -- folders ------------------------------------------------------------------------------


def test_folder_order_is_stable_case_insensitive_and_skips_hidden_and_subfolders(tmp_path):
    for n in ("b.txt", "A.txt", "c.md", "10.txt", "2.txt"):
        write(tmp_path / n, EN)
    write(tmp_path / ".hidden.txt", EN)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "nested.txt", EN)
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "HEAD", EN)
    first = load_paths([tmp_path])
    assert names(first) == ["10.txt", "2.txt", "A.txt", "b.txt", "c.md"]
    assert names(load_paths([tmp_path])) == names(first)
    assert first.warnings == []
    assert all(d.path is not None and d.path.parent == tmp_path for d in first.documents)


def test_listed_files_keep_command_line_order(tmp_path):
    a, b = write(tmp_path / "a.txt", EN), write(tmp_path / "b.txt", EN)
    assert names(load_paths([b, a])) == ["b.txt", "a.txt"]


def test_same_file_twice_is_loaded_once(tmp_path):
    a = write(tmp_path / "a.txt", EN)
    write(tmp_path / "b.txt", EN)
    assert names(load_paths([a, tmp_path / "." / "a.txt", tmp_path / "b.txt"])) == [
        "a.txt",
        "b.txt",
    ]


def test_duplicate_file_names_from_two_folders_are_told_apart(tmp_path):
    for folder in ("left", "right"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder / "story.txt", EN)
        write(tmp_path / folder / f"{folder}-only.txt", EN)
    loaded = load_paths([tmp_path / "left", tmp_path / "right"])
    got = names(loaded)
    assert got == ["left-only.txt", "left/story.txt", "right-only.txt", "right/story.txt"]
    assert len(set(got)) == len(got)


# -- encodings ------------------------------------------------------------------------------


def test_utf8_bom_is_kept_so_offsets_match_read_text(tmp_path):
    p = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + EN.encode("utf-8"))
    doc = load_paths([p]).documents[0]
    assert doc.text == p.read_text(encoding="utf-8")
    assert doc.text[0] == "\ufeff" and doc.text[1:] == EN
    assert doc.encoding == "utf-8"
    s, e = split_sentences(doc.text)[0]
    assert s == 1 and doc.text[s:e].startswith("US President")


def test_crlf_and_cr_newlines_are_translated_like_read_text(tmp_path):
    p = write(tmp_path / "crlf.txt", b"Headline\r\n\r\nFirst line.\r\nSecond line.\rThird.\r\n")
    loaded = load_paths([p])
    doc = loaded.documents[0]
    assert doc.text == p.read_text(encoding="utf-8")
    assert doc.text == "Headline\n\nFirst line.\nSecond line.\nThird.\n"
    assert loaded.warnings == []


def test_cp1252_file_is_detected_and_reported(tmp_path):
    p = write(tmp_path / "latin.txt", PT.encode("cp1252"))
    loaded = load_paths([p])
    doc = loaded.documents[0]
    assert doc.text == PT
    assert doc.encoding.replace("_", "").replace("-", "").lower() in {
        "cp1252",
        "windows1252",
        "latin1",
        "iso88591",
        "iso885915",
    }
    assert len(loaded.warnings) == 1
    assert "latin.txt" in loaded.warnings[0] and doc.encoding in loaded.warnings[0]


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Café crème.\n", "cp1252"),  # too short for a language
        ("Café crème, naïve résumé – “quoted”.\n", "cp1252"),
        ("The déjà vu of São Paulo, £100 €200.\n", "cp1252"),
        ("Ação é São Paulo, três irmãos.\n", "latin-1"),
        ("São Paulo", "cp1252"),  # big5 by detection alone
        ("ÉTÉ\xa0: oui", "cp1252"),  # É + NBSP is valid UTF-8
        ("Zażółć gęślą jaźń, to jest test.\n", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.\n", "cp1250"),
        ("Привет, как дела? Это тест.\n", "cp1251"),
        ("Γειά σου κόσμε, αυτό είναι ένα τεστ.\n", "cp1253"),
        ("Президент России провёл телефонный разговор с президентом США. " * 5, "koi8-r"),
    ],
)
def test_short_legacy_texts_decode_to_what_was_written(tmp_path, text, encoding):
    # detection alone took "Caf\xe9" for cp1006 (Urdu) and "S\xe3o" for cp1250 ("Săo")
    p = write(tmp_path / "legacy.txt", text.encode(encoding))
    assert load_paths([p]).documents[0].text == text


def test_utf16_with_bom_is_text(tmp_path):
    p = write(tmp_path / "u16.txt", ("Olá. " + EN).encode("utf-16"))
    loaded = load_paths([p])
    assert loaded.documents[0].text == "Olá. " + EN
    assert "u16.txt" in loaded.warnings[0]


def test_invalid_utf8_bytes_are_replaced_and_reported(tmp_path):
    good = ("Olá, é verdade — “citação” do presidente. " * 6).encode("utf-8")
    p = write(tmp_path / "bad.txt", good[:40] + b"\xff" + good[40:])
    loaded = load_paths([p])
    doc = loaded.documents[0]
    assert "\ufffd" in doc.text
    assert doc.text.replace("\ufffd", "") == good.decode("utf-8")
    assert len(loaded.warnings) == 1 and "bad.txt" in loaded.warnings[0]


def test_mostly_utf8_text_with_broken_bytes_stays_utf8(tmp_path):
    # charset-normalizer took this for mac_latin2 and garbled every accent and kanji
    text = "Biden and Putin spoke for fifty minutes. " * 20
    tail = "Olá São Paulo. 日本語のテキスト。😀 emoji.\n"
    p = write(tmp_path / "mixed.txt", text.encode() + b"\xff\xfe\xfa broken " + tail.encode())
    loaded = load_paths([p])
    doc = loaded.documents[0]
    assert doc.encoding == "utf-8" and doc.text.endswith(tail)
    assert doc.text.startswith(text) and doc.text.count("\ufffd") == 3
    assert len(loaded.warnings) == 1 and "3 invalid UTF-8" in loaded.warnings[0]


def test_invalid_bytes_in_ascii_text_still_load_with_a_warning(tmp_path):
    p = write(tmp_path / "odd.txt", EN.encode() + b"\xff\xfe end.\n")
    loaded = load_paths([p])
    assert loaded.documents[0].text.startswith(EN)
    assert len(loaded.warnings) == 1 and "odd.txt" in loaded.warnings[0]


def test_nul_bytes_in_text_do_not_make_it_binary(tmp_path):
    p = write(tmp_path / "nul.txt", EN.encode() + b"A stray\x00 byte. " + EN.encode())
    loaded = load_paths([p])
    doc = loaded.documents[0]
    assert "\x00" in doc.text and doc.text == p.read_text(encoding="utf-8")
    spans = split_sentences(doc.text)
    assert all(0 <= s < e <= len(doc.text) for s, e in spans)


def test_decode_utf8_has_no_note():
    assert decode("É um texto. Fim.\r\n".encode()) == ("É um texto. Fim.\n", "utf-8", None)


def test_documents_from_texts_normalises_newlines_and_keeps_order():
    docs = documents_from_texts({"z.txt": "One.\r\nTwo.", "a.txt": "Three."})
    assert [d.name for d in docs] == ["z.txt", "a.txt"]
    assert docs[0].text == "One.\nTwo." and docs[0].path is None


# -- skipped files ----------------------------------------------------------------------------


def test_binary_file_is_skipped_with_a_warning(tmp_path):
    write(tmp_path / "a.txt", EN)
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    loaded = load_paths([tmp_path])
    assert names(loaded) == ["a.txt"]
    assert len(loaded.warnings) == 1
    assert "photo.png" in loaded.warnings[0] and "binary" in loaded.warnings[0]


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"], ids=["empty", "blank"])
def test_empty_file_is_skipped_with_a_warning(tmp_path, content):
    write(tmp_path / "a.txt", EN)
    write(tmp_path / "empty.txt", content)
    loaded = load_paths([tmp_path])
    assert names(loaded) == ["a.txt"]
    assert len(loaded.warnings) == 1 and "empty.txt" in loaded.warnings[0]


@pytest.mark.parametrize(
    "content", ["\ufeff\n", "\u200b \n", "\ufeff\u200b\n\n"], ids=["bom", "zwsp", "bom-zwsp"]
)
def test_file_with_only_invisible_characters_is_skipped(tmp_path, content):
    write(tmp_path / "a.txt", EN)
    write(tmp_path / "blank.txt", content)
    loaded = load_paths([tmp_path])
    assert names(loaded) == ["a.txt"]
    assert len(loaded.warnings) == 1 and "blank.txt" in loaded.warnings[0]


def test_only_unusable_files_is_an_error(tmp_path):
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blob.bin", bytes(range(256)) * 8)
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path])
    one_line(exc)


# -- errors the user has to fix ---------------------------------------------------------------


def test_missing_path(tmp_path):
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path / "nope"])
    assert "nope" in one_line(exc)


def test_no_paths():
    with pytest.raises(SourceError) as exc:
        load_paths([])
    one_line(exc)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_not_a_file_or_folder():
    with pytest.raises(SourceError) as exc:
        load_paths(["/dev/null"])
    assert "/dev/null" in one_line(exc)


def test_empty_folder(tmp_path):
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path])
    one_line(exc)


def test_folder_with_only_hidden_files(tmp_path):
    write(tmp_path / ".a.txt", EN)
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path])
    one_line(exc)


def test_too_large_file(tmp_path):
    write(tmp_path / "small.txt", EN)
    write(tmp_path / "big.txt", EN * 10)
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path], max_bytes=len(EN.encode()) * 2)
    msg = one_line(exc)
    assert "big.txt" in msg and "too large" in msg
    assert names(load_paths([tmp_path], max_bytes=len(EN.encode()) * 10)) == [
        "big.txt",
        "small.txt",
    ]


def test_error_message_with_control_characters_in_name_stays_one_line(tmp_path):
    write(tmp_path / "evil\nname\x1b[31m.txt", EN * 10)
    with pytest.raises(SourceError) as exc:
        load_paths([tmp_path], max_bytes=10)
    msg = one_line(exc)
    assert "\x1b" not in msg and "evil" in msg


def test_unreadable_file(tmp_path):
    p = write(tmp_path / "secret.txt", EN)
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running with privileges that can read a mode-000 file")
        with pytest.raises(SourceError) as exc:
            load_paths([p])
        assert "secret.txt" in one_line(exc)
    finally:
        p.chmod(0o644)


def test_symlink_to_file_counts(tmp_path):
    real = write(tmp_path / "real.txt", EN)
    (tmp_path / "folder").mkdir()
    try:
        (tmp_path / "folder" / "link.txt").symlink_to(real)
    except OSError:
        pytest.skip("symlinks not available")
    assert names(load_paths([tmp_path / "folder"])) == ["link.txt"]
