"""Playing users: the updates Telegram would deliver when people message the bot, press its
buttons, send it documents, use inline mode, add or remove it, upgrade their group to a supergroup,
or open, close and delete the topics of a forum and talk in them."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable

from telegram.constants import ChatMemberStatus

from bot.fake.records import Sent, Topic
from bot.fake.validate import utf16_len
from bot.fake.wire import Chat, ChatMember, Document, Message, MessageEntity, Update, User

COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class SimulatedUsers:
    """Update builders, mixed into ``FakeBotAPI``; each queues its update and returns it."""

    bot_user: User
    _message_ids: dict[int, itertools.count[int]]
    _query_ids: itertools.count[int]
    push: Callable[[Update], Update]
    _chat: Callable[[int], Chat]
    _message: Callable[[Sent], Message]
    files: dict[str, bytes]
    chat_users: dict[int, set[int]]
    file_paths: dict[str, str]
    forums: dict[int, dict[int, Topic]]
    open_topic_by: Callable[[int, str], Topic]
    _topic: Callable[[int, int | None], Topic]

    @staticmethod
    def user(user_id: int = 1001, first_name: str = "李明", language_code: str = "zh-hans") -> User:
        """A Telegram user object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def message(self, chat_id: int, user: User, text: str, reply_to: Sent | None = None,
                thread: int | None = None) -> Update:
        """A user's text message as Telegram delivers it (bot_command entities included), in
        reply to the bot's message ``reply_to`` if given (answering a ForceReply), in the forum
        topic ``thread`` if given (then, not replying, it replies to the topic's service message,
        which names the topic, as Telegram delivers it)."""
        chat: Chat = self._chat(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private",
                                                         "first_name": user["first_name"]}
        entities: list[MessageEntity] = []
        for match in COMMAND_RE.finditer(text):
            offset = utf16_len(text[: match.start()])
            entities.append({"type": "bot_command", "offset": offset, "length": utf16_len(match.group())})
        message: Message = {"message_id": next(self._message_ids[chat_id]), "from": user, "chat": chat,
                                   "date": int(time.time()), "text": text}
        self.chat_users[chat_id].add(int(user["id"]))
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._message(reply_to)
        if thread is not None:
            topic = self._topic(chat_id, thread)
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            message.setdefault("reply_to_message", self._topic_created(chat_id, user, topic))
        return self.push({"message": message})

    def _topic_created(self, chat_id: int, user: User, topic: Topic) -> Message:
        """The service message that opened ``topic`` (its message id is the thread id)."""
        return {"message_id": topic.thread, "from": user, "chat": self._chat(chat_id), "date": int(time.time()),
                "message_thread_id": topic.thread, "is_topic_message": True,
                "forum_topic_created": {"name": topic.name, "icon_color": 7322096}}

    def open_topic(self, chat_id: int, user: User, name: str) -> tuple[Topic, Update]:
        """A member opens a topic in forum ``chat_id``: the topic and the service message's update."""
        topic = self.open_topic_by(chat_id, name)
        return topic, self.push({"message": self._topic_created(chat_id, user, topic)})

    def close_topic(self, chat_id: int, user: User, thread: int) -> Update:
        """An administrator closes a topic: only administrators may post there now (the bot's sends fail)."""
        self._topic(chat_id, thread).closed = True
        return self.push({"message": {"message_id": next(self._message_ids[chat_id]), "from": user,
                                      "chat": self._chat(chat_id), "date": int(time.time()),
                                      "message_thread_id": thread, "is_topic_message": True,
                                      "forum_topic_closed": {}}})

    def delete_topic(self, chat_id: int, thread: int) -> None:
        """An administrator deletes a topic with its messages: Telegram sends no update for it."""
        self._topic(chat_id, thread).deleted = True

    def document(self, chat_id: int, user: User, content: bytes, file_name: str | None,
                 mime_type: str | None = None, caption: str | None = None) -> Update:
        """A user's document message: its bytes are kept under a new file_id (``files``), for the
        bot to fetch with getFile and a download, as from Telegram."""
        chat: Chat = self._chat(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private",
                                                         "first_name": user["first_name"]}
        number = len(self.files) + 1
        file_id = f"BQACAgFAKE-doc-{number}-{len(content)}"
        self.files[file_id] = content
        suffix = file_name[file_name.rfind("."):] if file_name and "." in file_name else ""
        self.file_paths[file_id] = f"documents/file_{number}{suffix}"
        document: Document = {"file_id": file_id, "file_unique_id": f"AgADdoc{number}", "file_size": len(content)}
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        message: Message = {"message_id": next(self._message_ids[chat_id]), "from": user, "chat": chat,
                                   "date": int(time.time()), "document": document}
        if caption:
            message["caption"] = caption
        return self.push({"message": message})

    def press(self, sent: Sent, data: str, user: User) -> Update:
        """A user pressing an inline button with ``data`` on the bot's message ``sent``."""
        return self.push({"callback_query": {"id": str(next(self._query_ids)), "from": user,
                                             "message": self._message(sent), "chat_instance": str(sent.chat_id),
                                             "data": data}})

    def press_inline(self, data: str, user: User) -> Update:
        """A button press on a message posted through inline mode: no message, no chat."""
        return self.push({"callback_query": {"id": str(next(self._query_ids)), "from": user,
                                             "inline_message_id": "AAAA-inline", "chat_instance": "1",
                                             "data": data}})

    def poll_answer(self, poll_id: str, user: User, options: list[int]) -> Update:
        """A member answering a non-anonymous poll: Telegram sends no chat with it."""
        return self.push({"poll_answer": {"poll_id": poll_id, "user": user, "option_ids": options,
                                          "option_persistent_ids": [str(o) for o in options]}})

    def inline_query(self, query: str, user: User) -> Update:
        """A user typing ``@bot query`` in some chat."""
        return self.push({"inline_query": {"id": str(next(self._query_ids)), "from": user, "query": query,
                                           "offset": "", "chat_type": "sender"}})

    def membership(self, chat_id: int, by: User, old: ChatMemberStatus,
                   new: ChatMemberStatus) -> Update:
        """The bot's own status in ``chat_id`` changing from ``old`` to ``new`` (my_chat_member)."""
        return self.push({"my_chat_member": {
            "chat": self._chat(chat_id), "from": by, "date": int(time.time()),
            "old_chat_member": chat_member(old, self.bot_user),
            "new_chat_member": chat_member(new, self.bot_user),
        }})

    def migrate(self, old_chat_id: int, new_chat_id: int, by: User) -> Update:
        """A group upgraded to a supergroup: the service message in the old chat."""
        return self.push({"message": {"message_id": next(self._message_ids[old_chat_id]), "from": by,
                                      "chat": self._chat(old_chat_id), "date": int(time.time()),
                                      "migrate_to_chat_id": new_chat_id}})


def chat_member(status: ChatMemberStatus, user: User) -> ChatMember:
    """A ChatMember object with the fields Telegram sends for ``status``."""
    member: ChatMember = {"status": status, "user": user}
    if status == ChatMemberStatus.ADMINISTRATOR:
        member.update({"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                       "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                       "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                       "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False})
    elif status == ChatMemberStatus.BANNED:
        member["until_date"] = 0
    elif status == ChatMemberStatus.RESTRICTED:
        member.update({"is_member": True, "until_date": 0, "can_send_messages": True, "can_send_audios": True,
                       "can_send_documents": True, "can_send_photos": True, "can_send_videos": True,
                       "can_send_video_notes": True, "can_send_voice_notes": True, "can_send_polls": True,
                       "can_send_other_messages": True, "can_add_web_page_previews": True, "can_change_info": True,
                       "can_invite_users": True, "can_pin_messages": True, "can_manage_topics": True})
    elif status == ChatMemberStatus.OWNER:
        member["is_anonymous"] = False
    return member
