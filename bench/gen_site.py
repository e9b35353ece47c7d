#!/usr/bin/env python3
"""Generates a deterministic benchmark site for zhibu (Zola layout) or Hugo.

    python3 bench/gen_site.py --pages N --out DIR --layout zhibu|hugo [--seed S]

The same seed and N give byte-identical content for both layouts (apart from the syntax each
generator needs: front matter taxonomies, internal-link form, config and templates), so the two
tools build the same pages, sections, taxonomy terms and pagers.

Stdlib only (Python 3.11).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

# Six sections: ASCII folder names, Chinese titles.
SECTIONS = [
    ("notices", "通知公告"),
    ("school", "党校培训"),
    ("theory", "理论学习"),
    ("life", "支部生活"),
    ("guide", "办事指南"),
    ("campaigns", "主题活动"),
]

CATEGORIES = ["通知公告", "学习心得", "实践活动", "组织建设", "志愿服务", "实习就业", "学术交流", "党建研究"]

TAGS = [
    "主题党日", "三会一课", "理论学习", "党史学习", "入党积极分子", "发展对象", "预备党员", "转正",
    "组织生活会", "民主评议", "志愿服务", "社会实践", "暑期实习", "毕业实习", "就业指导", "考研经验",
    "学术讲座", "读书分享", "红色教育", "参观学习", "支部书记", "党小组", "团支部", "班级建设",
    "学风建设", "宿舍文化", "新生引导", "心理健康", "资助育人", "奖学金", "科研训练", "创新创业",
    "乡村振兴", "基层调研", "社区服务", "环保行动", "文体活动", "运动会", "迎新晚会", "经验交流",
    "谈心谈话", "批评与自我批评", "党费收缴", "党员教育", "材料提交", "时间安排", "会议纪要",
    "先进事迹", "榜样力量", "年度总结",
]

# Words about branch life, study, internships; sentences are random sequences of them.
WORDS = [
    "支部", "党员", "同志们", "积极分子", "发展对象", "预备党员", "组织生活", "主题党日", "三会一课",
    "理论学习", "集中学习", "自学", "专题研讨", "交流发言", "学习笔记", "心得体会", "读书会",
    "党史", "新时代", "初心", "使命", "担当", "作风", "纪律", "规矩", "制度", "规范", "程序",
    "入党申请书", "思想汇报", "培养考察", "政治审查", "支部大会", "表决", "公示", "转正",
    "党课", "党校", "培训班", "结业考试", "学时", "线上课程", "线下研讨", "实践教学",
    "实习", "实习单位", "导师", "岗位", "项目", "报告", "简历", "面试", "招聘会", "就业",
    "科研", "实验室", "论文", "课题", "竞赛", "创新", "创业", "团队", "合作", "分工",
    "志愿者", "社区", "乡村", "调研", "走访", "服务", "帮扶", "宣讲", "支教", "义诊",
    "宿舍", "班级", "同学", "老师", "辅导员", "学院", "学校", "图书馆", "教室", "会议室",
    "通知", "安排", "时间", "地点", "要求", "材料", "表格", "签到", "请假", "汇总",
    "按时", "认真", "扎实", "深入", "广泛", "积极", "主动", "全面", "持续", "切实",
    "开展", "组织", "参加", "学习", "讨论", "总结", "落实", "推进", "完成", "提交",
    "提高", "加强", "改进", "坚持", "发挥", "带动", "引导", "鼓励", "支持", "关心",
    "思想", "认识", "能力", "水平", "素质", "意识", "精神", "风貌", "氛围", "成效",
    "我们", "大家", "每位", "全体", "部分", "各个", "本学期", "本月", "下周", "近期",
    "经验", "问题", "不足", "建议", "措施", "计划", "目标", "任务", "重点", "难点",
]

HEADINGS = [
    "活动背景", "主要内容", "学习要点", "心得体会", "下一步安排", "注意事项", "经验总结",
    "存在问题", "改进措施", "实习收获", "时间地点", "参加人员", "讨论摘要", "材料清单",
]

TITLE_PATTERNS = [
    "关于{a}{b}的通知",
    "{a}{b}工作安排",
    "{a}与{b}学习心得",
    "{a}{b}活动纪实",
    "{a}{b}经验交流",
    "第{n}期{a}{b}培训小结",
    "{a}{b}实习报告",
    "{a}{b}情况通报",
]

ANCHOR = dt.datetime(2026, 11, 1, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
BASE_URL = "https://bench.example.cn"
SITE_TITLE = "支部基准站点"


def han_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def sentence(rng: random.Random) -> str:
    n = rng.randint(6, 14)
    words = [rng.choice(WORDS) for _ in range(n)]
    # A comma somewhere in the middle of longer sentences.
    if n > 8:
        words.insert(rng.randint(3, n - 3), "，")
    return "".join(words) + rng.choice("。。。！；")


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def code_block(rng: random.Random, i: int) -> str:
    if rng.random() < 0.5:
        n = rng.randint(2, 9)
        return (
            "```rust\n"
            f"/// 第 {i} 页的示例\n"
            f"fn attendance(members: &[&str]) -> usize {{\n"
            f"    let present = members.iter().filter(|m| !m.is_empty()).count();\n"
            f"    present * {n}\n"
            "}\n"
            "```\n"
        )
    return (
        "```toml\n"
        f"# 第 {i} 页的示例配置\n"
        "[meeting]\n"
        f'topic = "{rng.choice(TAGS)}"\n'
        f"minutes = {rng.choice([30, 45, 60, 90, 120])}\n"
        f"remote = {rng.choice(['true', 'false'])}\n"
        "```\n"
    )


def title_for(rng: random.Random) -> str:
    pattern = rng.choice(TITLE_PATTERNS)
    a, b = rng.sample(WORDS[:80], 2)
    return pattern.format(a=a, b=b, n=rng.randint(1, 30))


def tiny_png() -> bytes:
    """A tiny valid PNG (2x2, RGB) built with zlib."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    w = h = 2
    raw = b"".join(b"\x00" + b"\xc8\x10\x2e" * w for _ in range(h))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


