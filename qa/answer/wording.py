"""How a question's words are matched to a passage's: character pairs, read in the text's words.

The sentence picker (``qa.answer.passages``) scores a passage by the share of the question's character pairs
it holds (its heading's too, its neighbours' at half), then weighs what the pairs cannot see:

    >>> in_text_words("主要职能")                          # the word the text's headings use
    '主要职责'
    >>> longest_run("部门整体绩效目标", "部门（单位）绩效目标")  # a phrase of the question, whole
    4
"""

from __future__ import annotations

import re

# What a question names by another word than the text's headings (主要职能 → the section 部门机构设置、职责): both
# read as one. Only the question and headings are so read: a sentence's 职能 in passing (履行一般行政事业管理职能)
# says nothing of the duties.
SAME_SENSE = {"职能": "职责"}
# A qualifier the question adds that the passage answering it need not repeat (外办's duties are headed 职责, not
# 主要职责); a passage that repeats it is still the better answer (审计局's "主要职责是：" opens the list).
QUALIFIER = re.compile(r"主要(?=职责|职能|任务|工作|内容)")
UNQUALIFIED = 0.9  # the weight of a match without the qualifier


# A question asking what something is or aims at is answered by a sentence that says so; one stating an amount
# says how much (部门整体绩效目标是什么: not "申报绩效目标的项目有16…涉及…8322.36万元"), weighed less.
DESCRIBE = re.compile(r"是什么|指什么|指的是|目标")
AMOUNT = re.compile(r"\d[\d,，.]*\s*(?:万元|亿元|元)")
AMOUNT_LOSS = 0.15

# What a word means (行政运行经费指的是什么) is said by the sentence defining it ("行政运行经费是指为保障单位正常
# 运行，用于购买货物和服务的各项资金"), not by one stating its amount under the same name.
MEANING_ASKED = re.compile(r"指的是什么|是指什么|指什么|什么意思|含义|定义")
DEFINITION = re.compile(r"是指|指的是|系指")
DEFINITION_GAIN = 0.2

# Pairs are counted in any order; a piece holding a phrase of the question whole ("绩效目标" of 部门整体绩效目标)
# says it, where one holding its pairs apart (部门预算整体支出绩效评价) may only touch on it.
PHRASE, PHRASE_GAIN = 4, 0.1


def longest_run(terms: str, text: str) -> int:
    """The length of the longest stretch of ``terms`` that ``text`` holds as written."""
    best = 0
    for start in range(len(terms)):
        length = best + 1
        while start + length <= len(terms) and terms[start:start + length] in text:
            best, length = length, length + 1
    return best


# A heading of two topics: "绩效目标情况及绩效评价结果说明".
HEADING_TOPICS = re.compile(r"以及|及")  # not 、: "部门机构设置、职责" is one passage on both


def heading_grams(section: str, piece: str) -> set[str]:
    """The pairs a heading lends a sentence under it: of a heading of two topics, those of the topics the sentence
    names by their own words (a sentence on 绩效评价 is not about the 绩效目标 its heading also covers); of any other
    heading, or a sentence naming neither topic, all of them."""
    path, _, last = in_text_words(section).rpartition("/")
    topics = [bigrams(t) for t in HEADING_TOPICS.split(last) if len(t) >= 2]
    if len(topics) < 2:
        return bigrams(in_text_words(section))
    said = bigrams(piece)
    named = [t for t in topics if said & (t - set().union(*(o for o in topics if o is not t)))]
    return bigrams(path) | (set().union(*named) if named else bigrams(last))


def pair_score(grams: set[str], own: set[str], near: set[str]) -> float:
    """The share of the question's pairs a piece holds: its own (and its heading's) whole, its neighbours' half."""
    return (len(grams & own) + 0.5 * len((grams & near) - own)) / max(len(grams), 1)


def in_text_words(text: str) -> str:
    for word, meant in SAME_SENSE.items():
        text = text.replace(word, meant)
    return text


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
