"""Every text users see, in Chinese (default) and English.

``text(lang, key, **args)`` renders a message for HTML parse mode: each argument is escaped
unless it is ``Html`` (already-rendered markup from ``handlers.render``), and loses the control
characters a user could slip in (see ``printable``). A missing key or a
wrong argument is a bug, caught by ``tests/handlers/test_catalog.py``, which renders every
message with exactly the arguments its callers pass.
"""

from __future__ import annotations

import html
import re
import string
from typing import Literal

Lang = Literal["zh", "en"]


class Html(str):
    """Markup that is already safe for Telegram's HTML parse mode."""

    __slots__ = ()


ZH: dict[str, str] = {
    "welcome": (
        "👋 你好，{name}！我帮助学习小组学习{title}。\n\n"
        "• /outline 目录，逐节阅读\n• /search 关键词 — 搜索原文\n• /quote 金句\n"
        "• /today 今日一慎\n• /summary 摘要\n• /shen 慎初、慎微、慎独、慎友\n\n/help 查看全部命令"
    ),
    "help": (
        "<b>命令</b>\n"
        "/outline（或 /mulu）— 目录：逐级点开，原地翻页\n"
        "/show 4.2 — 阅读一节（也可写 四（二）、4-2）\n"
        "/search 慎独 — 搜索（错字、繁体、拼音 shendu 都可以）；/search 全部 慎独 — 在全部文本中搜索\n"
        "/quote 纪律 — 一句原文金句（可带关键词，或编号如 /quote 4.2）\n"
        "/card 纪律 — 金句图片，便于转发（不带参数：今日一慎图片）\n"
        "/today — 今日一慎与每日金句\n"
        "/summary 4 — 全文或某节的摘要与关键词\n"
        "/shen 慎独 — 四个“慎”字的解释与相关原文\n"
        "/texts — 文本库（最新在前）· /use 2 — 切换本聊天学习的文本（群里由管理员切换；/use 1 回到原文）\n"
        "/subscribe 08:00 — 每天定时推送今日一慎（/unsubscribe 取消，/settime、/timezone 修改）\n"
        "/settings — 查看和修改推送设置\n"
        "/plan — 学习计划（/plan 10 选择天数）· /progress 学习进度 · /quiz 答题 · /rank 本周榜单\n"
        "/saved 我的收藏 · /privacy 隐私说明 · /forget 删除我的数据\n\n"
        "中文命令也可以：/目录 /阅读 /搜索 /金句 /图片 /今日（/今日一慎）/摘要 /慎 "
        "/计划 /进度 /答题 /榜单 /收藏 /帮助\n\n"
        "在任何聊天中输入 @{bot} 关键词 可直接引用原文。"
    ),
    "group_hello": (
        "大家好！我是讲话学习助手。\n/today 今日一慎 · /search 关键词 · /quote 金句 · /outline 目录\n"
        "管理员可用 /subscribe 开启每日推送。"
    ),
    "outline_title": "📖 <b>目录</b>：{title}",
    "outline_part": "📖 <b>{label}{heading}</b>\n请选择小节：",
    "node_header": "<b>【{label}】</b>",
    "node_intro_header": "<b>【{label} 导语】</b>",
    "page_marker": "（第 {page}/{pages} 页）",
    "read_more_private": "📱 在私聊中阅读全文",
    "truncated": "……（全文较长，请在私聊中阅读）",
    "btn_prev": "◀ 上一节",
    "btn_next": "下一节 ▶",
    "btn_prev_page": "◀ 上一页",
    "btn_next_page": "下一页 ▶",
    "btn_up": "⬆ 返回",
    "btn_outline": "📖 目录",
    "btn_shen": "四个“慎”字",
    "btn_card": "🖼 图片",
    "btn_full_text": "📄 阅读全文",
    "btn_another": "🔄 换一条",
    "btn_read": "{label} 阅读",
    "search_results": "🔍 “{query}” 的搜索结果：",
    "search_hit": "{n}. <b>{label}</b> {highlighted}",
    "search_exact": "📌 <b>原文</b>（讲话里的原话）：",
    "search_related": "🔗 <b>相关</b>（讲话换了说法讲到这一点）：",
    "search_nearest": "〰️ <b>相近</b>（与问题相近的段落，未必直接回答）：",
    "search_nearest_only": "以下段落与“{query}”相近，但未必直接回答，请对照原文判断：",
    "search_none": "讲话没有谈到“{query}”。可以换个说法再问，用 /outline 浏览目录，或看看讲话的四个“慎”字。",
    "quote": "“{text}”\n出自 <b>{label}</b>",
    "quote_none": "没有找到包含“{keyword}”的金句。试试 /search {keyword}，或直接 /quote。",
    "quote_only_one": "相符的金句只有这一条。",
    "today": (
        "🗓 <b>{date} 今日一慎：{principle}</b>\n{meaning}\n\n{explanation}\n\n"
        "{note}<b>每日金句</b>\n“{quote}”\n出自 {label}"
    ),
    "today_fallback": "ℹ️ 本文中没有贴合「{principle}」的段落，以下摘自原讲话。",
    "card_today_caption": "🗓 <b>{date} 今日一慎：{principle}</b>\n{meaning}\n\n{note}“{quote}”\n出自 {label}",
    "summary": "📝 <b>{label} 摘要</b>\n{summary}\n\n<b>关键词</b>：{keywords}",
    "shen_list": "<b>四个“慎”字</b>（讲话前言：把慎初、慎微、慎独、慎友作为处事原则）\n\n{items}\n\n点按查看详情：",
    "shen_item": "<b>{name}</b>：{meaning}",
    "shen_detail": "<b>{name}</b>（{pinyin}）\n{meaning}\n\n{explanation}\n\n{source}<b>相关原文</b>：\n{passages}",
    "shen_source": "<i>出处</i>：{source}\n\n",
    "shen_passage": "• {label} {title}",
    "usage_show": "用法：/show 编号，例如 /show 4.2 或 /show 四（二）",
    "usage_search": "用法：/search 关键词，例如 /search 慎独",
    "usage_shen": "用法：/shen 或 /shen 慎独（可选：慎初、慎微、慎独、慎友）",
    "unknown_id": "没有编号为“{ref}”的章节。可用编号如 1、1.2、4.2.3、preface、closing；/outline 查看目录。",
    "unknown_command": "不认识这个命令。发送 /help 查看全部命令。",
    "too_long": "输入太长了（最多 {limit} 个字）。",
    "stale_button": "这个按钮已经过期，请重新发送命令。",
    "error": "抱歉，出了点问题。请稍后再试。",
    "inline_today_title": "今日一慎：{principle}",
    "inline_principle_title": "{name}：{meaning}",
    "inline_hit_title": "{label} {snippet}",
    "inline_quote": "“{text}”\n出自 {label}",
    "sub_done": "✅ 已订阅：每天 {time}（{zone}）推送今日一慎。下一次：{next}。",
    "sub_off": "已取消每日推送。随时可以用 /subscribe 重新开启。",
    "sub_none": "本聊天还没有订阅每日推送。发送 /subscribe 08:00 开启。",
    "usage_subscribe": "用法：/subscribe 或 /subscribe 07:30（24 小时制）",
    "usage_settime": "用法：/settime 07:30（24 小时制）",
    "time_set": "⏰ 推送时间改为每天 {time}（{zone}）。",
    "zone_set": "🌏 时区改为 {zone}，当地时间现在是 {local}。",
    "zone_pick": "请选择时区，或发送 /timezone 城市（如 北京、柏林，或 Europe/Berlin）：",
    "bad_zone": "不认识时区“{zone}”。请用城市名（如 北京、柏林）或 IANA 名称（如 Asia/Shanghai），或从下面选择：",
    "not_admin": "只有本群管理员可以修改推送设置。",
    "not_admin_plan": "只有本群管理员可以开始、更改或停止本群的学习计划。发送 /plan 可查看今天的一段。",
    "no_store": "推送功能暂不可用（没有配置数据库）。",
    "settings": "⚙️ <b>每日推送设置</b>\n状态：{state}\n时间：每天 {time}\n时区：{zone}\n形式：{format}{polls}",
    "settings_polls": "\n答题：{polls}",
    "format_text": "文字",
    "format_card": "图片（附文字说明）",
    "btn_format_card": "🖼 改为图片",
    "btn_format_text": "📝 改为文字",
    "state_on": "已开启",
    "state_off": "未开启",
    "state_paused": "已暂停（机器人曾被移出或屏蔽）",
    "btn_sub_on": "🔔 开启推送",
    "btn_sub_off": "🔕 关闭推送",
    "btn_zone": "🌏 更改时区",
    "group_hello_again": "欢迎回来！每日推送已恢复：每天 {time}（{zone}）。",
    "plan_day": "📖 <b>{plan} 第 {day}/{days} 天</b>：{labels}\n\n{text}",
    "plan_name": "《{title}》的学习计划",
    "plan_name_plain": "学习计划",
    "plan_more": "……（未完，点“继续阅读”）",
    "plan_started": (
        "✅ {plan}已开始：{days} 天读完全文，每天一段。今天是第 1 天，这一段就在下面；"
        "从第 2 天起，每天的一段随每日推送发出（每天 {time}，{zone}）。"
    ),
    "plan_shorter": "这篇文本较短，最多只能分 {days} 天（每天至少一段），所以计划是 {days} 天，而不是 {asked} 天。",
    "plan_push_on": "🔔 本聊天的每日推送已随之开启（/unsubscribe 可关闭），下一次：{next}。",
    "plan_too_long": "全文最多可分 {max} 天（每天至少一段），分不成 {asked} 天。",
    "plan_restart_ask": "本聊天的学习计划正在进行（第 {day}/{days} 天）。要按 {new} 天从头开始，还是继续当前计划？",
    "btn_plan_start": "▶️ 按 {days} 天开始",
    "btn_plan_restart": "🔄 按 {days} 天重新开始",
    "btn_plan_keep": "继续当前计划",
    "plan_kept": "好的，继续当前计划：今天是第 {day}/{days} 天。",
    "plan_not_yours": "只有发起这个操作的管理员才能选择。",
    "next_now": "今天（{date}）{time} 这一次，马上补发",
    "next_today": "今天（{date}）{time}",
    "next_tomorrow": "明天（{date}）{time}",
    "next_on": "{date} {time}",
    "plan_done": "🎉 学习计划的 {days} 天已经读完。发送 /plan {days} 再读一遍，或换一个天数（如 /plan 10）。",
    "plan_stopped": "学习计划已停止。",
    "plan_not_yet": "学习计划将于 {date} 开始。",
    "usage_plan": "用法：/plan（开始或查看）、/plan 10（{min}–{max} 天）、/plan stop（停止）",
    "btn_done": "✅ 读完了",
    "btn_continue": "📄 继续阅读",
    "read_marked": "已记录。连续学习 {streak} 天。",
    "read_again": "今天这段已经记过了。连续学习 {streak} 天。",
    "progress_member": (
        "📊 <b>我的学习</b>\n已读章节：{read}\n连续学习：{streak} 天\n答题：{right}/{answered} 正确\n\n"
        "（已读章节和连续学习只计学习计划中点了“✅ 读完了”的段落；用 /show、目录或阅读器读的不计入。）"
    ),
    "progress_text": "{title} {read}/{total}",
    "progress_group": "📊 <b>本群学习进度</b>\n{plan}：第 {day}/{days} 天\n今天读完的成员：{today} 人",
    "progress_group_none": "📊 本群还没有学习计划。管理员可发送 /plan 开始。",
    "quiz_unavailable": "答题暂不可用（没有配置数据库）。",
    "quiz_none": "{title}出不了题：题目由文中的关键术语和各部分生成，这篇文本里不够。可以用 /use 换一篇。",
    "rank": "🏆 <b>本周答题榜</b>（{week}）\n{lines}",
    "rank_line": "{n}. {name}：{right}/{answered}",
    "rank_none": "🏆 本周（{week}）还没有记名的答题。发送 /quiz 答题；匿名答题不计入榜单。",
    "rank_anonymous": "本群的答题目前是匿名的：管理员可在 /settings 中点“👥 答题改为公开”，此后的答题计入榜单。",
    "saved": "☆ <b>我的收藏</b>\n{lines}\n\n/saved daily：让收藏轮流成为 /today 的每日金句",
    "saved_line": "{n}. {label} {text}",
    "saved_older": "（较早的 {count} 条收藏没有列出；再点一次“★ 已收藏”可取消收藏。）",
    "saved_none": "还没有收藏。在金句、搜索结果或章节下点“☆ 收藏”。",
    "saved_added": "已收藏。发送 /saved 查看。",
    "saved_removed": "已取消收藏。",
    "saved_daily_on": "好的：/today 的每日金句将轮流使用你的收藏。发送 /saved off 取消。",
    "saved_daily_off": "好的：/today 恢复使用全文的每日金句。",
    "btn_save": "☆ 收藏",
    "btn_saved": "★ 已收藏",
    "forget_ask": (
        "确定要删除机器人保存的关于你的全部数据吗？包括：你的答题、学习进度、收藏、阅读器里读到的位置和个人设置，"
        "以及这个私聊的每日提醒、学习计划、题目和推送记录。群的设置和学习计划属于群，不会删除。此操作不能撤销。"
    ),
    "btn_forget": "🗑 确认删除",
    "btn_forget_keep": "取消",
    "forget_kept": "好的，已取消：什么也没有删除。",
    "forget_private": "删除数据要在与我的私聊中确认，这样别人不能替你确认。点下面的按钮继续。",
    "btn_forget_private": "🔒 去私聊确认",
    "forget_not_yours": "只有发送 /forget 的人才能确认删除自己的数据。",
    "forgotten": (
        "已删除关于你的全部数据：{rows} 条记录（含这个私聊的每日提醒和学习计划，如有）。"
        "群的设置和学习计划属于群，仍然保留。"
    ),
    "forgotten_none": "没有关于你的记录，没有需要删除的。",
    "privacy": (
        "🔒 <b>隐私说明</b>\n本机器人保存：\n"
        "• 每个聊天的推送设置、学习计划、发出的题目和推送记录；\n"
        "• 你点“读完了”的日期与段落（用于连续天数和进度）；\n"
        "• 你对非匿名答题的回答和名字（用于本群榜单）；\n"
        "• 你的收藏、在阅读器里读到的位置（下次打开回到那里）和个人设置。\n"
        "没有结果的搜索只保存文字和次数，不保存是谁搜的。群内进度只显示人数，不显示名字。\n"
        "发送 /forget 删除以上属于你的全部数据，包括与你私聊的推送设置、学习计划、题目和推送记录；"
        "群的推送设置和学习计划属于群，仍然保留（由群管理员用 /unsubscribe、/plan stop 停止）。"
    ),
    "state_polls_open": "公开（显示答题者）",
    "state_polls_anonymous": "匿名",
    "btn_polls_open": "👥 答题改为公开",
    "btn_polls_anonymous": "🙈 答题改为匿名",
    "btn_quiz_daily_on": "❓ 推送附带每日一题",
    "btn_quiz_daily_off": "❓ 推送不附带题目",
    "stats": (
        "📊 <b>运行概况</b>\n\n<b>聊天</b>（总数 / 订阅中）\n{chats}\n\n<b>推送时间</b>（订阅数）\n{schedule}\n\n"
        "<b>近 7 天推送</b>\n{deliveries}\n\n<b>问题</b>\n{failures}\n\n<b>没有结果的搜索</b>\n{misses}"
    ),
    "stats_chat": "• {kind}：{count} / {active}",
    "stats_slot": "• {zone} {hour} 点：{count}",
    "stats_count": "• {name}：{count}",
    "stats_failure": "• {outcome}：{reason}（{count}）",
    "stats_miss": "• “{query}”：{count} 次",
    "stats_none": "（无）",
    "upload_preview": (
        "📥 <b>文本 #{id}</b>（{state}）\n文件：{source}\n标题：{title}\n讲话人：{speaker}\n日期：{date}\n"
        "场合：{occasion}"
    ),
    "upload_state_draft": "草稿，尚未发布",
    "upload_state_again": "草稿：这个文件之前已经上传过",
    "upload_state_live": "已发布",
    "upload_state_removed": "已移出文本库",
    "upload_missing": "（未找到）",
    "upload_outline": "<b>提纲</b>：{parts} 个部分，{sections} 个小节，{points} 个要点",
    "upload_part": "{label}{title}",
    "upload_part_counts": "{label}{title}（{sections} 小节，{points} 要点）",
    "upload_section": "　{label}{title}",
    "upload_section_points": "　{label}{title}（{points} 要点）",
    "upload_other": "{label}",
    "upload_outline_more": "……还有 {count} 行",
    "upload_notes": "\n\n<b>没有导入的内容</b>\n{lines}",
    "upload_note_tables": "• {count} 个表格（在第 {paragraphs} 段之后）",
    "upload_note_footnotes": "• {count} 个脚注",
    "upload_note_endnotes": "• {count} 个尾注",
    "upload_note_text_boxes": "• {count} 个文本框",
    "upload_note_page_furniture": "• {count} 行页眉、页脚或页码",
    "upload_note_encoding": "• 按 {encoding} 编码读取（不是 UTF-8）",
    "upload_note_format": "• 按 .{kind} 文件读取：文件名以 {suffix} 结尾，内容却是 .{kind}",
    "upload_note_controls": "• {count} 个控制字符（已删除）",
    "upload_note": "• {detail}",
    "btn_text_publish": "✅ 发布",
    "btn_text_fix": "✏️ 修改信息",
    "btn_text_discard": "🗑 放弃",
    "upload_too_large": "文件太大（{size}），最大 {limit}。请删去图片或拆分后再发送。",
    "upload_refused": "❌ 无法导入 {name}：{reason}",
    "upload_limit_unpacked": "解压后有 {size}，超出讲话稿的上限（{limit}）。",
    "upload_limit_paragraphs": "段落超过 {limit} 个，不像一篇讲话。",
    "upload_limit_pages": "共 {count} 页，超出上限（{limit} 页）。",
    "upload_limit_page_bytes": "第 {page} 页的绘制指令超过 {limit}，不是一页文字。",
    "upload_limit_page_characters": "第 {page} 页超过 {limit} 个字符，不是一页文字。",
    "upload_limit_label": "有一个自动编号超过 {limit} 个字符。",
    "upload_limit_characters": "共 {count} 个字符，超出一篇文本的上限（{limit}）。",
    "upload_limit_characters_more": "超过 {count} 个字符，超出一篇文本的上限（{limit}）。",
    "upload_limit_sentences": "共 {count} 句，超出一篇文本的上限（{limit} 句）。",
    "upload_limit_memory": "读取它需要超过 {limit} MB 内存，已停止。",
    "upload_limit_time": "读取超过 {limit} 秒，已停止。",
    "upload_limit_crashed": "读取时程序停止了（内存不足或文件损坏）。",
    "upload_download_failed": "无法从 Telegram 下载这个文件（{reason}）。请稍后重新发送。",
    "upload_no_store": "文本库暂不可用（没有配置数据库）。",
    "upload_failed": "❌ 无法导入这个文件：\n{error}\n\n请在原文件中改好后重新发送（.docx、.pdf 或 .txt）。",
    "upload_wrong_kind": "❌ 无法导入“{name}”：只能导入 Word（.docx）、PDF（.pdf）和纯文本（.txt）文件。",
    "import_error": "{place}：{reason}",
    "import_place_file": "{source}",
    "import_place_line": "{source} 第 {line} 行",
    "import_place_paragraph": "{source} 第 {number} 段{excerpt}",
    "import_place_page": "{source} 第 {page} 页第 {line} 行{excerpt}",
    "import_place_other": "{source}：{where}",
    "import_reason_part_order": "部分的编号 {found}、 顺序不对（这里应是 {expected}、）",
    "import_reason_section_order": "小节的编号 （{found}） 顺序不对（这里应是 （{expected}））",
    "import_reason_section_first": "第一个部分“一、”之前出现了小节“（…）”",
    "import_reason_heading_after_closing": "结束语之后又出现了标题",
    "import_reason_no_structure": "看不出讲话的结构：没有“一、……”这样的部分标题",
    "import_reason_not_utf8": "不是可以读取的文本（不是 UTF-8 编码）",
    "import_reason_empty": "文件是空的",
    "import_reason_no_text": "文档里没有文字",
    "import_reason_old_doc": "这是旧版 Word .doc 文件（或设了密码的文件）：请在 Word 或 WPS 中另存为 .docx",
    "import_reason_unpacked": "解压后太大，不像一篇讲话",
    "import_reason_not_kind": "不是 {kind} 文件（内容与文件名不符，或文件已损坏）",
    "import_reason_damaged": "文件已损坏（{detail}）",
    "import_reason_pages": "共 {pages} 页，太长，不像一篇讲话（最多 {limit} 页）",
    "import_reason_password": "PDF 设了密码：请发送没有密码的文件",
    "import_reason_scan": "PDF 没有文字层：页面是图片（扫描件？），读不出文字。请发送 Word 文件，或带文字保存的 PDF",
    "import_reason_unreadable": "PDF 里的文字读不出来：字体没有对应的文字编码。请发送 Word 文件",
    "import_reason_unreadable_file": "无法作为 {kind} 文件读取（文件已损坏？）",
    "import_reason_other": "{detail}",
    "upload_exists_live": "这篇已经在文本库里：#{id}《{title}》，已发布。在群里发送 /use {id} 切换到这篇。",
    "upload_offer": "📝 这个文件带有 #{id} 还没有的信息：\n{fields}\n\n要采用吗？（只填空着的项，已有的不变）",
    "upload_offer_title": "<code>标题={value}</code>",
    "upload_offer_speaker": "<code>讲话人={value}</code>",
    "upload_offer_date": "<code>日期={value}</code>",
    "upload_offer_occasion": "<code>场合={value}</code>",
    "btn_text_take": "✅ 采用这些信息",
    "upload_offer_taken": "已采用。",
    "upload_offer_nothing": "#{id} 的这些信息已经填好了，没有改动。",
    "upload_publishing": "正在发布，建立索引……",
    "upload_published": (
        "✅ 已发布：#{id}《{title}》。\n在群里由管理员发送 /use {id}，全群就改学这篇；私聊中发送 /use {id} 自己切换。"
        "/texts 查看文本库。"
    ),
    "upload_discarded": "🗑 已放弃草稿 #{id}。",
    "upload_gone": "文本 #{id} 已不存在（草稿已放弃？）。",
    "describe_unknown": "没有文本 #{id}。发送 /texts 查看文库里的文本。",
    "upload_not_draft": "#{id} 不是草稿（已发布或已移出），不能放弃。",
    "describe_prompt": (
        "✏️ #{id} 修改信息：回复这条消息，每行写一项，只写要改的（写 - 清空一项）。"
        "点一下下面的一行即可复制：\n{fields}\n\n"
        "也可以发送：/describe {id} 标题=… 讲话人=… 日期=2026-11-28 场合=…"
    ),
    "describe_fields": (
        "<code>标题={title}</code>\n<code>讲话人={speaker}</code>\n<code>日期={date}</code>\n<code>场合={occasion}</code>"
    ),
    "describe_placeholder": "标题=… 讲话人=… 日期=2026-11-28",
    "describe_bad_date": "看不懂日期“{value}”。请写成 2026-11-28 或 2026年11月28日。",
    "describe_unknown_field": (
        "没有“{names}”这一项。可以改的项：标题、讲话人、日期、场合（也可以写 题目、作者、发言人、时间、会议）。"
    ),
    "describe_no_fields": (
        "没有看到要改的项。每行写一项，例如 <code>讲话人=李四</code>；可以改的项：标题、讲话人、日期、场合。"
    ),
    "usage_describe": (
        "用法：/describe 编号 标题=… 讲话人=… 日期=2026-11-28 场合=…（只写要改的；写 - 清空一项）。"
        "更方便：在预览下点“✏️ 修改信息”。"
    ),
    "btn_reader": "📖 阅读器",
    "reader_title": "阅读器",
    "reader_outline": "目录",
    "reader_close": "关闭",
    "reader_search": "搜索",
    "reader_search_placeholder": "搜索讲话",
    "reader_search_none": "没有找到相符的内容。试试别的说法。",
    "reader_search_clear": "清除搜索",
    "reader_tier_exact": "📌 原文（讲话里的原话）",
    "reader_tier_related": "🔗 相关（讲话换了说法讲到这一点）",
    "reader_tier_nearest": "〰️ 相近（未必直接回答）",
    "reader_hit_of": "第 {n}/{total} 处",
    "reader_prev_hit": "上一处",
    "reader_next_hit": "下一处",
    "reader_hit_list": "列表",
    "reader_save": "☆ 收藏",
    "reader_saved": "★ 已收藏",
    "reader_saved_list": "我的收藏",
    "reader_saved_none": "还没有收藏。点段落旁的“☆ 收藏”。",
    "reader_plan": "今日学习计划 第 {day}/{days} 天：{labels}",
    "reader_done_already": "✅ 今天已读完",
    "reader_font_smaller": "缩小字号",
    "reader_font_larger": "放大字号",
    "reader_send": "发送到聊天",
    "reader_error": "出了点问题，请稍后再试。",
    "reader_offline": "请从 Telegram 中打开阅读器（缺少登录信息或已过期）。",
    "texts": (
        "📚 <b>文本库</b>（共 {count} 篇，最新在前）\n\n{lines}\n\n"
        "点按下面的按钮切换本聊天学习的文本，或发送 /use 编号。"
    ),
    "texts_line": "{mark}<b>{id}.</b> {title}",
    "texts_byline": "      {byline}",
    "texts_current": "✅ ",
    "texts_only_original": "📚 没有配置数据库，文本库里只有{title}。",
    "btn_use_text": "{mark}{id}. {title}",
    "use_usage": "本聊天正在学习：{title}\n用法：/use 编号（/texts 查看文本库）；/use 1 或 /use 原文 回到原文。",
    "use_unknown": "文本库里没有编号为“{ref}”的文本。发送 /texts 查看可以选择的文本。",
    "use_not_admin": "抱歉，只有本群管理员可以切换本群学习的文本。/texts 可以查看文本库。",
    "use_no_store": "切换文本需要数据库（没有配置），现在只能学习原文。",
    "use_done": "✅ 本聊天现在学习：{title}\n/outline、/show、/search、/quote、/summary 等命令都用这篇文本。",
    "text_removed": "ℹ️ 这篇文本已从文本库中移除，仍可阅读。",
    "btn_search_all": "🔎 在全部文本中搜索",
    "search_results_all": "🔍 在全部文本中搜索“{query}”的结果：",
    "search_all_partial": "ℹ️ 文本库共 {total} 篇，搜索了最新的 {searched} 篇。",
    "search_nearest_only_all": "以下各文本的段落与“{query}”相近，但未必直接回答，请对照原文判断：",
    "search_all_none": "全部文本都没有谈到“{query}”。可以换个说法再问。",
    "card_source": "📖 {source}",
}

