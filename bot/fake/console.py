"""``speechbot console``: talk to the real bot in a terminal, with no token and no network.

It runs the same Application as production against the local fake Bot API (``bot.fake.server``)
and its own SQLite database, ``data/console.sqlite3`` (``SPEECHBOT_DATABASE_URL`` when set), so
/subscribe and the daily push work too, and what is published, saved or planned in one session is
there in the next (delete the file to start afresh). You type as a
user; the bot's messages are printed, inline keyboards as numbered buttons, quizzes with
numbered options, a button's alert (⚠) or toast (💬) as Telegram would pop it up, the bot's
reaction on a message (👍 on a /note in a group). So a newcomer
can try group study without Telegram: several members, a group with its administrator, quizzes.

Console commands (everything else goes to the bot as a message):

- ``#2`` presses button 2 of the last keyboard in this chat; ``@words`` is an inline query;
- ``/vote 2`` (or ``#vote 2``) answers this chat's last quiz with option 2 as the current user
  (a poll_answer update, as Telegram sends for a non-anonymous poll; an anonymous poll only
  shows you the result: Telegram does not tell the bot who answered);
- ``/as 王芳`` or ``/as 2002`` speaks as another user (created on first use); in a private chat
  it moves to that user's private chat;
- ``/group [ID]`` goes to a group chat (-1001 unless given); whoever opens a group adds the bot to
  it and is its administrator; ``/private`` goes back to the current user's private chat;
- ``/topic NAME`` goes to topic NAME of a supergroup with topics (a forum, opened on first use as
  ``/group`` opens a group; the topic too), ``/topic`` alone to its General; the bot's messages
  in a topic other than General print with the topic's name first (``[#学习]``);
- ``/file PATH`` sends a file as a document: the console's first user is an owner
  (``SPEECHBOT_ADMIN_IDS``), so a ``.docx``, ``.pdf`` or ``.txt`` is previewed for the library;
  when the bot asks for a reply (a ForceReply: ✏️ 修改信息), the next line that is not a command
  answers it, as a Telegram client makes the next message a reply;
- ``/quit`` (or Ctrl-D) leaves.

At start it prints a local URL of the reader (the Mini App) signed for the console's user: the
same bot and database, so a bookmark made there is in ``/saved`` here.

The prompt (on a terminal) shows who you are and where: ``同学 (1001) · private>``. A line the
console fails to handle is one line saying so, and the session goes on.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from telegram.constants import ChatMemberStatus

from bot.fake import wire
from bot.fake.local import Chat, LocalBot
from bot.fake.records import Call, Sent
from bot.settings import Settings
from bot.terminal import terminal_text
from content import Speech

USER_ID = 1001
GROUP_ID = -1001
FORUM_ID = -1_000_000_001_001
DATABASE = Path("data") / "console.sqlite3"
"""The console's own database (under the working directory's ``data/``, as the bot's): kept
between sessions, apart from a bot's (``data/speechbot.sqlite3``)."""
BANNER = (
    "speechbot console — you are chatting with the real bot through a local fake Telegram.\n"
    "Type /start or /help. #N presses button N; @words is an inline query; /vote N answers a quiz;\n"
    "/as NAME (or ID) speaks as another user; /group [ID] goes to a group, /private back; /quit leaves.\n"
    "/topic NAME goes to a topic of a group with topics (/topic alone: its General).\n"
    "/file PATH sends a document (you are the bot's owner: a .docx, .pdf or .txt joins the library).\n"
)
_VOTE = re.compile(r"[/#]vote\s+(\d+)")
_SHOWN = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument", "sendPoll", "editMessageReplyMarkup",
          "answerCallbackQuery", "setMessageReaction")


def _result_line(result: wire.InlineQueryResult) -> str:
    """An inline result as a list shows it: an article's title; a card (a cached photo, which has
    no title) as 🖼 and its caption's first line."""
    if result.get("title"):
        return str(result["title"])
    caption = str(result.get("caption") or "").strip()
    first = terminal_text(caption, False).splitlines()[0] if caption else ""
    return f"🖼 {first}" if result.get("type") == "photo" else first or f"({result.get('type', 'result')})"


def _one_line(error: Exception) -> str:
    """An exception as one line: its type and the first line of its message."""
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


def _true(value: object) -> bool:
    """A boolean parameter as the Bot API receives it (JSON true, or "true" in a form)."""
    return value is True or str(value).lower() == "true"


