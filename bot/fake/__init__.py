"""The fake Telegram: a Bot API server on 127.0.0.1, simulated users, fault injection, the real
bot running against it (``local``) and the console. Only the console command, tests and
benchmarks import this package."""
