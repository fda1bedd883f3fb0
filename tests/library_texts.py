"""Small texts for the library's tests, and a way to put one into the bot's database as an
owner's upload would (``Store.texts.add``, live).

``FITTING`` speaks of each 慎 in its own words, so the encoder finds a quote of it for every
principle; ``UNRELATED`` is about the weather, one part, no term of ``quiz_terms.yaml``: no quote
fits any principle (the reminder falls back to the original speech) and no quiz question can be
made from it.
"""

from __future__ import annotations

from bot.storage import Store
from content.formats.blocks import Metadata
from content.library import node_count, normalise
from content.parser import parse_text

FITTING = """坚守廉洁底线的几点体会
同志们：
今天和大家谈谈廉洁自律的几点体会。
一、守住第一道关口
（一）要慎初。党员干部要慎初，第一次伸手就是堕落的开始，一定要守住第一道关口。思想上的防线一旦失守，就会一退再退。
（二）要慎微。党员干部要慎微，小节不保大节难保，要从小事小节上加强修养。不以恶小而为之，不以善小而不为。
二、始终严于律己
（一）要慎独。党员干部要慎独，在无人监督的时候也要严格要求自己，始终如一。台上台下一个样，人前人后一个样。
（二）要慎友。党员干部要慎友，交友要有原则有底线，警惕别有用心的人拉拢腐蚀。朋友圈要干干净净，清清爽爽。
同志们，让我们共同守住廉洁底线，干干净净做事，清清白白做人。
"""

UNRELATED = """春天的天气
一、春天的天气
今年春天雨水很多，出门的时候最好带一把伞。周末可以去公园散步，也可以在家里读书喝茶。
"""


async def add_text(store: Store, body: str, title: str) -> int:
    """Store ``body`` as a live text titled ``title``; its id."""
    info, _ = await store.texts.add(body, Metadata(title=title), f"{title}.txt",
                                    node_count(parse_text(normalise(body))), status="live")
    return info.id
