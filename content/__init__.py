"""The speech and everything derived from it; pure Python, no Telegram imports."""

from content.model import Node, Speech, UnknownNodeError
from content.parser import DEFAULT_SPEECH, SpeechFormatError, load_speech, parse_bytes, parse_text

__all__ = [
    "DEFAULT_SPEECH",
    "Node",
    "Speech",
    "SpeechFormatError",
    "UnknownNodeError",
    "load_speech",
    "parse_bytes",
    "parse_text",
]