PHOTOS = 30  # source photos; every page shows one as a thumbnail and a wide image
PHOTO_W, PHOTO_H = 1024, 768


def photo_png(k: int) -> bytes:
    """A 1024x768 RGB PNG with a pattern of its own (stripes sheared per row), so that each of
    the PHOTOS is decoded and resized for real."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    w, h = PHOTO_W, PHOTO_H
    base = bytes(((x * (k + 3)) ^ (x >> (k % 4 + 1)) ^ (k * 37)) & 0xFF for x in range(3 * w * 2))
    rows = []
    for y in range(h):
        shift = (y * (k % 5 + 1) + (y >> 3) * 7) % (3 * w)
        rows.append(b"\x00" + base[shift : shift + 3 * w])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )


def photo_name(index: int) -> str:
    return f"img/photo-{index % PHOTOS:02d}.png"


# The stylesheet both tools compile: variables and mixins in partials, nesting, functions,
# a loop; written for the Sass both compilers speak (`@import`, no modules).
SASS_FILES = {
    "_variables.scss": """$red: #c8102e;
$gold: #f2c14e;
$ink: #222;
$paper: #fffdf8;
$gap: 16px;
$radius: 6px;
$breakpoints: (phone: 480px, tablet: 768px, desk: 1080px);
""",
    "_mixins.scss": """@mixin above($name) {
  @media (min-width: map-get($breakpoints, $name)) { @content; }
}
@mixin card($tint: $red) {
  border: 1px solid rgba($tint, 0.25);
  border-radius: $radius;
  padding: $gap;
  background: mix($paper, $tint, 96%);
}
@function space($n) { @return $n * $gap / 2; }
""",
    "main.scss": """@import "variables";
@import "mixins";

