"""argparse's own words in Chinese: usage, group titles, -h, and the errors it prints for bad arguments.

argparse looks its messages up through ``gettext`` at call time (``argparse._``); the standard library
ships no Chinese catalogue, so ``install()`` points that lookup at this table. It is called by the CLI's
entry point before any parser is built, not at import.
"""

from __future__ import annotations

import argparse

ARGPARSE: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选 %(choices)s）",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
PLURAL: dict[str, str] = {"expected %s argument": "需要 %s 个值"}


def _gettext(message: str) -> str:
    return ARGPARSE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURAL.get(singular, singular if n == 1 else plural)


def install() -> None:
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
