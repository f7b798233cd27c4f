"""Rendering a page: the reader's marketplace first, the notice on the age of its facts, the footer."""
from __future__ import annotations

import textwrap

import pytest

from factengine.edition import order_tabs

ORDER_FR = ["Amazon.fr", "Amazon.co.jp"]
PAGE = textwrap.dedent("""\
    Intro.

    === "Amazon.co.jp"

        Japanese steps.

        More.

    === "Amazon.fr"

        French steps.

    After.
    """)


def _titles(markdown: str) -> list[str]:
    return [line.strip() for line in markdown.splitlines() if line.strip().startswith("===")]


def test_the_readers_marketplace_comes_first_and_is_selected():
    ordered = order_tabs(PAGE, ORDER_FR)
    assert _titles(ordered) == ['===+ "Amazon.fr"', '=== "Amazon.co.jp"']
    assert ordered.index("French steps.") < ordered.index("Japanese steps.") < ordered.index("More.") < ordered.index("After.")
    assert sorted(ordered.splitlines()) == sorted(PAGE.replace('=== "Amazon.fr"', '===+ "Amazon.fr"').splitlines())


def test_an_order_already_right_only_selects_the_first():
    assert _titles(order_tabs(PAGE, ["Amazon.co.jp", "Amazon.fr"])) == ['===+ "Amazon.co.jp"', '=== "Amazon.fr"']


def test_nested_tabs_and_other_tab_sets_keep_their_place():
    page = textwrap.dedent("""\
        1. Step.

            === "Amazon.co.jp"

                nested jp

            === "Amazon.fr"

                nested fr

        === "iOS"

            ios

        === "Android"

            android
        """)
    ordered = order_tabs(page, ORDER_FR)
    assert ordered.index("nested fr") < ordered.index("nested jp")
    assert _titles(ordered)[2:] == ['===+ "iOS"', '=== "Android"'] or _titles(ordered)[2:] == ['=== "iOS"', '=== "Android"']
    assert ordered.index("ios") < ordered.index("android")


@pytest.mark.parametrize("marker", ["===!"])
def test_a_new_tab_set_is_not_merged_with_the_one_before(marker):
    page = ('=== "Amazon.co.jp"\n\n    one\n\n=== "Amazon.fr"\n\n    two\n\n' + marker +
            ' "Amazon.co.jp"\n\n    three\n\n=== "Amazon.fr"\n\n    four\n')
    ordered = order_tabs(page, ORDER_FR)
    assert ordered.index("two") < ordered.index("one") < ordered.index("four") < ordered.index("three")
    assert _titles(ordered) == ['===+ "Amazon.fr"', '=== "Amazon.co.jp"', '===!+ "Amazon.fr"', '=== "Amazon.co.jp"']
