"""A study group's 学习台账: the month's record an organiser hands in, as plain records
(``content.ledger.record``) and the files built from them (.xlsx, .docx, a participation chart).

Nothing here knows Telegram or the database: the bot reads the records from its store and
passes them in; every function returns bytes.
"""