* { box-sizing: border-box; }
body {
  margin: 0;
  color: $ink;
  background: $paper;
  font: 16px/1.75 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif;
}
header {
  background: $red;
  padding: space(2) space(3);
  a { color: $gold; text-decoration: none; font-weight: 700; &:hover { color: lighten($gold, 20%); } }
}
main {
  max-width: 720px;
  margin: 0 auto;
  padding: space(2);
  @include above(tablet) { padding: space(4); }
}
article {
  @include card;
  h1 { color: darken($red, 10%); font-size: 1.6rem; }
  h2 { border-left: 4px solid $red; padding-left: space(1); }
  img { max-width: 100%; height: auto; border-radius: $radius; }
  pre { overflow-x: auto; padding: space(1); border-radius: $radius; }
}
nav a { margin: 0 space(1); color: $red; }
@each $name, $width in $breakpoints {
  .hide-#{$name} { @media (max-width: $width) { display: none; } }
}
@for $i from 1 through 12 {
  .mt-#{$i} { margin-top: space($i); }
  .pl-#{$i} { padding-left: space($i); }
  .w-#{$i} { width: percentage($i / 12); }
}
""",
}


class Page:
    __slots__ = ("index", "section", "title", "date", "tags", "categories")

    def __init__(self, index: int, section: str, title: str, date: dt.datetime, tags, categories):
        self.index = index
        self.section = section
        self.title = title
        self.date = date
        self.tags = tags
        self.categories = categories

    @property
    def name(self) -> str:
        return f"p{self.index:06d}.md"

    @property
    def rel(self) -> str:
        return f"{self.section}/{self.name}"


def plan(n: int, seed: int) -> list[Page]:
    rng = random.Random(seed)
    pages = []
    year = 365 * 24 * 3600
    for i in range(n):
        section = SECTIONS[rng.randrange(len(SECTIONS))][0]
        title = f"{title_for(rng)}（{i}）"
        date = ANCHOR - dt.timedelta(seconds=rng.randrange(year))
        tags = rng.sample(TAGS, rng.randint(2, 3))
        categories = [rng.choice(CATEGORIES)]
        pages.append(Page(i, section, title, date, tags, categories))
    return pages


def body(page: Page, pages: list[Page], rng: random.Random, layout: str) -> str:
    """About 1,000 Han characters: paragraphs, 2-3 headings, one code block, one image, 2 links."""
    n = len(pages)
    targets = []
    if n > 1:
        while len(targets) < 2:
            t = rng.randrange(n)
            if t != page.index and t not in targets:
                targets.append(t)
    headings = rng.sample(HEADINGS, rng.randint(2, 3))
    paras: list[str] = []
    while han_count("".join(paras)) < 1000:
        paras.append(paragraph(rng))
    blocks: list[str] = [paras[0]]
    rest = paras[1:]
    per = max(1, len(rest) // len(headings))
    for k, h in enumerate(headings):
        blocks.append(f"## {h}")
        chunk = rest[k * per : (k + 1) * per] if k < len(headings) - 1 else rest[k * per :]
        blocks.extend(chunk or [paragraph(rng)])
        if k == 0:
            blocks.append(code_block(rng, page.index).rstrip("\n"))
        if k == 1:
            blocks.append("![说明](/img/a.png)")
    links = []
    for t in targets:
        target = pages[t]
        if layout == "zhibu":
            dest = f"@/{target.rel}"
        else:
            dest = f'{{{{< ref "/{target.rel}" >}}}}'
        links.append(f"[{target.title}]({dest})")
    blocks.append("相关阅读：" + "、".join(links) + "。")
    return "\n\n".join(blocks) + "\n"


def front_matter(page: Page, layout: str) -> str:
    lines = ["+++", f"title = {toml_str(page.title)}", f"date = {page.date.isoformat()}"]
    cover = f"cover = {toml_str(photo_name(page.index))}"
    if layout == "zhibu":
        lines += ["", "[extra]", cover]
        lines += ["", "[taxonomies]", f"tags = {toml_list(page.tags)}", f"categories = {toml_list(page.categories)}"]
    else:
        lines += [cover, f"tags = {toml_list(page.tags)}", f"categories = {toml_list(page.categories)}"]
    lines.append("+++")
    return "\n".join(lines) + "\n\n"


# ---------------------------------------------------------------------------------------------
# zhibu (Zola-compatible) config and templates

ZHIBU_CONFIG = f"""base_url = "{BASE_URL}"
title = "{SITE_TITLE}"
taxonomies = [{{name = "tags", paginate_by = 10}}, {{name = "categories", paginate_by = 10}}]
# zhibu's defaults, spelled out: sitemap.xml and robots.txt on, no feeds.
generate_feeds = false
generate_sitemap = true
generate_robots_txt = true
compile_sass = true