class Console:
    """The console's state (who speaks, in which chat; the last keyboard and quiz of each chat)
    and what it prints of the bot's calls."""

    def __init__(self, out: TextIO, language_code: str = "zh-hans") -> None:
        self.out = out
        self.language_code = language_code
        self.bot: LocalBot | None = None
        self.users: dict[int, wire.User] = {}
        self.groups: set[int] = set()
        self.chat: Chat | None = None
        self.keyboards: dict[int, Sent] = {}  # chat id → the last message with buttons there
        self.polls: dict[int, wire.Poll] = {}  # chat id → the last quiz sent there
        self.prompts: dict[int, Sent] = {}  # chat id → the bot's ForceReply waiting for an answer there
        self.voted: set[tuple[str, int]] = set()  # (poll id, user id): a quiz is answered once
        self.reader = ""  # the local reader's URL for the console's first user

    # --- who and where -------------------------------------------------------------------

    def start(self, bot: LocalBot, first_name: str) -> None:
        self.bot = bot
        user = self._user(USER_ID, first_name)
        self.chat = Chat(bot, user["id"], user)

    @property
    def user(self) -> wire.User:
        assert self.chat is not None
        return self.chat.user

    def _user(self, user_id: int, first_name: str) -> wire.User:
        assert self.bot is not None
        if user_id not in self.users:
            self.users[user_id] = self.bot.fake.user(user_id, first_name, self.language_code)
        return self.users[user_id]

    def where(self, chat_id: int) -> str:
        if chat_id < 0:
            return f"group {chat_id}"
        if self.chat is not None and chat_id == self.user["id"]:
            return "private"
        user = self.users.get(chat_id)
        return f"private with {user['first_name']}" if user else f"chat {chat_id}"

    def prompt(self) -> str:
        assert self.chat is not None
        topic = self.bot.fake.forums.get(self.chat.chat_id, {}).get(self.chat.thread or 0) if self.bot else None
        here = f" #{topic.name}" if topic else ""
        return f"{self.user['first_name']} ({self.user['id']}) · {self.where(self.chat.chat_id)}{here}> "

    def _say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def switch_user(self, who: str) -> None:
        """``/as NAME`` or ``/as ID``: an existing user by name or id, else a new one."""
        assert self.bot is not None and self.chat is not None
        if not who:
            self._say("(usage: /as NAME or /as ID)")
            return
        if who.isdigit():
            user = self._user(int(who), f"User{who}")
        else:
            known = next((u for u in self.users.values() if u["first_name"] == who), None)
            user = known or self._user(max(self.users) + 1, who)
        chat_id = self.chat.chat_id if self.chat.chat_id < 0 else user["id"]
        self.chat = Chat(self.bot, chat_id, user, thread=self.chat.thread if chat_id < 0 else None)
        self._say(f"(you are {user['first_name']}, id {user['id']}, in {self.where(chat_id)})")

    async def to_group(self, number: str) -> None:
        """``/group [ID]``: a group chat; the first visit adds the bot (by the current user, who
        becomes the group's administrator), so the bot greets the group as it would."""
        assert self.bot is not None
        digits = number.lstrip("-")
        if number and not digits.isdigit():
            self._say("(usage: /group or /group ID)")
            return
        chat_id = -int(digits) if digits else GROUP_ID
        self.chat = Chat(self.bot, chat_id, self.user)
        if chat_id not in self.groups:
            self.groups.add(chat_id)
            self.bot.fake.admins[chat_id].add(self.user["id"])
            self._say(f"({self.user['first_name']} adds the bot to group {chat_id} and is its administrator; "
                      "/as NAME speaks as another member)")
            joined = self.bot.fake.membership(chat_id, self.user, ChatMemberStatus.LEFT, ChatMemberStatus.MEMBER)
            await self.bot.process(joined)
        else:
            self._say(f"(you are {self.user['first_name']}, id {self.user['id']}, in group {chat_id})")

    async def to_topic(self, name: str) -> None:
        """``/topic [NAME]``: the forum's topic NAME (opened by the current user if new), or its
        General; the first visit adds the bot to the forum as ``/group`` does."""
        assert self.bot is not None
        fake = self.bot.fake
        if FORUM_ID not in fake.forums:
            fake.forum(FORUM_ID)
        await self.to_group(str(FORUM_ID))
        if not name:
            return
        assert self.chat is not None
        known = next((t for t in fake.forums[FORUM_ID].values() if t.name == name and not t.deleted), None)
        self.chat = self.chat.in_topic(known.thread) if known else await self.chat.open_topic(name[:128])
        self._say(f"(in topic {name})")

    def to_private(self) -> None:
        assert self.bot is not None
        self.chat = Chat(self.bot, self.user["id"], self.user)
        self._say(f"(you are {self.user['first_name']}, id {self.user['id']}, in private)")

    # --- acting ----------------------------------------------------------------------------

    async def handle(self, line: str) -> None:
        """One line typed at the prompt."""
        assert self.chat is not None
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if vote := _VOTE.fullmatch(line):
            await self.vote(int(vote.group(1)))
        elif re.fullmatch(r"#\d+", line):
            await self.press(int(line[1:]))
        elif line.startswith("@"):
            reply = await self.chat.inline(line[1:])
            for i, result in enumerate(reply.answers[0]["results"] if reply.answers else [], start=1):
                self._say(f"  {i}. {_result_line(result)}")
        elif command == "/as":
            self.switch_user(rest)
        elif command == "/group":
            await self.to_group(rest)
        elif command == "/private":
            self.to_private()
        elif command == "/topic":
            await self.to_topic(rest)
        elif command == "/file":
            await self.send_file(rest)
        else:
            # A ForceReply makes a Telegram client's next message a reply to it (✏️ 修改信息):
            # so does the console, for a line that is not a command.
            prompt = self.prompts.pop(self.chat.chat_id, None)
            if prompt is not None and not line.startswith("/"):
                await self.chat.reply(prompt, line)
            else:
                await self.chat.send(line)

    async def send_file(self, path: str) -> None:
        """``/file PATH``: the file's bytes as a document message in this chat."""
        assert self.chat is not None
        if not path:
            self._say("(usage: /file PATH)")
            return
        try:
            content = Path(path).expanduser().read_bytes()
        except OSError as error:
            self._say(f"(cannot read {path}: {error.strerror or error})")
            return
        await self.chat.send_document(content, Path(path).name)

    async def press(self, number: int) -> None:
        assert self.chat is not None
        message = self.keyboards.get(self.chat.chat_id)
        if message is None or not 1 <= number <= len(message.buttons):
            self._say("(no such button)")
            return
        item = message.buttons[number - 1]
        if "url" in item:
            self._say(f"(link: {item['url']})")
            return
        if "web_app" in item:  # the Mini App: the console's own reader, in a browser
            self._say(f"(the reader, in a browser: {self.reader})")
            return
        await self.chat.press_data(message, item["callback_data"])

    async def vote(self, number: int) -> None:
        """Answer this chat's last quiz as the current user, and show the result as Telegram
        shows it to the voter."""
        assert self.chat is not None
        poll = self.polls.get(self.chat.chat_id)
        if poll is None:
            self._say("(no quiz here to answer)")
            return
        options = [o["text"] for o in poll["options"]]
        if not 1 <= number <= len(options):
            self._say(f"(no option {number}: 1–{len(options)})")
            return
        if (poll["id"], self.user["id"]) in self.voted:
            self._say("(you already answered this quiz)")
            return
        self.voted.add((poll["id"], self.user["id"]))
        if not poll["is_anonymous"]:
            await self.chat.vote(poll["id"], [number - 1])
        right = poll.get("correct_option_ids") or [0]
        if number - 1 in right:
            self._say(f"✅ {self.user['first_name']}: ({number}) is right")
        else:
            self._say(f"❌ {self.user['first_name']}: ({number}) is wrong; the answer is ({right[0] + 1}) "
                      f"{options[right[0]]}")
        if poll.get("explanation"):
            self._say(f"   💡 {poll['explanation']}")
        if poll["is_anonymous"]:
            self._say("   (an anonymous poll: Telegram does not tell the bot who answered)")

    # --- printing ----------------------------------------------------------------------------

    def show(self, call: Call) -> None:
        """A listener on the fake Bot API: print what a Telegram user would see of ``call`` (a call
        it fails to print is one line: the bot's request still succeeds)."""
        try:
            self._show(call)
        except Exception as error:
            self._say(f"(the console could not show {call.method}: {_one_line(error)})")

    def _show(self, call: Call) -> None:
        if call.method not in _SHOWN or not call.response or self.bot is None or self.chat is None:
            return
        if call.method == "answerCallbackQuery":
            note = call.params.get("text")
            if note:
                self._say(f"\n⚠ {note}" if _true(call.params.get("show_alert")) else f"\n💬 {note}")
            return
        if call.method == "setMessageReaction":  # e.g. 👍 on a /note in a group: its only answer
            key = (int(str(call.params.get("chat_id"))), int(str(call.params.get("message_id"))))
            emoji = " ".join(str(r.get("emoji", "")) for r in self.bot.fake.reactions.get(key, []))
            self._say(f"\n🤖 {emoji or '(reaction removed)'} (the bot's reaction on the message)")
            return
        message = call.message
        if message is None:
            return
        chat_id = int(message["chat"]["id"])
        there = "" if chat_id == self.chat.chat_id else f"→ {self.where(chat_id)} "
        thread = message.get("message_thread_id") if message.get("is_topic_message") else None
        if thread is not None:  # a forum topic other than General: its name first
            topic = self.bot.fake.forums.get(chat_id, {}).get(int(thread))
            there += f"[#{topic.name if topic else thread}] "
        if call.method == "sendPoll":  # a quiz: the question and numbered options
            poll = message["poll"]
            self.polls[chat_id] = poll
            options = "".join(f"\n   ({n}) {o['text']}" for n, o in enumerate(poll["options"], start=1))
            self._say(f"\n🤖 {there}❓ {poll['question']}{options}\n   (/vote N answers)")
            return
        sent = self.bot.fake.sent[(chat_id, message["message_id"])]
        if call.method == "editMessageReplyMarkup":
            self._say(f"\n🤖 {there}(buttons changed)")
        else:
            edited = "(edited) " if call.method == "editMessageText" else ""
            picture = ""
            if sent.photo:  # a card: where to look at it, then its caption
                path = Path(tempfile.gettempdir()) / f"speechbot-card-{sent.message_id}.png"
                path.write_bytes(self.bot.fake.files[sent.photo])
                picture = f"🖼 {path}\n"
            elif sent.document:  # a file (the 学习台账): where to open it, then its caption
                path = document_path(sent)
                path.write_bytes(self.bot.fake.files[sent.document])
                picture = f"📄 {path}\n"
            self._say(f"\n🤖 {there}{edited}{picture}{terminal_text(sent.html, self.out.isatty())}")
        if (sent.reply_markup or {}).get("force_reply"):
            self.prompts[chat_id] = sent
            self._say("   (a reply is asked for: the next line you type answers it)")
        if sent.buttons:
            self.keyboards[chat_id] = sent
            number = 0
            for row in sent.reply_markup["inline_keyboard"] if sent.reply_markup else []:
                labels = []
                for item in row:
                    number += 1
                    labels.append(f"[{number}] {item['text']}")
                self._say("   " + "   ".join(labels))


