"""Reading article sources: code is not prose, lines stay put."""

from __future__ import annotations

from pathlib import Path

from factengine.articles import internal_links, mask_code, ordered_lists, read_article as read_page


def test_mask_blanks_code_and_comments_and_keeps_offsets():
    text = "a `{{ x }}` b\n```\n{{ y }}\n```\n<!-- {{ z }}\n-->\n    ~~~~\n    0120-999-373\n    ~~~~\n{{ w }}"
    masked = mask_code(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert "{{ x }}" not in masked and "{{ y }}" not in masked and "{{ z }}" not in masked
    assert "0120" not in masked
    assert masked.endswith("{{ w }}")


def _page(tmp_path: Path, body: str, name="guide.fr.md"):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / name).write_text(f"---\ntitle: T\ndescription: D\n---\n\n{body}", "utf-8")
    page, problems = read_page(docs / name, docs, ["en", "ja", "fr"])
    assert problems == []
    return page


def test_references_carry_their_file_line(tmp_path):
    page = _page(tmp_path, "Intro.\n\nCall {{ call phone.x }} and {{ money.y }}.\n")
    refs, problems = page.references()
    assert problems == []
    assert [(r.verb, r.fact_id, r.line) for r in refs] == [("call", "phone.x", 8), (None, "money.y", 8)]


def test_ordered_lists_inside_tabs_and_their_steps(tmp_path):
    page = _page(
        tmp_path,
        '=== "Amazon.fr"\n\n    1. Open {{ a }}.\n    2. Choose {{ b }}\n       then {{ c }}.\n\nText.\n\n1) {{ d }}\n',
    )
    refs, _ = page.references()
    lists = ordered_lists(page, refs)
    assert [[item.refs for item in lst.items] for lst in lists] == [[["a"], ["b", "c"]], [["d"]]]
    assert lists[0].line == 8


def test_internal_links_lose_language_suffix_and_anchor(tmp_path):
    page = _page(tmp_path, "[a](cancel.md#x) [b](refunds.fr.md) [c](https://example.org/) [d](#top)\n")
    assert [link.target for link in internal_links(page, ["en", "ja", "fr"])] == ["cancel.md", "refunds.md"]
