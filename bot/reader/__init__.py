"""The reader (a Telegram Mini App): its JSON API (``api``, each answer and body typed in
``schema``), its HTTP routes and page (``routes``), and the check of Telegram's signed initData
(``initdata``). ``bot.http`` is the server it is mounted on."""