def document_path(sent: Sent) -> Path:
    """Where the console saves a document the bot sent: its own name (no directory), under a
    folder of the message's chat and number in the temporary directory."""
    folder = Path(tempfile.gettempdir()) / f"speechbot-files-{sent.chat_id}-{sent.message_id}"
    folder.mkdir(exist_ok=True)
    return folder / (Path(sent.file_name).name or "document")


def database_url(settings: Settings) -> str:
    """The console's database: ``SPEECHBOT_DATABASE_URL`` when it is set (the environment or
    ``.env``), else ``DATABASE``."""
    if "database_url" in settings.model_fields_set:
        return settings.database_url
    return f"sqlite+aiosqlite:///{DATABASE}"


async def run_console(settings: Settings | None = None, speech: Speech | None = None, stdin: TextIO | None = None,
                      out: TextIO | None = None, language_code: str = "zh-hans") -> int:
    """Run the console until EOF or /quit (standard input and output unless given); returns the exit code."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    base = settings or Settings(token=None)
    url = database_url(base)
    local_settings = base.model_copy(update={
        "database_url": url, "push_interval_seconds": 5.0,
        "rate_limit": False, "webhook_url": None, "admin_ids": base.admin_ids | {USER_ID}})
    console = Console(out, language_code)
    async with LocalBot(local_settings, speech) as bot:
        console.start(bot, "同学" if not language_code.startswith("en") else "there")
        bot.fake.listen(console.show)
        out.write(BANNER)
        kept = url.split("///", 1)[-1] if url.startswith("sqlite") else "SPEECHBOT_DATABASE_URL's database"
        out.write(f"What you do here is kept in {kept} for the next session (delete it to start afresh).\n")
        # The reader (Mini App) on the same bot and database, signed for the console's user.
        console.reader = bot.reader_url(await bot.serve_reader(), USER_ID, console.user["first_name"],
                                        language_code)
        out.write(f"The reader (Telegram Mini App) for you, in a browser: {console.reader}\n")
        out.flush()
        while True:
            if stdin.isatty():
                out.write("\n" + console.prompt())
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                return 0
            if line.strip():
                try:
                    await console.handle(line.strip())
                except Exception as error:  # a fault of the console (or a bot gone quiet): not the end of the session
                    out.write(f"(the console could not handle that line: {_one_line(error)})\n")
                    out.flush()
