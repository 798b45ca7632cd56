"""Gradio's own strings in Chinese, whatever the browser's language.

Gradio translates some of its strings from the browser's locale, loads its Chinese lazily (in practice the
upload widget still says "Drop File Here" to a zh-CN browser) and writes others in English only (the
upload widget's aria-label, the chat's "user's message:", the table's "Table actions"). So the page asks
Gradio for English, always, and a small script (Gradio adds it to the page's head once its config has
loaded) rewrites the English strings it shows (text, aria-label, title, placeholder), then those that appear. ``GRADIO_STRINGS`` lists them; the browser test
walks the page and fails on any English it finds.

    >>> GRADIO_STRINGS["Drop File Here"]
    '将文件拖放到此处'
"""

from __future__ import annotations

import json

GRADIO_STRINGS = {
    # upload widget (文档 tab)
    "Drop File Here": "将文件拖放到此处",
    "Click to Upload": "点击上传",
    "- or -": "- 或 -",
    "Click to upload or drop files": "点击上传或拖放文件",
    "Upload": "上传",
    "Uploading...": "正在上传……",
    "Uploading": "正在上传",
    "Complete": "完成",
    "common.complete": "完成",  # keys Gradio's English has no text for
    "common.upload": "上传",
    "Remove": "移除",
    "Clear": "清除",
    "Download": "下载",
    # chat
    "chatbot conversation": "对话",
    "Copy message": "复制",
    "Copy": "复制",
    "Copied": "已复制",
    "Copied!": "已复制",
    "Copy conversation": "复制对话",
    "Textbox": "输入框",
    "Submit": "提交",
    "Stop": "停止",
    "Retry": "重试",
    "Undo": "撤销",
    "Edit": "编辑",
    # tables and images
    "Table actions": "表格操作",
    "Copy table data": "复制表格数据",
    "Fullscreen": "全屏",
    "Exit fullscreen mode": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Clear sort": "取消排序",
    "Filter": "筛选",
    "Search": "搜索",
    "Share": "分享",
    "Image": "图片",
    # status and toasts
    "Loading...": "正在加载……",
    "Loading": "正在加载",
    "Loading…": "正在加载……",
    "Error": "错误",
    "Warning": "提示",
    "Info": "提示",
    "Close": "关闭",
    "Connection errored out.": "连接已断开，请刷新页面。",
    "Connection errored out": "连接已断开，请刷新页面",
    "processing": "处理中",
    "queue": "排队中",
}
# Strings Gradio builds around a value: (JavaScript regular expression, replacement with $1 …).
GRADIO_PATTERNS = [
    (r"^user's message: ", "提问："),  # screen-reader labels of the chat's messages
    (r"^bot's message: ", "回答："),
    (r"^processing\b", "处理中"),
    (r"^Uploading\s+(\d+)\s+files?\.*$", "正在上传 $1 个文件……"),  # the upload widget while a file goes up
    (r"^In queue: (\d+) of (\d+)", "排队中：第 $1 位，共 $2 位"),
    (r"^File\(s\) exceed the maximum allowed size of ([\d.]+) ?Mb:? ?(.*)$", "文件超过大小上限 $1 MB，未上传：$2"),
    (r"^Invalid file types?: (.*?)\. Only (.*) allowed\.$", "文件类型不符：$1，只接受 $2"),
]

_SCRIPT = """
(() => {
  Object.defineProperty(navigator, "language", {get: () => "en-US"});
  Object.defineProperty(navigator, "languages", {get: () => ["en-US", "en"]});
  const exact = %(exact)s, patterns = %(patterns)s.map(([re, zh]) => [new RegExp(re), zh]);
  const attrs = ["aria-label", "title", "placeholder"];
  const chinese = s => {
    const t = s.trim();
    if (Object.hasOwn(exact, t)) return s.replace(t, exact[t]);
    for (const [re, zh] of patterns) if (re.test(t)) return t.replace(re, zh);
    return null;
  };
  const fixText = n => { const z = chinese(n.nodeValue); if (z !== null && z !== n.nodeValue) n.nodeValue = z; };
  const fixAttrs = el => {
    for (const a of attrs) {
      const v = el.getAttribute(a), z = v && chinese(v);
      if (z && z !== v) el.setAttribute(a, z);
    }
  };
  const fix = root => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttrs(root);
    root.querySelectorAll("[aria-label], [title], [placeholder]").forEach(fixAttrs);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixText(walker.currentNode);
  };
  fix(document.documentElement);  // Gradio adds this script to the page after it has started drawing
  new MutationObserver(changes => {
    for (const c of changes) {
      if (c.type === "childList") c.addedNodes.forEach(fix);
      else if (c.type === "characterData") fixText(c.target);
      else fixAttrs(c.target);
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: attrs});
})();
"""

HEAD = "<script>" + _SCRIPT % {
    "exact": json.dumps(GRADIO_STRINGS, ensure_ascii=False), "patterns": json.dumps(GRADIO_PATTERNS, ensure_ascii=False),
} + "</script>"