EN: dict[str, str] = {
    "welcome": (
        "👋 Hello, {name}! I help study groups read {title}.\n\n"
        "• /outline table of contents\n• /search words — search the text\n• /quote a quote\n"
        "• /today today's 慎 principle\n• /summary summaries\n• /shen the four 慎 principles\n\n"
        "/help lists every command"
    ),
    "help": (
        "<b>Commands</b>\n"
        "/outline (or /mulu) — contents: tap through, pages turn in place\n"
        "/show 4.2 — read a section (四（二） and 4-2 work too)\n"
        "/search 慎独 — search (typos, traditional characters and pinyin like shendu work); "
        "/search all 慎独 — search every text\n"
        "/quote 纪律 — a verbatim quote (optional: a keyword, or an id like /quote 4.2)\n"
        "/card 纪律 — a quote as a picture to forward (alone: today's card)\n"
        "/today — today's 慎 principle and quote of the day\n"
        "/summary 4 — summary and keywords of the speech or a section\n"
        "/shen 慎独 — the four 慎 principles explained, with passages\n"
        "/texts — the library, newest first · /use 2 — switch the text this chat studies (admins in groups; "
        "/use 1: the original)\n"
        "/subscribe 08:00 — a daily reminder at that time (/unsubscribe, /settime, /timezone)\n"
        "/settings — see and change the daily reminder\n"
        "/plan — a reading plan (/plan 10 sets the pace) · /progress · /quiz · /rank this week's ranking\n"
        "/saved my bookmarks · /privacy · /forget delete my data\n\n"
        "Chinese commands work too: /目录 outline, /阅读 show, /搜索 search, /金句 quote, /图片 card, /今日 or "
        "/今日一慎 today, /摘要 summary, /慎 shen, /计划 plan, /进度 progress, /答题 quiz, /榜单 rank, /收藏 saved, "
        "/帮助 help\n\n"
        "In any chat, type @{bot} words to quote the speech."
    ),
    "group_hello": (
        "Hello everyone! I help this group study the speech.\n/today · /search words · /quote · /outline\n"
        "Admins can turn on the daily reminder with /subscribe."
    ),
    "outline_title": "📖 <b>Contents</b>: {title}",
    "outline_part": "📖 <b>{label}{heading}</b>\nChoose a section:",
    "node_header": "<b>【{label}】</b>",
    "node_intro_header": "<b>【{label} · introduction】</b>",
    "page_marker": "(page {page}/{pages})",
    "read_more_private": "📱 Read it all in a private chat",
    "truncated": "… (long text: read it in a private chat)",
    "btn_prev": "◀ Previous",
    "btn_next": "Next ▶",
    "btn_prev_page": "◀ Page",
    "btn_next_page": "Page ▶",
    "btn_up": "⬆ Back",
    "btn_outline": "📖 Contents",
    "btn_shen": "The four 慎",
    "btn_card": "🖼 Card",
    "btn_full_text": "📄 Full text",
    "btn_another": "🔄 Another one",
    "btn_read": "Read {label}",
    "search_results": "🔍 Results for “{query}”:",
    "search_hit": "{n}. <b>{label}</b> {highlighted}",
    "search_exact": "📌 <b>In the speech's words</b>:",
    "search_related": "🔗 <b>Related</b> (the speech speaks to this in other words):",
    "search_nearest": "〰️ <b>Close</b> (near your question, not necessarily an answer):",
    "search_nearest_only": ("These passages are close to “{query}” but may not answer it directly; "
                            "check them against the text:"),
    "search_none": ("The speech does not address “{query}”. Try other words, browse the outline with /outline, "
                    "or see its four principles of caution."),
    "quote": "“{text}”\n— from <b>{label}</b>",
    "quote_none": "No quote contains “{keyword}”. Try /search {keyword}, or plain /quote.",
    "quote_only_one": "This is the only matching quote.",
    "today": (
        "🗓 <b>{date} — today's principle: {principle}</b>\n{meaning}\n\n{explanation}\n\n"
        "{note}<b>Quote of the day</b>\n“{quote}”\n— from {label}"
    ),
    "today_fallback": "ℹ️ No passage of this text fits {principle}: the quote below is from the original speech.",
    "card_today_caption": (
        "🗓 <b>{date} — today's principle: {principle}</b>\n{meaning}\n\n{note}“{quote}”\n— from {label}"
    ),
    "summary": "📝 <b>Summary of {label}</b>\n{summary}\n\n<b>Keywords</b>: {keywords}",
    "shen_list": "<b>The four 慎 principles</b> (named in the preface)\n\n{items}\n\nTap one for details:",
    "shen_item": "<b>{name}</b>: {meaning}",
    "shen_detail": "<b>{name}</b> ({pinyin})\n{meaning}\n\n{explanation}\n\n{source}<b>Passages</b>:\n{passages}",
    "shen_source": "<i>Source</i>: {source}\n\n",
    "shen_passage": "• {label} {title}",
    "usage_show": "Usage: /show ID, e.g. /show 4.2 or /show 四（二）",
    "usage_search": "Usage: /search words, e.g. /search 慎独",
    "usage_shen": "Usage: /shen or /shen 慎独 (one of 慎初, 慎微, 慎独, 慎友)",
    "unknown_id": "There is no section “{ref}”. Ids look like 1, 1.2, 4.2.3, preface, closing; see /outline.",
    "unknown_command": "I don't know that command. /help lists them all.",
    "too_long": "That is too long (at most {limit} characters).",
    "stale_button": "This button has expired; please send the command again.",
    "error": "Sorry, something went wrong. Please try again later.",
    "inline_today_title": "Today: {principle}",
    "inline_principle_title": "{name}: {meaning}",
    "inline_hit_title": "{label} {snippet}",
    "inline_quote": "“{text}”\n— from {label}",
    "sub_done": "✅ Subscribed: today's 慎 principle every day at {time} ({zone}). Next: {next}.",
    "sub_off": "The daily reminder is off. /subscribe turns it on again.",
    "sub_none": "This chat has no daily reminder. Send /subscribe 08:00 to start one.",
    "usage_subscribe": "Usage: /subscribe or /subscribe 07:30 (24-hour clock)",
    "usage_settime": "Usage: /settime 07:30 (24-hour clock)",
    "time_set": "⏰ The reminder now comes every day at {time} ({zone}).",
    "zone_set": "🌏 Time zone set to {zone}; it is {local} there now.",
    "zone_pick": "Choose a time zone, or send /timezone City (e.g. Beijing, Berlin or Europe/Berlin):",
    "bad_zone": "Unknown time zone “{zone}”. Send a city (Beijing, Berlin) or a zone (Asia/Shanghai), or choose:",
    "not_admin": "Only this group's administrators can change the reminder settings.",
    "not_admin_plan": "Only this group's administrators can start, change or stop its reading plan. /plan shows "
                      "today's passage.",
    "no_store": "The daily reminder is unavailable (no database configured).",
    "settings": (
        "⚙️ <b>Daily reminder</b>\nState: {state}\nTime: every day at "
        "{time}\nTime zone: {zone}\nAs: {format}{polls}"
    ),
    "settings_polls": "\nQuizzes: {polls}",
    "format_text": "text",
    "format_card": "a picture with its text",
    "btn_format_card": "🖼 As a picture",
    "btn_format_text": "📝 As text",
    "state_on": "on",
    "state_off": "off",
    "state_paused": "paused (the bot was removed or blocked)",
    "btn_sub_on": "🔔 Turn on",
    "btn_sub_off": "🔕 Turn off",
    "btn_zone": "🌏 Time zone",
    "group_hello_again": "Welcome back! The daily reminder resumes: every day at {time} ({zone}).",
    "plan_day": "📖 <b>{plan}, day {day}/{days}</b>: {labels}\n\n{text}",
    "plan_name": "Reading plan of “{title}”",
    "plan_name_plain": "Reading plan",
    "plan_more": "… (to be continued: tap “Continue”)",
    "plan_started": (
        "✅ {plan} started: the whole text in {days} days, a passage a day. Today is day 1, right "
        "below; from day 2 each day's passage comes with the daily reminder (every day at {time}, {zone})."
    ),
    "plan_shorter": "This text is short: it splits into at most {days} days (at least a passage a day), so the "
                    "plan has {days} days, not {asked}.",
    "plan_push_on": "🔔 The daily reminder is now on in this chat (/unsubscribe turns it off). Next: {next}.",
    "plan_too_long": "The speech splits into at most {max} days (at least a passage a day), not {asked}.",
    "plan_restart_ask": "A reading plan is under way here (day {day}/{days}). Start over with {new} days, or keep it?",
    "btn_plan_start": "▶️ Start: {days} days",
    "btn_plan_restart": "🔄 Start over: {days} days",
    "btn_plan_keep": "Keep the current plan",
    "plan_kept": "Kept: the current plan goes on, today is day {day}/{days}.",
    "plan_not_yours": "Only the administrator who asked can choose.",
    "next_now": "today's ({date}, {time}), sent right now",
    "next_today": "today ({date}) at {time}",
    "next_tomorrow": "tomorrow ({date}) at {time}",
    "next_on": "{date} at {time}",
    "plan_done": "🎉 All {days} days of the plan are read. /plan {days} reads it again; another number, another pace.",
    "plan_stopped": "The reading plan is stopped.",
    "plan_not_yet": "The reading plan starts on {date}.",
    "usage_plan": "Usage: /plan (start or show), /plan 10 ({min}–{max} days), /plan stop",
    "btn_done": "✅ Done",
    "btn_continue": "📄 Continue",
    "read_marked": "Noted. Your streak: {streak} days.",
    "read_again": "Already noted for today. Your streak: {streak} days.",
    "progress_member": (
        "📊 <b>My progress</b>\nSections read: {read}\nStreak: "
        "{streak} days\nQuizzes: {right}/{answered} right\n\n"
        "(Sections read and the streak count the reading plan's passages you marked “✅ Done”; what you read "
        "with /show, the outline or the reader does not count.)"
    ),
    "progress_text": "{title} {read}/{total}",
    "progress_group": "📊 <b>This group's progress</b>\n{plan}: day {day}/{days}\nMembers done today: {today}",
    "progress_group_none": "📊 This group has no reading plan. Admins can send /plan.",
    "quiz_unavailable": "Quizzes are unavailable (no database configured).",
    "quiz_none": "No quiz for {title}: questions are made from a text's key terms and parts, and it has too few. "
                 "/use chooses another text.",
    "rank": "🏆 <b>This week's quiz ranking</b> ({week})\n{lines}",
    "rank_line": "{n}. {name}: {right}/{answered}",
    "rank_none": "🏆 No named answers this week ({week}). /quiz starts a quiz; anonymous answers are not ranked.",
    "rank_anonymous": "This group's quizzes are anonymous: an administrator can tap “👥 Open quizzes” in "
                      "/settings, and answers from then on are ranked.",
    "saved": "☆ <b>My bookmarks</b>\n{lines}\n\n/saved daily: your bookmarks as /today's quote, in turn",
    "saved_line": "{n}. {label} {text}",
    "saved_older": "({count} older bookmarks are not listed; tap “★ Saved” again to remove one.)",
    "saved_none": "No bookmarks yet. Tap “☆ Save” under a quote, a search hit or a section.",
    "saved_added": "Saved. /saved lists them.",
    "saved_removed": "Removed from your bookmarks.",
    "saved_daily_on": "Done: /today's quote of the day now comes from your bookmarks, in turn. /saved off undoes it.",
    "saved_daily_off": "Done: /today's quote of the day comes from the whole speech again.",
    "btn_save": "☆ Save",
    "btn_saved": "★ Saved",
    "forget_ask": (
        "Delete everything the bot stores about you: your quiz answers, reading progress, bookmarks, your place in the "
        "reader and settings, "
        "and this private chat's daily reminder, reading plan, quizzes and delivery log? Groups' settings and "
        "plans belong to the groups and stay. This cannot be undone."
    ),
    "btn_forget": "🗑 Delete",
    "btn_forget_keep": "Cancel",
    "forget_kept": "Cancelled: nothing was deleted.",
    "forget_private": "Deleting your data is confirmed in a private chat with me, so nobody can confirm it for you. "
                      "Tap the button below.",
    "btn_forget_private": "🔒 Confirm in private",
    "forget_not_yours": "Only the member who sent /forget can confirm deleting their own data.",
    "forgotten": "Deleted everything about you: {rows} records (this private chat's daily reminder and reading "
                 "plan included, if any). Groups' settings and plans belong to the groups and stay.",
    "forgotten_none": "The bot stores nothing about you: nothing to delete.",
    "privacy": (
        "🔒 <b>Privacy</b>\nThe bot stores:\n"
        "• each chat's reminder settings, reading plan, the quizzes sent and a delivery log;\n"
        "• when you tap “Done” and on which passage (for streaks and progress);\n"
        "• your answers to non-anonymous quizzes with your name (for the group's ranking);\n"
        "• your bookmarks, your place in the reader (it opens there again) and your own settings.\n"
        "Searches that found nothing are stored as text and count, never who searched. "
        "Group progress shows counts, never names.\n"
        "/forget deletes all of the above that is yours, your private chat's reminder, plan, quizzes and delivery "
        "log included; a group's settings and plan belong to the group and stay (its administrators stop them "
        "with /unsubscribe and /plan stop)."
    ),
    "state_polls_open": "open (shows who answered)",
    "state_polls_anonymous": "anonymous",
    "btn_polls_open": "👥 Open quizzes",
    "btn_polls_anonymous": "🙈 Anonymous quizzes",
    "btn_quiz_daily_on": "❓ Add the day's quiz",
    "btn_quiz_daily_off": "❓ No daily quiz",
    "stats": (
        "📊 <b>Bot overview</b>\n\n<b>Chats</b> (all / subscribed)\n{chats}\n\n<b>Reminder times</b> "
        "(subscriptions)\n{schedule}\n\n<b>Reminders, last 7 days</b>\n{deliveries}\n\n<b>Problems</b>\n{failures}"
        "\n\n<b>Searches that found nothing</b>\n{misses}"
    ),
    "stats_chat": "• {kind}: {count} / {active}",
    "stats_slot": "• {zone} {hour}h: {count}",
    "stats_count": "• {name}: {count}",
    "stats_failure": "• {outcome}: {reason} ({count})",
    "stats_miss": "• “{query}”: {count}×",
    "stats_none": "(none)",
    "upload_preview": (
        "📥 <b>Text #{id}</b> ({state})\nFile: {source}\nTitle: {title}\nSpeaker: {speaker}\nDate: {date}\n"
        "Occasion: {occasion}"
    ),
    "upload_state_draft": "a draft, not published",
    "upload_state_again": "a draft: this file was uploaded before",
    "upload_state_live": "published",
    "upload_state_removed": "taken out of the library",
    "upload_missing": "(not found)",
    "upload_outline": "<b>Outline</b>: {parts} parts, {sections} sections, {points} points",
    "upload_part": "{label}{title}",
    "upload_part_counts": "{label}{title} ({sections} sections, {points} points)",
    "upload_section": "  {label}{title}",
    "upload_section_points": "  {label}{title} ({points} points)",
    "upload_other": "{label}",
    "upload_outline_more": "… {count} more lines",
    "upload_notes": "\n\n<b>Left out</b>\n{lines}",
    "upload_note_tables": "• {count} table(s) (after paragraph {paragraphs})",
    "upload_note_footnotes": "• {count} footnote(s)",
    "upload_note_endnotes": "• {count} endnote(s)",
    "upload_note_text_boxes": "• {count} text box(es)",
    "upload_note_page_furniture": "• {count} running header, footer or page-number line(s)",
    "upload_note_encoding": "• read as {encoding} text (not UTF-8)",
    "upload_note_format": "• read as .{kind}: the name ends in {suffix} but the content is a .{kind} file",
    "upload_note_controls": "• {count} control character(s) (removed)",
    "upload_note": "• {detail}",
    "btn_text_publish": "✅ Publish",
    "btn_text_fix": "✏️ Fix details",
    "btn_text_discard": "🗑 Discard",
    "upload_too_large": (
        "The file is too large ({size}); the limit is {limit}. Remove pictures or split it, then send it again."
    ),
    "upload_refused": "❌ {name} cannot be imported: {reason}",
    "upload_limit_unpacked": "it unpacks to {size}, more than a speech may ({limit}).",
    "upload_limit_paragraphs": "more than {limit} paragraphs: too many for a speech.",
    "upload_limit_pages": "{count} pages: more than a speech may have ({limit}).",
    "upload_limit_page_bytes": "page {page} draws more than {limit} of instructions: not a page of text.",
    "upload_limit_page_characters": "page {page} has more than {limit} characters: not a page of text.",
    "upload_limit_label": "an automatic numbering label is longer than {limit} characters.",
    "upload_limit_characters": "{count} characters: more than one text may hold ({limit}).",
    "upload_limit_characters_more": "more than {count} characters: more than one text may hold ({limit}).",
    "upload_limit_sentences": "{count} sentences: more than one text may hold ({limit}).",
    "upload_limit_memory": "reading it needs more than {limit} MB of memory; stopped.",
    "upload_limit_time": "reading it takes longer than {limit} s; stopped.",
    "upload_limit_crashed": "the reader stopped on it (out of memory, or a damaged file).",
    "upload_download_failed": "The file could not be fetched from Telegram ({reason}). Please send it again later.",
    "upload_no_store": "The library is unavailable (no database configured).",
    "upload_failed": (
        "❌ This file cannot be imported:\n{error}\n\nFix it in the original and send it again (.docx, .pdf or .txt)."
    ),
    "upload_wrong_kind": "❌ “{name}” cannot be imported: send a Word (.docx), PDF (.pdf) or plain text (.txt) file.",
    "import_error": "{place}: {reason}",
    "import_place_file": "{source}",
    "import_place_line": "{source}:{line}",
    "import_place_paragraph": "{source}: paragraph {number}{excerpt}",
    "import_place_page": "{source}: page {page}, line {line}{excerpt}",
    "import_place_other": "{source}: {where}",
    "import_reason_part_order": "part {found}、 out of order (expected {expected}、)",
    "import_reason_section_order": "subsection （{found}） out of order (expected （{expected}）)",
    "import_reason_section_first": "subsection （…） before the first part 一、",
    "import_reason_heading_after_closing": "heading after the closing paragraph",
    "import_reason_no_structure": "no recognisable structure: no part heading such as 一、…",
    "import_reason_not_utf8": "not valid UTF-8 text",
    "import_reason_empty": "the file is empty",
    "import_reason_no_text": "the document has no text",
    "import_reason_old_doc": "an old Word .doc file (or a password-protected one): save it as .docx",
    "import_reason_unpacked": "too large when unpacked to be a speech",
    "import_reason_not_kind": "not a {kind} file (its content does not match its name, or it is damaged)",
    "import_reason_damaged": "damaged ({detail})",
    "import_reason_pages": "{pages} pages: too long to be a speech (at most {limit})",
    "import_reason_password": "the PDF is password-protected: send it without a password",
    "import_reason_scan": (
        "no text layer: the pages are images (a scan?), nothing to read; send the Word file or a PDF saved with its "
        "text"
    ),
    "import_reason_unreadable": (
        "the text layer cannot be read: its fonts map their characters to no Unicode text; send the Word file"
    ),
    "import_reason_unreadable_file": "cannot be read as a {kind} file (damaged?)",
    "import_reason_other": "{detail}",
    "upload_exists_live": (
        "This text is in the library already: #{id} “{title}”, published. In a group, /use {id} switches to it."
    ),
    "upload_offer": (
        "📝 This file carries details #{id} does not have yet:\n{fields}\n\n"
        "Take them? (Only empty fields are filled; the others stay.)"
    ),
    "upload_offer_title": "<code>title={value}</code>",
    "upload_offer_speaker": "<code>speaker={value}</code>",
    "upload_offer_date": "<code>date={value}</code>",
    "upload_offer_occasion": "<code>occasion={value}</code>",
    "btn_text_take": "✅ Take these details",
    "upload_offer_taken": "Taken.",
    "upload_offer_nothing": "#{id} has these details already: nothing changed.",
    "upload_publishing": "Publishing: building the index…",
    "upload_published": (
        "✅ Published: #{id} “{title}”.\nIn a group, an administrator sends /use {id} to switch the group to it; in "
        "private, /use {id} switches for you. /texts lists the library."
    ),
    "upload_discarded": "🗑 Draft #{id} discarded.",
    "upload_gone": "Text #{id} no longer exists (a discarded draft?).",
    "describe_unknown": "There is no text #{id}. /texts lists the library's texts.",
    "upload_not_draft": "#{id} is not a draft (published or taken out): it cannot be discarded.",
    "describe_prompt": (
        "✏️ #{id} Fix the details: reply to this message, one field a line, only what changes (- clears a field). "
        "Tap a line below to copy it:\n{fields}\n\nOr send: /describe {id} title=… speaker=… date=2026-11-28 occasion=…"
    ),
    "describe_fields": (
        "<code>title={title}</code>\n<code>speaker={speaker}</code>\n<code>date={date}</code>\n"
        "<code>occasion={occasion}</code>"
    ),
    "describe_placeholder": "title=… speaker=… date=2026-11-28",
    "describe_bad_date": "“{value}” is not a date I can read. Write it as 2026-11-28.",
    "describe_unknown_field": (
        "There is no field “{names}”. The fields: title, speaker (or author), date, occasion."
    ),
    "describe_no_fields": (
        "No field to change. Write one a line, e.g. <code>speaker=Li Si</code>; the fields: title, speaker, date, "
        "occasion."
    ),
    "usage_describe": (
        "Usage: /describe ID title=… speaker=… date=2026-11-28 occasion=… (only what changes; - clears a field). "
        "Easier: tap “✏️ Fix details” under the preview."
    ),
    "btn_reader": "📖 Reader",
    "reader_title": "Reader",
    "reader_outline": "Contents",
    "reader_close": "Close",
    "reader_search": "Search",
    "reader_search_placeholder": "Search the speech",
    "reader_search_none": "Nothing matches. Try other words.",
    "reader_search_clear": "Clear",
    "reader_tier_exact": "📌 In the speech's words",
    "reader_tier_related": "🔗 Related (the speech says it in other words)",
    "reader_tier_nearest": "〰️ Close (not necessarily an answer)",
    "reader_hit_of": "{n} of {total}",
    "reader_prev_hit": "Previous",
    "reader_next_hit": "Next",
    "reader_hit_list": "List",
    "reader_save": "☆ Save",
    "reader_saved": "★ Saved",
    "reader_saved_list": "My bookmarks",
    "reader_saved_none": "No bookmarks yet. Tap “☆ Save” beside a passage.",
    "reader_plan": "Reading plan, day {day}/{days}: {labels}",
    "reader_done_already": "✅ Read today",
    "reader_font_smaller": "Smaller text",
    "reader_font_larger": "Larger text",
    "reader_send": "Send to a chat",
    "reader_error": "Something went wrong. Please try again later.",
    "reader_offline": "Open the reader from Telegram (the sign-in data is missing or expired).",
    "texts": "📚 <b>The library</b> (texts: {count}, newest first)\n\n{lines}\n\nTap a button below to switch the text "
             "this chat studies, or send /use and its number.",
    "texts_line": "{mark}<b>{id}.</b> {title}",
    "texts_byline": "      {byline}",
    "texts_current": "✅ ",
    "texts_only_original": "📚 No database is configured: the library holds only {title}.",
    "btn_use_text": "{mark}{id}. {title}",
    "use_usage": "This chat studies {title}.\nUsage: /use NUMBER (/texts lists the library); /use 1 or /use original "
                 "goes back to the original.",
    "use_unknown": "The library has no text “{ref}”. /texts lists the texts you can choose.",
    "use_not_admin": (
        "Sorry, only this group's administrators can switch the text it studies. /texts shows the library."
    ),
    "use_no_store": "Switching texts needs a database (none is configured): only the original can be studied now.",
    "use_done": (
        "✅ This chat now studies {title}\n/outline, /show, /search, /quote, /summary and the rest use this text."
    ),
    "text_removed": "ℹ️ This text was removed from the library; it stays readable.",
    "btn_search_all": "🔎 Search all texts",
    "search_results_all": "🔍 Results for “{query}” in all texts:",
    "search_all_partial": "ℹ️ The library holds {total} texts; the newest {searched} were searched.",
    "search_nearest_only_all": "These passages of the library are close to “{query}” but may not answer it directly:",
    "search_all_none": "No text of the library addresses “{query}”. Try other words.",
    "card_source": "📖 {source}",
}

