"""Playing users: the updates Telegram would deliver when people message the bot, press its
buttons, send it documents, use inline mode, add or remove it, or upgrade their group to a supergroup."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from typing import Any

from telegram.constants import ChatMemberStatus

from bot.fake.records import Sent
from bot.fake.validate import utf16_len

COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class SimulatedUsers:
    """Update builders, mixed into ``FakeBotAPI``; each queues its update and returns it."""

    bot_user: dict[str, Any]
    _message_ids: dict[int, itertools.count[int]]
    _query_ids: itertools.count[int]
    push: Callable[[dict[str, Any]], dict[str, Any]]
    _chat: Callable[[int], dict[str, Any]]
    _message: Callable[[Any], dict[str, Any]]
    files: dict[str, bytes]
    chat_users: dict[int, set[int]]
    file_paths: dict[str, str]

    @staticmethod
    def user(user_id: int = 1001, first_name: str = "李明", language_code: str = "zh-hans") -> dict[str, Any]:
        """A Telegram user object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def message(self, chat_id: int, user: dict[str, Any], text: str, reply_to: Sent | None = None) -> dict[str, Any]:
        """A user's text message as Telegram delivers it (bot_command entities included), in
        reply to the bot's message ``reply_to`` if given (answering a ForceReply)."""
        chat = self._chat(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private",
                                                         "first_name": user["first_name"]}
        entities = []
        for match in COMMAND_RE.finditer(text):
            offset = utf16_len(text[: match.start()])
            entities.append({"type": "bot_command", "offset": offset, "length": utf16_len(match.group())})
        message: dict[str, Any] = {"message_id": next(self._message_ids[chat_id]), "from": user, "chat": chat,
                                   "date": int(time.time()), "text": text}
        self.chat_users[chat_id].add(int(user["id"]))
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._message(reply_to)
        return self.push({"message": message})

    def document(self, chat_id: int, user: dict[str, Any], content: bytes, file_name: str | None,
                 mime_type: str | None = None, caption: str | None = None) -> dict[str, Any]:
        """A user's document message: its bytes are kept under a new file_id (``files``), for the
        bot to fetch with getFile and a download, as from Telegram."""
        chat = self._chat(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private",
                                                         "first_name": user["first_name"]}
        number = len(self.files) + 1
        file_id = f"BQACAgFAKE-doc-{number}-{len(content)}"
        self.files[file_id] = content
        suffix = file_name[file_name.rfind("."):] if file_name and "." in file_name else ""
        self.file_paths[file_id] = f"documents/file_{number}{suffix}"
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"AgADdoc{number}", "file_size": len(content)}
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        message: dict[str, Any] = {"message_id": next(self._message_ids[chat_id]), "from": user, "chat": chat,
                                   "date": int(time.time()), "document": document}
        if caption:
            message["caption"] = caption
        return self.push({"message": message})

    def press(self, sent: Sent, data: str, user: dict[str, Any]) -> dict[str, Any]:
        """A user pressing an inline button with ``data`` on the bot's message ``sent``."""
        return self.push({"callback_query": {"id": str(next(self._query_ids)), "from": user,
                                             "message": self._message(sent), "chat_instance": str(sent.chat_id),
                                             "data": data}})

    def press_inline(self, data: str, user: dict[str, Any]) -> dict[str, Any]:
        """A button press on a message posted through inline mode: no message, no chat."""
        return self.push({"callback_query": {"id": str(next(self._query_ids)), "from": user,
                                             "inline_message_id": "AAAA-inline", "chat_instance": "1",
                                             "data": data}})

    def poll_answer(self, poll_id: str, user: dict[str, Any], options: list[int]) -> dict[str, Any]:
        """A member answering a non-anonymous poll: Telegram sends no chat with it."""
        return self.push({"poll_answer": {"poll_id": poll_id, "user": user, "option_ids": options,
                                          "option_persistent_ids": [str(o) for o in options]}})

    def inline_query(self, query: str, user: dict[str, Any]) -> dict[str, Any]:
        """A user typing ``@bot query`` in some chat."""
        return self.push({"inline_query": {"id": str(next(self._query_ids)), "from": user, "query": query,
                                           "offset": "", "chat_type": "sender"}})

    def membership(self, chat_id: int, by: dict[str, Any], old: ChatMemberStatus,
                   new: ChatMemberStatus) -> dict[str, Any]:
        """The bot's own status in ``chat_id`` changing from ``old`` to ``new`` (my_chat_member)."""
        return self.push({"my_chat_member": {
            "chat": self._chat(chat_id), "from": by, "date": int(time.time()),
            "old_chat_member": chat_member(old, self.bot_user),
            "new_chat_member": chat_member(new, self.bot_user),
        }})

    def migrate(self, old_chat_id: int, new_chat_id: int, by: dict[str, Any]) -> dict[str, Any]:
        """A group upgraded to a supergroup: the service message in the old chat."""
        return self.push({"message": {"message_id": next(self._message_ids[old_chat_id]), "from": by,
                                      "chat": self._chat(old_chat_id), "date": int(time.time()),
                                      "migrate_to_chat_id": new_chat_id}})


def chat_member(status: ChatMemberStatus, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember object with the fields Telegram sends for ``status``."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == ChatMemberStatus.ADMINISTRATOR:
        member.update({"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                       "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                       "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                       "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False})
    elif status == ChatMemberStatus.BANNED:
        member["until_date"] = 0
    elif status == ChatMemberStatus.RESTRICTED:
        member.update({"is_member": True, "until_date": 0, **{k: True for k in (
            "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
            "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
            "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages",
            "can_manage_topics")}})
    elif status == ChatMemberStatus.OWNER:
        member["is_anonymous"] = False
    return member
