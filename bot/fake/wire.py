"""The Bot API's JSON as the fake reads and writes it: a JSON value, the parameters of a request
(``Params``), and the objects the fake sends (``User``, ``Chat``, ``Message``, ``Update``…) with
the fields it fills in. TypedDicts are plain dicts at run time: what goes on the wire is exactly
what the fake builds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NotRequired, Required, TypedDict, final

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]
JSON = dict[str, JSONValue]
"""A JSON object whose fields the fake does not read (a command scope)."""


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content: bytes


# --- what the bot sends ---------------------------------------------------------------------


class WebAppInfo(TypedDict):
    url: str


class InlineKeyboardButton(TypedDict, total=False):
    text: str
    callback_data: str
    url: str
    web_app: WebAppInfo
    switch_inline_query: str
    switch_inline_query_current_chat: str


class ReplyMarkup(TypedDict, total=False):
    """An inline keyboard or a ForceReply (the reply markups the bot sends)."""

    inline_keyboard: list[list[InlineKeyboardButton]]
    force_reply: bool
    input_field_placeholder: str
    selective: bool


class InputPollOption(TypedDict, total=False):
    text: str


class BotCommand(TypedDict):
    command: str
    description: str


class InputMessageContent(TypedDict, total=False):
    message_text: str
    parse_mode: str


class InlineQueryResult(TypedDict, total=False):
    """An article or a cached photo, with the fields the fake checks or the console shows."""

    type: str
    id: str
    title: str
    caption: str
    photo_file_id: str
    input_message_content: InputMessageContent


class ReactionType(TypedDict):
    type: str
    emoji: NotRequired[str]


class Params(TypedDict, total=False):
    """A request's parameters, by the Bot API's types (JSON-encoded form values decoded; an
    uploaded file as ``Upload``): the ones the fake reads."""

    chat_id: int | str
    message_id: int
    user_id: int
    text: str | None
    parse_mode: str | None
    caption: str
    photo: str | Upload
    document: str | Upload
    reaction: list[ReactionType] | str
    reply_markup: ReplyMarkup | str
    question: str
    options: list[str | InputPollOption]
    explanation: str
    type: str
    correct_option_id: int
    correct_option_ids: list[int]
    is_anonymous: bool | str
    offset: int
    limit: int
    timeout: float
    commands: list[BotCommand]
    scope: JSON
    language_code: str
    results: list[InlineQueryResult]
    show_alert: bool | str
    file_id: str
    message_thread_id: int
    name: str


# --- what the fake sends --------------------------------------------------------------------
# User, File and ChatMember are final, so ``"message_id" in result`` tells a Message from them.


@final
class User(TypedDict):
    id: int
    is_bot: bool
    first_name: str
    language_code: NotRequired[str]
    username: NotRequired[str]
    can_join_groups: NotRequired[bool]
    can_read_all_group_messages: NotRequired[bool]
    supports_inline_queries: NotRequired[bool]


class Chat(TypedDict):
    id: int
    type: str
    first_name: NotRequired[str]
    title: NotRequired[str]
    is_forum: NotRequired[bool]


class ForumTopic(TypedDict):
    """A topic of a supergroup with topics (``forum_topic_created`` holds its name and colour)."""

    name: str
    icon_color: int
    message_thread_id: NotRequired[int]


class MessageEntity(TypedDict):
    type: str
    offset: int
    length: int


class PhotoSize(TypedDict):
    file_id: str
    file_unique_id: str
    width: int
    height: int


class Document(TypedDict):
    file_id: str
    file_unique_id: str
    file_size: int
    file_name: NotRequired[str]
    mime_type: NotRequired[str]


class PollOption(TypedDict):
    text: str
    voter_count: int
    persistent_id: str


class Poll(TypedDict):
    id: str
    question: str
    options: list[PollOption]
    total_voter_count: int
    is_closed: bool
    is_anonymous: bool
    type: str
    allows_multiple_answers: bool
    allows_revoting: bool
    members_only: bool
    correct_option_ids: NotRequired[list[int]]
    explanation: NotRequired[str]


@final
class File(TypedDict):
    file_id: str
    file_unique_id: str
    file_size: int
    file_path: str


# The objects with a "from" field (a keyword) take the functional syntax.
Message = TypedDict("Message", {
    "message_id": int,
    "from": User,
    "chat": Chat,
    "date": int,
    "text": NotRequired[str],
    "caption": NotRequired[str],
    "entities": NotRequired[list[MessageEntity]],
    "photo": NotRequired[list[PhotoSize]],
    "document": NotRequired[Document],
    "poll": NotRequired[Poll],
    "reply_markup": NotRequired[ReplyMarkup],
    "reply_to_message": NotRequired["Message"],
    "migrate_to_chat_id": NotRequired[int],
    "message_thread_id": NotRequired[int],
    "is_topic_message": NotRequired[bool],
    "forum_topic_created": NotRequired[ForumTopic],
    "forum_topic_closed": NotRequired[JSON],
})

CallbackQuery = TypedDict("CallbackQuery", {
    "id": str,
    "from": User,
    "message": NotRequired[Message],
    "inline_message_id": NotRequired[str],
    "chat_instance": str,
    "data": str,
})

InlineQuery = TypedDict("InlineQuery", {"id": str, "from": User, "query": str, "offset": str, "chat_type": str})


class PollAnswer(TypedDict):
    poll_id: str
    user: User
    option_ids: list[int]
    option_persistent_ids: list[str]


@final
class ChatMember(TypedDict, total=False):
    """A ChatMember: ``status`` and ``user``, and the fields Telegram sends for that status."""

    status: Required[str]
    user: Required[User]
    until_date: int
    is_member: bool
    is_anonymous: bool
    can_be_edited: bool
    can_manage_chat: bool
    can_delete_messages: bool
    can_manage_video_chats: bool
    can_restrict_members: bool
    can_promote_members: bool
    can_change_info: bool
    can_invite_users: bool
    can_post_stories: bool
    can_edit_stories: bool
    can_delete_stories: bool
    can_send_messages: bool
    can_send_audios: bool
    can_send_documents: bool
    can_send_photos: bool
    can_send_videos: bool
    can_send_video_notes: bool
    can_send_voice_notes: bool
    can_send_polls: bool
    can_send_other_messages: bool
    can_add_web_page_previews: bool
    can_pin_messages: bool
    can_manage_topics: bool


ChatMemberUpdated = TypedDict("ChatMemberUpdated", {
    "chat": Chat, "from": User, "date": int, "old_chat_member": ChatMember, "new_chat_member": ChatMember})


class Update(TypedDict, total=False):
    """An update; ``update_id`` is added when the fake queues it."""

    update_id: int
    message: Message
    callback_query: CallbackQuery
    poll_answer: PollAnswer
    inline_query: InlineQuery
    my_chat_member: ChatMemberUpdated


class ResponseParameters(TypedDict, total=False):
    retry_after: int
    migrate_to_chat_id: int


Result = Message | User | File | ChatMember | bool | list[Update] | list[BotCommand]
"""What a method answers (``result`` in the response)."""


class Response(TypedDict, total=False):
    ok: Required[bool]
    result: Result
    error_code: int
    description: str
    parameters: ResponseParameters