CATALOGS: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


def language(code: str | None) -> Lang:
    """English for users whose Telegram language is English, Chinese for everyone else."""
    return "en" if code and code.lower().startswith("en") else "zh"


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# C0 and C1 controls but newline, and the bidirectional overrides/isolates that could reorder
# the bot's own words around an echoed argument (U+202A–202E, U+2066–2069). Joiners stay
# (emoji sequences in names need them).
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    """``value`` without control characters, as it may be echoed back to a chat."""
    return _CONTROLS.sub("", value)


def text(lang: Lang, key: str, **args: object) -> Html:
    """Render ``key`` in ``lang``; arguments are cleaned of controls and HTML-escaped unless they
    are ``Html``."""
    template = CATALOGS.get(lang, ZH).get(key) or ZH[key]
    safe = {k: v if isinstance(v, Html) else html.escape(printable(str(v)), quote=False) for k, v in args.items()}
    return Html(template.format(**safe))


# The command menu (set_my_commands), per language; the same commands in both.
MENU: dict[str, list[tuple[str, str]]] = {
    "zh": [
        ("today", "今日一慎与每日金句"),
        ("outline", "目录，逐节阅读"),
        ("search", "搜索原文：/search 慎独"),
        ("quote", "一句原文金句"),
        ("card", "金句图片：/card 纪律"),
        ("summary", "摘要与关键词"),
        ("shen", "慎初、慎微、慎独、慎友"),
        ("show", "阅读一节：/show 4.2"),
        ("texts", "文本库：选择学习的讲话"),
        ("use", "切换本聊天的文本：/use 2"),
        ("subscribe", "开启每日推送：/subscribe 08:00"),
        ("settings", "推送设置"),
        ("plan", "学习计划：每天一段"),
        ("quiz", "答题"),
        ("progress", "学习进度"),
        ("rank", "本周答题榜"),
        ("saved", "我的收藏"),
        ("privacy", "隐私说明"),
        ("help", "全部命令"),
    ],
    "en": [
        ("today", "Today's 慎 principle and quote"),
        ("outline", "Table of contents"),
        ("search", "Search the speech: /search 慎独"),
        ("quote", "A verbatim quote"),
        ("card", "A quote as a picture: /card 纪律"),
        ("summary", "Summary and keywords"),
        ("shen", "The four 慎 principles"),
        ("show", "Read a section: /show 4.2"),
        ("texts", "The library: choose a text"),
        ("use", "Switch this chat's text: /use 2"),
        ("subscribe", "Daily reminder: /subscribe 08:00"),
        ("settings", "Reminder settings"),
        ("plan", "Reading plan: a passage a day"),
        ("quiz", "A quiz"),
        ("progress", "My progress"),
        ("rank", "This week's quiz ranking"),
        ("saved", "My bookmarks"),
        ("privacy", "Privacy"),
        ("help", "All commands"),
    ],
}