[markdown.highlighting]
theme = "github-light"
"""

ZHIBU_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path='main.css', cachebust=true) }}"></head>
<body>
<header><a href="{{ get_url(path='/') }}">{{ config.title }}</a></header>
<main>
{% block content %}{% endblock content %}
</main>
</body>
</html>
""",
    "index.html": """{% extends "base.html" %}
{% block content %}
<h1>{{ config.title }}</h1>
<ul>
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a> ({{ sub.page_count }})</li>
{% endfor %}</ul>
<p><a href="{{ get_url(path='/tags/') }}">标签</a> · <a href="{{ get_url(path='/categories/') }}">分类</a></p>
{% endblock content %}
""",
    "section.html": """{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ section.title }}</h1>
<ul>
{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <time>{{ p.date | date(format="%Y-%m-%d") }}</time></li>
{% endfor %}</ul>
<nav>{% if paginator.previous %}<a href="{{ paginator.previous }}">上一页</a>{% endif %} {{ paginator.current_index }}/{{ paginator.number_pagers }} {% if paginator.next %}<a href="{{ paginator.next }}">下一页</a>{% endif %}</nav>
{% endblock content %}
""",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
<time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m-%d") }}</time>
{% set thumb = resize_image(path=page.extra.cover, width=320, height=240, op="fill", format="jpg", quality=75) %}{% set wide = resize_image(path=page.extra.cover, width=640, op="fit_width", format="jpg", quality=75) %}
<figure><img src="{{ thumb.url }}" width="{{ thumb.width }}" height="{{ thumb.height }}" alt=""><img src="{{ wide.url }}" width="{{ wide.width }}" height="{{ wide.height }}" alt=""></figure>
{{ page.content | safe }}
<p>标签：{% for t in page.taxonomies.tags %}<a href="{{ get_taxonomy_url(kind='tags', name=t) }}">{{ t }}</a> {% endfor %}</p>
<p>分类：{% for c in page.taxonomies.categories %}<a href="{{ get_taxonomy_url(kind='categories', name=c) }}">{{ c }}</a> {% endfor %}</p>
</article>
{% endblock content %}
""",
    "taxonomy_list.html": """{% extends "base.html" %}
{% block title %}{{ taxonomy.name }} · {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ taxonomy.name }}</h1>
<ul>
{% for t in terms %}<li><a href="{{ t.permalink }}">{{ t.name }}</a> ({{ t.page_count }})</li>
{% endfor %}</ul>
{% endblock content %}
""",
    "taxonomy_single.html": """{% extends "base.html" %}
{% block title %}{{ term.name }} · {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ taxonomy.name }}：{{ term.name }}</h1>
<ul>
{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <time>{{ p.date | date(format="%Y-%m-%d") }}</time></li>
{% endfor %}</ul>
<nav>{% if paginator.previous %}<a href="{{ paginator.previous }}">上一页</a>{% endif %} {{ paginator.current_index }}/{{ paginator.number_pagers }} {% if paginator.next %}<a href="{{ paginator.next }}">下一页</a>{% endif %}</nav>
{% endblock content %}
""",
    "404.html": """{% extends "base.html" %}
{% block content %}<h1>页面不存在</h1>{% endblock content %}
""",
}

# ---------------------------------------------------------------------------------------------
# Hugo config and layouts (0.146+ template layout)

HUGO_CONFIG = f"""baseURL = "{BASE_URL}/"
title = "{SITE_TITLE}"
locale = "zh-CN"
hasCJKLanguage = true
# Same outputs as zhibu's run: pages, sections, taxonomies, terms (all paginated by 10),
# sitemap.xml, robots.txt, 404.html; no RSS feeds.
disableKinds = ["rss"]
enableRobotsTXT = true
# Every generated page is dated in the past, but never skip one because of the clock.
buildFuture = true
# zhibu injects no generator tag either.
disableHugoGeneratorInject = true

[pagination]
pagerSize = 10

[taxonomies]
tag = "tags"
category = "categories"

[markup.highlight]
noClasses = false

# As zhibu (and Zola) resize: Lanczos, centred crops.
[imaging]
resampleFilter = "Lanczos"
anchor = "Center"
quality = 75
"""

PAGER_NAV = """<nav>{{ with $pag.Prev }}<a href="{{ .URL | absURL }}">上一页</a>{{ end }} {{ $pag.PageNumber }}/{{ $pag.TotalPages }} {{ with $pag.Next }}<a href="{{ .URL | absURL }}">下一页</a>{{ end }}</nav>"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}">
<head><meta charset="utf-8"><title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
{{ with resources.Get "sass/main.scss" | css.Sass | fingerprint }}<link rel="stylesheet" href="{{ .Permalink }}">{{ end }}</head>
<body>
<header><a href="{{ site.Home.Permalink }}">{{ site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "home.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>
{{ range .Sections }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}</ul>
<p><a href="{{ (site.GetPage "/tags").Permalink }}">标签</a> · <a href="{{ (site.GetPage "/categories").Permalink }}">分类</a></p>
{{ end }}
""",
    "section.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pag := .Paginate .Pages }}
<ul>
{{ range $pag.Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
""" + PAGER_NAV + """
{{ end }}
""",
    "page.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ with resources.Get .Params.cover }}{{ $thumb := .Fill "320x240 jpg q75 Center" }}{{ $wide := .Resize "640x jpg q75" }}
<figure><img src="{{ $thumb.Permalink }}" width="{{ $thumb.Width }}" height="{{ $thumb.Height }}" alt=""><img src="{{ $wide.Permalink }}" width="{{ $wide.Width }}" height="{{ $wide.Height }}" alt=""></figure>{{ end }}
{{ .Content }}
<p>标签：{{ range .GetTerms "tags" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>分类：{{ range .GetTerms "categories" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>
{{ end }}
""",
    "taxonomy.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Parent.Title }}：{{ .Title }}</h1>
{{ $pag := .Paginate .Pages }}
<ul>
{{ range $pag.Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
""" + PAGER_NAV + """
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>页面不存在</h1>{{ end }}
""",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(n: int, out: Path, layout: str, seed: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    pages = plan(n, seed)
    content = out / "content"
    (out / "static" / "img").mkdir(parents=True)
    (out / "static" / "img" / "a.png").write_bytes(tiny_png())
    # Photos and Sass where each tool reads them: zhibu's resize_image finds `img/…` in
    # static/ and compiles sass/; Hugo's resources.Get reads assets/.
    assets = out / ("static" if layout == "zhibu" else "assets")
    (assets / "img").mkdir(parents=True, exist_ok=True)
    for k in range(PHOTOS):
        (assets / photo_name(k)).write_bytes(photo_png(k))
    for name, text in SASS_FILES.items():
        write(out / ("sass" if layout == "zhibu" else "assets/sass") / name, text)

    if layout == "zhibu":
        write(out / "config.toml", ZHIBU_CONFIG)
        for name, text in ZHIBU_TEMPLATES.items():
            write(out / "templates" / name, text)
        write(content / "_index.md", f'+++\ntitle = "{SITE_TITLE}"\n+++\n')
        for folder, title in SECTIONS:
            write(
                content / folder / "_index.md",
                f'+++\ntitle = "{title}"\nsort_by = "date"\npaginate_by = 10\n+++\n',
            )
    else:
        write(out / "hugo.toml", HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            write(out / "layouts" / name, text)
        write(content / "_index.md", f'+++\ntitle = "{SITE_TITLE}"\n+++\n')
        for folder, title in SECTIONS:
            write(content / folder / "_index.md", f'+++\ntitle = "{title}"\n+++\n')

    for page in pages:
        # One generator per page, seeded by (seed, index): each body is independent of the others.
        rng = random.Random(seed * 1_000_003 + page.index)
        text = front_matter(page, layout) + body(page, pages, rng, layout)
        (content / page.section).mkdir(parents=True, exist_ok=True)
        (content / page.section / page.name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, required=True, help="number of pages")
    ap.add_argument("--out", type=Path, required=True, help="site folder to (re)create")
    ap.add_argument("--layout", choices=["zhibu", "hugo"], required=True)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    generate(args.pages, args.out, args.layout, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
