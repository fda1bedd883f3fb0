"""The encoder setting, and the default encoder's contract: unit vectors, Chinese and English in
one space (checked with a fixed tolerance, not against the model's exact numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from content.encoder import EncoderError, SentenceTransformerEncoder, UseEncoder, load_encoder


@pytest.mark.parametrize(("spec", "kind"), [("use", UseEncoder), ("use:2", UseEncoder), ("none", type(None)),
                                            ("st:BAAI/bge-m3", SentenceTransformerEncoder)])
def test_settings_name_an_encoder_without_loading_it(spec: str, kind: type) -> None:
    assert isinstance(load_encoder(spec), kind)


@pytest.mark.parametrize("spec", ["bert", "use:0", "use:x", "st:", "USE"])
def test_a_bad_encoder_setting_is_one_clear_error(spec: str) -> None:
    with pytest.raises(EncoderError, match="encoder"):
        load_encoder(spec)


def test_one_encoder_per_process() -> None:
    assert load_encoder("use") is load_encoder("use")


def test_chinese_and_english_share_one_space() -> None:
    encoder = load_encoder("use")
    assert encoder is not None
    rows = encoder.encode(["对党绝对忠诚", "absolute loyalty to the Party", "推进老旧小区改造", "🙂", ""])
    assert rows.shape == (5, 512) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[:4], axis=1), 1.0, atol=1e-3)
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.1  # the translation is nearer than another topic
    assert encoder.encode([]).shape == (0, 512)
