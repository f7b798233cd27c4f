#!/usr/bin/env python3
"""Benchmark of the fact engine on a synthetic knowledge base.

    .venv/bin/python scripts/benchmark.py --articles 300 [--repeat 3] [--json PATH] [--keep DIR]

Generates, in a temporary directory, a site of N articles x 3 languages (en, ja,
fr) that passes ``factcheck`` with no error: a copy of mkdocs.yml (same theme
options, plugins and extensions; the fact hook only, by absolute path; no nav,
so MkDocs makes one; no theme custom_dir), the real registry plus synthetic
facts of every kind, a home page, and articles of ~800-1,500 words with
headings, an ordered list of fact references, a content tab, internal links
and 10-20 fact references each. Then it measures, each run in a fresh
subprocess:

- ``mkdocs build`` with the fact hook and without it (the same mkdocs.yml
  minus ``hooks:``), median of K runs each, interleaved;
- the standalone check: the ``factcheck`` command, and ``factengine.check()``
  in this process;
- wall time, CPU time and peak memory (max RSS) of each child, from ``os.wait4``;
- the standalone check of the real content (this repository).

BENCHMARKS.md says what the figures were and what dominates them.

Exit status: 0 when the generated site builds and checks cleanly (1 otherwise,
or with ``--fail-on-target`` when a target is missed); 2 on bad usage.
Standard library and the project's own dependencies only.
"""

from __future__ import annotations

import argparse
import urllib.parse
import posixpath
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import phonenumbers
import yaml

REPO = Path(__file__).resolve().parent.parent
HOOK = REPO / "hooks" / "facts.py"
LANGS = ("en", "ja", "fr")
KB_DIR = "kb"  # the synthetic articles live in docs/kb/
# The real site's configuration (every hook, the overrides), as `make build` and `make serve` run it.
FULL_CONFIG = "mkdocs-full.yml"
MARKER = ".benchmark-site"  # marks a folder this script generated (so --keep may replace it)
TARGET_OVERHEAD_PCT = 10.0
TARGET_CHECK_S = 1.0
# issue 10: factcheck over the whole site in process, as a developer runs it again and again
TARGET_FACTCHECK_IN_PROCESS_S = 0.3

# --------------------------------------------------------------------------------------------
# Text. Every pool is aligned across languages (item i is the same sentence), so that the three
# versions of an article read as translations of each other. No digits anywhere in the prose:
# numbers, prices, phone numbers and durations come from the registry only (the check refuses
# hand-written ones).
# --------------------------------------------------------------------------------------------

FILLER = {
    "en": [
        "Prime is a paid membership, and the benefits it gives differ from one marketplace to another.",
        "Everything described here is done from your own account; nobody from Amazon will ask you for your password.",
        "If you share the membership with your household, the changes you make apply to every member.",
        "Keep the confirmation email until the change appears on your account page.",
        "The steps are the same on a computer and in the shopping app, although the menus are arranged differently.",
        "When a benefit stops, the videos you downloaded for offline viewing stop playing as well.",
        "Orders placed before the change keep the delivery option they were placed with.",
        "A refund goes back to the payment method that was charged, not to a gift card balance.",
        "If you signed up through a mobile carrier or another company, the membership is managed by that company.",
        "Amazon does not charge a fee for ending a membership, whatever the plan.",
        "Check which marketplace your account belongs to before you follow the steps, because the pages differ.",
        "Screenshots in older guides may show menus that have since been renamed.",
        "You can read the terms of the membership at any time from the account page.",
        "Nothing here requires a phone call: the account page offers every option described below.",
        "If the page asks you to sign in again, it is a security check and not an error.",
        "The membership renews automatically unless you turn the renewal off.",
        "Turning off the renewal keeps the benefits until the end of the period you already paid for.",
        "Some benefits, such as free delivery on eligible items, end as soon as the membership ends.",
        "Customer service can see the history of your membership, so you do not need to prove past payments.",
        "When you contact customer service, describe the problem in one or two sentences and mention the order it concerns.",
        "Write down the name of the option you chose; it helps if you need to ask for help later.",
        "A trial that you do not cancel turns into a paid membership at the end of the trial.",
        "Students and people receiving certain benefits may be offered a reduced plan.",
        "If you have several accounts, make sure you are signed in to the one that pays for the membership.",
        "Gift memberships cannot be refunded to the person who received them.",
        "The price shown on the account page is the one that applies to your next renewal.",
        "If a payment fails, Amazon tries again for a few days before the membership is suspended.",
        "Changes made from the app can take a moment to appear on the website.",
        "Be wary of websites that offer to cancel your membership for you in exchange for a fee.",
        "Read the whole page once before you start, then follow the steps in order.",
    ],
    "ja": [
        "プライムは有料の会員サービスで、受けられる特典はマーケットプレイスごとに異なります。",
        "ここで説明する操作はすべてご自分のアカウントから行います。Amazonの担当者がパスワードを尋ねることはありません。",
        "家族と会員特典を共有している場合、変更は家族全員に適用されます。",
        "アカウントのページに変更が反映されるまで、確認メールは保存しておきましょう。",
        "手順はパソコンでもショッピングアプリでも同じですが、メニューの配置が異なります。",
        "特典が終了すると、オフライン視聴のためにダウンロードした動画も再生できなくなります。",
        "変更前に確定した注文は、注文時の配送方法のまま届きます。",
        "返金は請求された支払い方法に戻り、ギフトカード残高には入りません。",
        "携帯電話会社など他社を通じて登録した場合、会員資格はその会社が管理しています。",
        "どのプランでも、会員登録の終了に手数料はかかりません。",
        "ページの内容が異なるため、手順を始める前にアカウントがどのマーケットプレイスのものか確認してください。",
        "古い解説記事のスクリーンショットには、名前が変わる前のメニューが写っていることがあります。",
        "会員規約はアカウントのページからいつでも確認できます。",
        "電話をかける必要はありません。以下で説明する操作はすべてアカウントのページから行えます。",
        "もう一度ログインを求められた場合は、エラーではなく本人確認です。",
        "自動更新を停止しない限り、会員資格は自動で更新されます。",
        "自動更新を停止しても、支払い済みの期間が終わるまで特典は使えます。",
        "対象商品の配送料無料などの一部の特典は、会員資格の終了と同時に使えなくなります。",
        "カスタマーサービスは会員資格の履歴を確認できるので、過去の支払いを証明する必要はありません。",
        "カスタマーサービスに問い合わせるときは、問題を一、二文で説明し、関係する注文を伝えましょう。",
        "選んだオプションの名前を控えておくと、あとで問い合わせるときに役立ちます。",
        "無料体験を解約しないでおくと、体験期間の終了後に有料会員へ移行します。",
        "学生や特定の給付を受けている人には、割安なプランが用意されていることがあります。",
        "複数のアカウントをお持ちの場合は、会費を支払っているアカウントでログインしているか確認してください。",
        "ギフトとして贈られた会員資格は、受け取った人に返金されません。",
        "アカウントのページに表示される料金が、次回の更新に適用される料金です。",
        "支払いに失敗すると、会員資格が停止される前にAmazonが数日間再試行します。",
        "アプリで行った変更がウェブサイトに反映されるまで、少し時間がかかることがあります。",
        "手数料と引き換えに解約を代行すると持ちかけるウェブサイトには注意してください。",
        "始める前にページ全体に一度目を通し、手順を順番に進めてください。",
    ],
    "fr": [
        "Prime est un abonnement payant, et ses avantages varient d’une boutique à l’autre.",
        "Tout ce qui est décrit ici se fait depuis votre propre compte ; personne chez Amazon ne vous demandera votre mot de passe.",
        "Si vous partagez l’abonnement avec votre foyer, les changements s’appliquent à chaque membre.",
        "Conservez l’e-mail de confirmation jusqu’à ce que le changement apparaisse sur la page de votre compte.",
        "Les étapes sont les mêmes sur ordinateur et dans l’application, même si les menus sont disposés autrement.",
        "Quand un avantage prend fin, les vidéos téléchargées pour un visionnage hors ligne ne sont plus lisibles.",
        "Les commandes passées avant le changement gardent le mode de livraison choisi au moment de la commande.",
        "Un remboursement revient sur le moyen de paiement débité, et non sur un solde de chèque-cadeau.",
        "Si vous vous êtes inscrit par un opérateur mobile ou une autre entreprise, c’est elle qui gère l’abonnement.",
        "Amazon ne facture aucuns frais pour mettre fin à un abonnement, quelle que soit la formule.",
        "Vérifiez à quelle boutique votre compte est rattaché avant de suivre les étapes, car les pages diffèrent.",
        "Les captures d’écran d’anciens guides montrent parfois des menus qui ont été renommés depuis.",
        "Vous pouvez lire les conditions de l’abonnement à tout moment depuis la page de votre compte.",
        "Aucun appel n’est nécessaire : la page du compte propose toutes les options décrites ci-dessous.",
        "Si la page vous demande de vous reconnecter, il s’agit d’un contrôle de sécurité, pas d’une erreur.",
        "L’abonnement se renouvelle automatiquement, sauf si vous désactivez le renouvellement.",
        "Désactiver le renouvellement conserve les avantages jusqu’à la fin de la période déjà payée.",
        "Certains avantages, comme la livraison gratuite des articles éligibles, cessent dès la fin de l’abonnement.",
        "Le service client voit l’historique de votre abonnement : inutile de prouver vos paiements passés.",
        "Quand vous contactez le service client, décrivez le problème en une ou deux phrases et citez la commande concernée.",
        "Notez le nom de l’option choisie ; cela aide si vous devez demander de l’aide plus tard.",
        "Un essai que vous ne résiliez pas devient un abonnement payant à la fin de la période d’essai.",
        "Les étudiants et les bénéficiaires de certaines aides peuvent se voir proposer une formule réduite.",
        "Si vous avez plusieurs comptes, vérifiez que vous êtes connecté à celui qui paie l’abonnement.",
        "Un abonnement offert ne peut pas être remboursé à la personne qui l’a reçu.",
        "Le prix affiché sur la page du compte est celui qui s’applique au prochain renouvellement.",
        "Si un paiement échoue, Amazon réessaie pendant quelques jours avant de suspendre l’abonnement.",
        "Les changements faits dans l’application peuvent mettre un moment à apparaître sur le site.",
        "Méfiez-vous des sites qui proposent de résilier votre abonnement à votre place contre rémunération.",
        "Lisez la page en entier une fois avant de commencer, puis suivez les étapes dans l’ordre.",
    ],
}

HEADINGS = {
    "start": {"en": "Before you start", "ja": "始める前に", "fr": "Avant de commencer"},
    "cost": {"en": "What it costs", "ja": "料金", "fr": "Ce que cela coûte"},
    "steps": {"en": "Step by step", "ja": "手順", "fr": "Étape par étape"},
    "marketplace": {"en": "By marketplace", "ja": "マーケットプレイス別の情報", "fr": "Selon la boutique"},
    "problems": {"en": "If something goes wrong", "ja": "うまくいかない場合", "fr": "En cas de problème"},
    "know": {"en": "Good to know", "ja": "知っておきたいこと", "fr": "Bon à savoir"},
    "refund": {"en": "Refunds", "ja": "返金について", "fr": "Remboursements"},
    "numbers": {
        "en": "Phone numbers you may see",
        "ja": "見かけることのある電話番号",
        "fr": "Les numéros que vous verrez peut-être",
    },
    "questions": {"en": "Common questions", "ja": "よくある質問", "fr": "Questions fréquentes"},
    "benefits": {"en": "Keeping your benefits", "ja": "特典を使い続けるには", "fr": "Garder vos avantages"},
    "related": {"en": "Related articles", "ja": "関連記事", "fr": "Articles liés"},
    "sources": {"en": "Where these facts come from", "ja": "情報の出典", "fr": "D’où viennent ces informations"},
}
BODY_HEADINGS = ["start", "know", "refund", "questions", "benefits", "problems"]

# Title = aspect(subject) + qualifier: 6 x 10 x 5 = 300 distinct titles per language.
ASPECTS = [
    {"en": "How to cancel {s}", "ja": "{s}を解約する方法", "fr": "Comment résilier {s}"},
    {"en": "Getting a refund for {s}", "ja": "{s}の返金を受けるには", "fr": "Se faire rembourser {s}"},
    {"en": "Changing {s}", "ja": "{s}を変更する", "fr": "Modifier {s}"},
    {"en": "Complaining about {s}", "ja": "{s}について苦情を伝える", "fr": "Réclamer au sujet de {s}"},
    {"en": "What {s} costs", "ja": "{s}の料金", "fr": "Le prix de {s}"},
    {"en": "Pausing {s}", "ja": "{s}を一時停止する", "fr": "Suspendre {s}"},
]
SUBJECTS = [
    {"en": "Prime Video", "ja": "Prime Video", "fr": "Prime Video"},
    {"en": "the annual plan", "ja": "年間プラン", "fr": "l’abonnement annuel"},
    {"en": "the monthly plan", "ja": "月間プラン", "fr": "l’abonnement mensuel"},
    {"en": "a student membership", "ja": "学生会員", "fr": "l’abonnement étudiant"},
    {"en": "a shared household", "ja": "家族会員", "fr": "le partage avec le foyer"},
    {"en": "the free trial", "ja": "無料体験", "fr": "l’essai gratuit"},
    {"en": "Prime Reading", "ja": "Prime Reading", "fr": "Prime Reading"},
    {"en": "a gift membership", "ja": "ギフト会員", "fr": "l’abonnement offert"},
    {"en": "Prime Music", "ja": "Prime Music", "fr": "Prime Music"},
    {
        "en": "a membership paid by a carrier",
        "ja": "携帯会社経由の会員資格",
        "fr": "l’abonnement payé par un opérateur",
    },
]
QUALIFIERS = [
    {"en": "", "ja": "", "fr": ""},
    {"en": " on Amazon.co.jp", "ja": "（Amazon.co.jp）", "fr": " sur Amazon.co.jp"},
    {"en": " on Amazon.fr", "ja": "（Amazon.fr）", "fr": " sur Amazon.fr"},
    {"en": " from a phone", "ja": "（スマートフォン）", "fr": " depuis un téléphone"},
    {"en": " after a price change", "ja": "（料金改定後）", "fr": " après un changement de prix"},
]

# A sentence that states a fact: {r} is the reference.
FACT_SENTENCE = {
    "call": {
        "en": "If you prefer to talk to someone, call {r}; have your account email at hand.",
        "ja": "担当者と話したい場合は、{r}に電話してください。アカウントのメールアドレスを手元に用意しておきましょう。",
        "fr": "Si vous préférez parler à quelqu’un, appelez le {r} ; gardez l’adresse e-mail de votre compte à portée de main.",
    },
    "phone": {
        "en": "The line in service for this is {r}.",
        "ja": "この用件で使える番号は{r}です。",
        "fr": "La ligne en service pour cela est le {r}.",
    },
    "retired": {
        "en": "Older guides still give {r}, which no longer reaches Amazon.",
        "ja": "古い解説記事には今も{r}が載っていますが、この番号はもうAmazonにつながりません。",
        "fr": "D’anciens guides donnent encore le {r}, qui ne mène plus à Amazon.",
    },
    "money": {
        "en": "The plan concerned costs {r}.",
        "ja": "対象のプランの料金は{r}です。",
        "fr": "La formule concernée coûte {r}.",
    },
    "duration": {
        "en": "Allow {r} for the change to be processed.",
        "ja": "変更の処理には{r}ほどかかります。",
        "fr": "Comptez {r} pour que le changement soit traité.",
    },
    "date": {
        "en": "The current rules have applied since {r}.",
        "ja": "現在のルールは{r}から適用されています。",
        "fr": "Les règles actuelles s’appliquent depuis {r}.",
    },
    "url": {
        "en": "The official help page, {r}, describes the same options.",
        "ja": "公式ヘルプページ{r}にも同じ選択肢が説明されています。",
        "fr": "La page d’aide officielle, {r}, décrit les mêmes options.",
    },
    "label": {
        "en": "On the account page, look for {r}.",
        "ja": "アカウントのページで{r}を探してください。",
        "fr": "Sur la page du compte, cherchez {r}.",
    },
}
# An ordered-list item or a procedure step: imperative.
STEP = {
    "url": {"en": "Open {r} and sign in.", "ja": "{r}を開いてログインします。", "fr": "Ouvrez {r} et connectez-vous."},
    "label": {"en": "Choose {r}.", "ja": "{r}を選びます。", "fr": "Choisissez {r}."},
    "money": {
        "en": "Check the amount shown: {r}.",
        "ja": "表示される金額（{r}）を確認します。",
        "fr": "Vérifiez le montant affiché : {r}.",
    },
    "duration": {
        "en": "Wait {r} for the confirmation.",
        "ja": "確認まで{r}ほど待ちます。",
        "fr": "Attendez {r} pour la confirmation.",
    },
    "date": {
        "en": "Make sure the change is dated after {r}.",
        "ja": "{r}以降の日付になっているか確認します。",
        "fr": "Vérifiez que le changement est daté après {r}.",
    },
    "call": {
        "en": "If the page does not load, call {r}.",
        "ja": "ページが開かない場合は{r}に電話します。",
        "fr": "Si la page ne s’affiche pas, appelez le {r}.",
    },
    "label2": {
        "en": "Choose {r}, then {r2}.",
        "ja": "{r}を選び、続けて{r2}を選びます。",
        "fr": "Choisissez {r}, puis {r2}.",
    },
    "none": {
        "en": "Confirm your choice and wait for the confirmation email.",
        "ja": "選択を確定し、確認メールを待ちます。",
        "fr": "Confirmez votre choix et attendez l’e-mail de confirmation.",
    },
}
PHRASES = {
    "as-of": {
        "en": "The facts on this page were checked {r}.",
        "ja": "このページの情報は{r}のものです。",
        "fr": "Les informations de cette page sont à jour {r}.",
    },
    "steps-intro": {"en": "Follow these steps:", "ja": "次の手順で進めます。", "fr": "Suivez ces étapes :"},
    "procedure-intro": {
        "en": "The same steps, as Amazon describes them:",
        "ja": "Amazonが案内している手順は次のとおりです。",
        "fr": "Les mêmes étapes, telles qu’Amazon les décrit :",
    },
    "history-intro": {
        "en": "What the sources say about this number:",
        "ja": "この番号について出典が伝えていること：",
        "fr": "Ce que disent les sources sur ce numéro :",
    },
    "see-also": {"en": "See also", "ja": "あわせて読みたい", "fr": "Voir aussi"},
    "home": {"en": "the home page", "ja": "トップページ", "fr": "la page d’accueil"},
    "tip": {"en": "Before you change anything", "ja": "変更する前に", "fr": "Avant toute modification"},
    "plan": {"en": "Plan", "ja": "プラン", "fr": "Formule"},
    "price": {"en": "Price", "ja": "料金", "fr": "Prix"},
    "home-description": {
        "en": "The benchmark's help centre: every article in three languages.",
        "ja": "ベンチマーク用のヘルプセンターです。すべての記事を三つの言語で読めます。",
        "fr": "Le centre d’aide du banc d’essai\u00a0: chaque article en trois langues.",
    },
    "description": {
        "en": "A synthetic benchmark article.",
        "ja": "ベンチマーク用の合成記事です。",
        "fr": "Un article synthétique pour le banc d’essai.",
    },
}
PLAN_NAMES = {
    "en": ["Standard", "Student", "Household", "Trial"],
    "ja": ["通常会員", "学生会員", "家族会員", "無料体験"],
    "fr": ["Standard", "Étudiant", "Foyer", "Essai"],
}
MARKETPLACES = {"jp": ("amazon.co.jp", "JP", "ja", "Amazon.co.jp"), "fr": ("amazon.fr", "FR", "fr", "Amazon.fr")}
LABEL_TEXTS = {
    "jp": [
        ("プライム会員情報", {"en": "Prime membership", "fr": "Adhésion Prime"}),
        ("会員資格を終了する", {"en": "End membership", "fr": "Mettre fin à l’adhésion"}),
        ("特典と会員資格を終了", {"en": "End benefits and membership", "fr": "Mettre fin aux avantages"}),
        ("更新前にお知らせを受け取る", {"en": "Remind me before renewal", "fr": "Me prévenir avant le renouvellement"}),
        ("返金をリクエスト", {"en": "Request a refund", "fr": "Demander un remboursement"}),
    ],
    "fr": [
        ("Gérer l’abonnement", {"en": "Manage membership", "ja": "会員資格の管理"}),
        ("Mettre fin à l’abonnement", {"en": "End membership", "ja": "会員資格を終了する"}),
        ("Continuer à résilier", {"en": "Continue to cancel", "ja": "解約を続ける"}),
        ("Me le rappeler plus tard", {"en": "Remind me later", "ja": "あとで通知する"}),
        ("Demander un remboursement", {"en": "Request a refund", "ja": "返金を申請する"}),
    ],
}


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class SiteInfo:
    root: Path
    articles: int
    pages: int  # synthetic pages (articles x languages)
    facts: int  # synthetic facts
    facts_by_kind: dict
    references: int  # fact references in the synthetic pages
    words_en: int  # words in the English synthetic pages
    chars_ja: int  # characters in the Japanese synthetic pages


def _phone_numbers(count: int, market: str, tariff: str, rng: random.Random, taken: set[str]) -> list[str]:
    """Distinct numbers that phonenumbers holds valid for the marketplace's region."""
    region = MARKETPLACES[market][1]
    out: list[str] = []
    while len(out) < count:
        if market == "jp":
            number = (
                f"0120-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
                if tariff == "toll-free"
                else f"03-{rng.randint(5000, 6999)}-{rng.randint(1000, 9999)}"
            )
        else:
            number = (
                f"08 00 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if tariff == "toll-free"
                else f"01 {rng.randint(40, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            )
        parsed = phonenumbers.parse(number, region)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(parsed) and e164 not in taken:
            taken.add(e164)
            out.append(number)
    return out


def _localized(pool: dict, index: int | None = None, **values) -> dict:
    return {lang: (pool[lang] if index is None else pool[lang][index]).format(**values) for lang in LANGS}


def synthetic_registry(articles: int, rng: random.Random, today: dt.date) -> tuple[dict, dict, dict[str, list[str]]]:
    """(sources, facts, ids by kind) for a knowledge base of ``articles`` articles.

    Each kind gets about one fact per 14 articles (at least 2), so N=300 has ~22 of each kind
    and ~190 facts in all. Every fact is confirmed recently (no stale-fact warning).
    """
    per_kind = max(2, -(-articles // 14))
    as_of = (today - dt.timedelta(days=30)).isoformat()
    sources: dict = {}
    for i in range(max(3, per_kind // 2)):
        lang = ("ja", "fr", "en")[i % 3]
        sources[f"bench-source-{i:03d}"] = {
            "title": {
                "ja": f"プライム会員ヘルプ（合成資料 {i}）",
                "fr": f"Aide Prime (document synthétique {i})",
                "en": f"Prime help (synthetic document {i})",
            }[lang],
            "language": lang,
            "date": (today - dt.timedelta(days=40 + 11 * i)).isoformat(),
            "url": f"https://example.org/bench/source-{i}",
            "publisher": "Benchmark",
        }
    source_ids = list(sources)
    facts: dict = {}
    ids: dict[str, list[str]] = {
        k: [] for k in ("phone-active", "phone-retired", "money", "duration", "date", "url", "label", "procedure")
    }
    taken: set[str] = set()

    def base(market: str, i: int) -> dict:
        return {"marketplace": MARKETPLACES[market][0], "sources": [source_ids[i % len(source_ids)]], "as_of": as_of}

    for i in range(per_kind):
        market = ("jp", "fr")[i % 2]
        src = source_ids[i % len(source_ids)]
        # phones: active (history: in service) and retired (history: in service, then retired)
        tariff = ("toll-free", "paid")[(i // 2) % 2]
        number = _phone_numbers(1, market, tariff, rng, taken)[0]
        purpose = {
            "en": f"{MARKETPLACES[market][3]} customer service, line {i}",
            "ja": f"{MARKETPLACES[market][3]}カスタマーサービス（回線{i}）",
            "fr": f"service client d’{MARKETPLACES[market][3]}, ligne {i}",
        }
        fid = f"phone.bench.{market}-active-{i:03d}"
        facts[fid] = {
            "kind": "phone",
            **base(market, i),
            "number": number,
            "tariff": tariff,
            "purpose": purpose,
            "status": "active",
            "history": [{"date": (today - dt.timedelta(days=400 + i)).isoformat(), "status": "active", "source": src}],
        }
        ids["phone-active"].append(fid)
        number = _phone_numbers(1, market, tariff, rng, taken)[0]
        retired_on = today - dt.timedelta(days=200 + 3 * i)
        fid = f"phone.bench.{market}-retired-{i:03d}"
        facts[fid] = {
            "kind": "phone",
            **base(market, i),
            "number": number,
            "tariff": tariff,
            "purpose": purpose,
            "status": "retired",
            "retired_on": retired_on.isoformat()[:7],
            "history": [
                {"date": (today - dt.timedelta(days=900 + i)).isoformat()[:7], "status": "active", "source": src},
                {
                    "date": retired_on.isoformat(),
                    "status": "retired",
                    "source": src,
                    "note": {"en": "the line was closed", "ja": "回線は廃止されました", "fr": "la ligne a été fermée"},
                },
            ],
        }
        ids["phone-retired"].append(fid)
        # money
        fid = f"money.bench.{market}-{i:03d}"
        amount = (
            str(rng.choice([500, 600, 4900, 5900]))
            if market == "jp"
            else f"{rng.choice([4, 6, 49, 69])}.{rng.choice(['90', '99', '00'])}"
        )
        facts[fid] = {
            "kind": "money",
            **base(market, i),
            "amount": amount,
            "currency": "JPY" if market == "jp" else "EUR",
            "period": ("year", "month", "once")[i % 3],
            "tax": "included",
            "plan": _localized({"en": "plan {i}", "ja": "プラン{i}", "fr": "formule {i}"}, i=i),
        }
        ids["money"].append(fid)
        # duration
        fid = f"duration.bench.{market}-{i:03d}"
        unit = ("day", "business-day", "hour", "week", "month", "minute")[i % 6]
        # amounts the real registry's texts never state (its notes say "1か月", "3 jours"...): a synthetic fact equal to
        # a duration written in a real note would be reported as that duration written by hand
        low, high = 41 + i % 5, (43 + i % 5 + i % 3 if i % 2 else None)
        facts[fid] = {"kind": "duration", **base(market, i), "min": low, "unit": unit}
        if high is not None:
            facts[fid]["max"] = high
        ids["duration"].append(fid)
        # date
        fid = f"date.bench.{market}-{i:03d}"
        day = today - dt.timedelta(days=100 + 17 * i)
        facts[fid] = {
            "kind": "date",
            **base(market, i),
            "date": (day.isoformat(), day.isoformat()[:7], str(day.year))[i % 3],
            "event": _localized({"en": "rule change {i}", "ja": "規約改定{i}", "fr": "changement de règle {i}"}, i=i),
        }
        ids["date"].append(fid)
        # url
        fid = f"url.bench.{market}-{i:03d}"
        host = "www.amazon.co.jp" if market == "jp" else "www.amazon.fr"
        facts[fid] = {
            "kind": "url",
            **base(market, i),
            "url": f"https://{host}/gp/help/customer/display.html?nodeId=bench{i}",
            "title": _localized(
                {"en": "Prime help page {i}", "ja": "プライムのヘルプページ{i}", "fr": "page d’aide Prime {i}"}, i=i
            ),
        }
        ids["url"].append(fid)
        # label (verbatim in the marketplace's language, glossed in the others)
        text, gloss = LABEL_TEXTS[market][i % len(LABEL_TEXTS[market])]
        fid = f"label.bench.{market}-{i:03d}"
        facts[fid] = {
            "kind": "label",
            **base(market, i),
            "text": text,
            "language": MARKETPLACES[market][2],
            "gloss": gloss,
        }
        ids["label"].append(fid)

    # procedures: steps reference the facts above (never another procedure), same facts in every language
    for i in range(per_kind):
        market = ("jp", "fr")[i % 2]
        same = lambda kind, market=market: [f for f in ids[kind] if f".{market}-" in f]  # noqa: E731
        pick = lambda kind, same=same: rng.choice(same(kind))  # noqa: E731
        first, second = rng.sample(ids["label"], 2)
        steps = [
            _localized(STEP["url"], r=_ref(pick("url"))),
            _localized(STEP["label2"], r=_ref(first), r2=_ref(second)),
        ]
        if i % 2:
            steps.append(_localized(STEP["money"], r=_ref(pick("money"))))
        steps.append(_localized(STEP["duration"], r=_ref(pick("duration"))))
        steps.append(_localized(STEP["none"]))
        fid = f"procedure.bench.{market}-{i:03d}"
        facts[fid] = {"kind": "procedure", **base(market, i), "steps": steps}
        ids["procedure"].append(fid)
    return sources, facts, ids


def _ref(fact_id: str, verb: str | None = None) -> str:
    return f"{{{{ {verb} {fact_id} }}}}" if verb else f"{{{{ {fact_id} }}}}"


class _NoAliases(yaml.SafeDumper):
    """The registry refuses anchors and aliases: write a shared value out in full each time."""

    def ignore_aliases(self, data):
        return True


def _yaml_block(data: dict) -> str:
    """Entries of a mapping, indented two spaces (to go under an existing top-level key)."""
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)
    return "".join(f"  {line}" if line.strip() else line for line in text.splitlines(keepends=True))


def write_registry(real: Path, dest: Path, sources: dict, facts: dict) -> None:
    """The real registry, verbatim, with the synthetic sources and facts added to its sections."""
    text = real.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    tops = [(i, m.group(1)) for i, line in enumerate(lines) if (m := re.match(r"^([A-Za-z_][\w-]*):", line))]
    keys = [k for _, k in tops]
    if keys[-2:] == ["sources", "facts"] and keys.count("sources") == 1:
        # the usual layout: ... sources: ... facts: ... (end): insert before 'facts:', append after it
        facts_at = next(i for i, k in tops if k == "facts")
        out = "".join(lines[:facts_at]).rstrip("\n") + "\n\n  # --- synthetic (scripts/benchmark.py) ---\n"
        out += _yaml_block(sources) + "\n" + "".join(lines[facts_at:]).rstrip("\n") + "\n\n"
        out += "  # --- synthetic (scripts/benchmark.py) ---\n" + _yaml_block(facts)
    else:  # any other layout: merge the data (comments are lost)
        from factengine.yamlsource import load_yaml

        data = load_yaml(real).data
        data.setdefault("sources", {}).update(sources)
        data.setdefault("facts", {}).update(facts)
        out = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(out, "utf-8")


# --------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------


def _title(i: int) -> dict:
    aspect = ASPECTS[i % len(ASPECTS)]
    subject = SUBJECTS[(i // len(ASPECTS)) % len(SUBJECTS)]
    qualifier = QUALIFIERS[(i // (len(ASPECTS) * len(SUBJECTS))) % len(QUALIFIERS)]
    return {lang: aspect[lang].format(s=subject[lang]) + qualifier[lang] for lang in LANGS}


def _slug(i: int) -> str:
    return f"article-{i:04d}"


TOPICS = 10  # a help centre's top-level sections
GROUP_SIZE = 25  # at most this many articles in one section of the navigation


def _folder(i: int, articles: int) -> str:
    """Where article ``i`` lives under docs/kb/: a topic, then a group of at most GROUP_SIZE articles, so
    that MkDocs' navigation (made from the folders) is in sections as a real help centre's is."""
    per_topic = -(-articles // TOPICS)
    topic, rank = divmod(i, per_topic)
    return f"topic-{topic + 1:02d}/part-{rank // GROUP_SIZE + 1}"


def _article_path(i: int, articles: int) -> str:
    """Article ``i``'s page, relative to docs/kb/, without its language suffix."""
    return f"{_folder(i, articles)}/{_slug(i)}"


def _link(i: int, j: int, articles: int) -> str:
    """The relative link from article ``i`` to article ``j``'s source."""
    return posixpath.relpath(f"{_article_path(j, articles)}.md", _folder(i, articles))


def _article_plan(i: int, articles: int, ids: dict, rng: random.Random) -> list[tuple]:
    """The language-independent structure of article ``i``: blocks, with the facts they reference.

    Block kinds: ("h2", key) ("para", [items]) ("ol", [items]) ("tabs", [(label, [blocks])])
    ("block", ref) ("table", [ref]) ("tip", [items]) ("links", [article indexes]);
    an item is ("filler", index) or (template, {"r": ref, ...}).
    """
    refs_wanted = rng.randint(10, 20)
    words_wanted = rng.randint(700, 1400)  # of filler: with headings, lists and links, 800-1,560 words of prose
    choose = rng.choice
    count = 0

    def ref(kind: str, verb: str | None = None, market: str | None = None) -> str:
        nonlocal count
        pool = ids[kind] if market is None else [f for f in ids[kind] if f".{market}-" in f]
        count += 1
        return _ref(choose(pool), verb)

    def filler(n: int) -> list[tuple]:
        return [("filler", x) for x in rng.sample(range(len(FILLER["en"])), n)]

    def two_labels() -> dict:
        nonlocal count
        count += 2
        first, second = rng.sample(ids["label"], 2)
        return {"r": _ref(first), "r2": _ref(second)}

    inline_kinds = [
        ("money", "money", None),
        ("duration", "duration", None),
        ("date", "date", None),
        ("url", "url", None),
        ("label", "label", None),
        ("retired", "phone-retired", None),
        ("call", "phone-active", "call"),
        ("phone", "phone-active", None),
    ]

    def fact_item() -> tuple:
        template, kind, verb = choose(inline_kinds)
        return (template, {"r": ref(kind, verb)})

    blocks: list[tuple] = [("para", filler(2) + [fact_item()] + filler(1))]
    # the ordered list: every item references one or two facts
    items = []
    for _ in range(rng.randint(3, 5)):
        kind = choose(["url", "label", "money", "duration", "date", "call", "label2"])
        if kind == "label2":
            items.append(("label2", two_labels()))
        elif kind == "call":
            items.append(("call", {"r": ref("phone-active", "call")}))
        else:
            items.append((kind, {"r": ref(kind)}))
    blocks += [("h2", "steps"), ("para", [("steps-intro", {})]), ("ol", items)]
    # the content tab, per marketplace, one with a procedure
    proc_in_tab = i % 2 == 0
    tab_jp = [("para", filler(2) + [("retired", {"r": ref("phone-retired", market="jp")})])]
    if proc_in_tab:
        tab_jp += [("para", [("procedure-intro", {})]), ("block", ref("procedure", market="jp"))]
    tab_fr = [("para", [("label", {"r": ref("label", market="fr")})] + filler(2))]
    blocks += [("h2", "marketplace"), ("para", filler(1)), ("tabs", [("Amazon.co.jp", tab_jp), ("Amazon.fr", tab_fr)])]
    if not proc_in_tab:
        blocks += [("para", [("procedure-intro", {})]), ("block", ref("procedure"))]
    if i % 3 == 0:
        blocks += [
            ("h2", "numbers"),
            ("para", [("retired", {"r": (r := ref("phone-retired"))})] + filler(1)),
            ("para", [("history-intro", {})]),
            ("block", "{{ history " + r.split()[1] + " }}"),
        ]
        count += 1
    if i % 2 == 1:
        blocks += [("h2", "cost"), ("table", [ref("money") for _ in range(rng.randint(1, 3))])]
    if i % 4 == 0:
        blocks += [("tip", [fact_item()] + filler(1))]
    # body sections until the length and the reference count are reached (2 more references close the page)
    headings = BODY_HEADINGS[:]
    rng.shuffle(headings)
    words = _plan_words(blocks)
    while words < words_wanted or count < refs_wanted - 2:
        blocks.append(("h2", headings.pop() if headings else choose(BODY_HEADINGS)))
        for _ in range(rng.randint(1, 3)):
            para = filler(rng.randint(2, 5))
            if count < refs_wanted - 2:
                para.insert(rng.randint(0, len(para)), fact_item())
            blocks.append(("para", para))
            words = _plan_words(blocks)
            if words >= words_wanted and count >= refs_wanted - 2:
                break
    # links to other articles (and, now and then, to the home page, one folder up)
    others = [j for j in rng.sample(range(articles), min(articles, 5)) if j != i][:4]
    blocks += [("h2", "related"), ("links", others, i % 5 == 0)]
    last = ref(choose(["money", "duration", "date", "url", "label"]))
    count += 1  # as-of and source of the same fact
    fid = last.split()[1]
    blocks += [
        ("h2", "sources"),
        ("para", [("as-of", {"r": _ref(fid, "as-of")}), ("source", {"r": _ref(fid, "source")})]),
    ]
    return blocks


def _plan_words(blocks) -> int:
    """English words of the filler so far (about 15 a sentence; 4 a fact sentence)."""

    def items_words(items):
        return sum(len(FILLER["en"][x].split()) if kind == "filler" else 8 for kind, x in items)

    total = 0
    for block in blocks:
        if block[0] in ("para", "tip", "ol"):
            total += items_words(block[1])
        elif block[0] == "tabs":
            total += sum(_plan_words(b) for _, b in block[1])
    return total


def _sentence(item: tuple, lang: str) -> str:
    kind, value = item
    if kind == "filler":
        return FILLER[lang][value]
    if kind == "source":
        return value["r"] + ("。" if lang == "ja" else ".")
    pool = FACT_SENTENCE.get(kind) or PHRASES.get(kind) or STEP[kind]
    return pool[lang].format(**value)


def _join(sentences: list[str], lang: str) -> str:
    return ("" if lang == "ja" else " ").join(sentences)


def _render(blocks: list[tuple], lang: str, indent: str = "", where: tuple[int, int] = (0, 1)) -> list[str]:
    """``where``: (this article, how many articles), for the links between articles."""
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h2":
            out += [f"## {HEADINGS[block[1]][lang]}", ""]
        elif kind == "para":
            out += [indent + _join([_sentence(item, lang) for item in block[1]], lang), ""]
        elif kind == "block":
            out += [indent + block[1], ""]
        elif kind == "ol":
            out += [f"{indent}{n}. {STEP[item[0]][lang].format(**item[1])}" for n, item in enumerate(block[1], 1)] + [
                ""
            ]
        elif kind == "tabs":
            for label, inner in block[1]:
                out += [f'{indent}=== "{label}"', ""]
                out += _render(inner, lang, indent + "    ", where)
        elif kind == "table":
            plans = PLAN_NAMES[lang]
            out += [f"| {PHRASES['plan'][lang]} | {PHRASES['price'][lang]} |", "| --- | --- |"]
            out += [f"| {plans[n % len(plans)]} | {r} |" for n, r in enumerate(block[1])] + [""]
        elif kind == "tip":
            out += [
                f'!!! tip "{PHRASES["tip"][lang]}"',
                f"    {_join([_sentence(item, lang) for item in block[1]], lang)}",
                "",
            ]
        elif kind == "links":
            _, others, home = block
            out += [f"- [{_title(j)[lang]}]({_link(where[0], j, where[1])})" for j in others]
            if home:
                colon = " :" if lang == "fr" else ":"
                home_link = posixpath.relpath("../index.md", _folder(*where))
                out += [f"- {PHRASES['see-also'][lang]}{colon} [{PHRASES['home'][lang]}]({home_link})"]
            out += [""]
    return out


def home_text(articles: int, lang: str) -> str:
    """The home page: what the site is, and links to the first articles."""
    title = {"en": "Amazon Prime help", "ja": "Amazonプライム ヘルプ", "fr": "Aide Amazon Prime"}[lang]
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(PHRASES['home-description'][lang], ensure_ascii=False)}",
        "---",
        "",
        f"# {title}",
        "",
        _join([FILLER[lang][0], FILLER[lang][13]], lang),
        "",
        f"## {HEADINGS['related'][lang]}",
        "",
    ]
    lines += [f"- [{_title(j)[lang]}]({KB_DIR}/{_article_path(j, articles)}.md)" for j in range(min(articles, 10))]
    return "\n".join(lines) + "\n"


def article_text(i: int, blocks: list[tuple], lang: str, articles: int = 1) -> str:
    title = _title(i)[lang]
    head = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(PHRASES['description'][lang], ensure_ascii=False)}",
        "---",
        "",
        f"# {title}",
        "",
    ]
    return "\n".join(head + _render(blocks, lang, where=(i, articles))).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------------


def _without_top_level(text: str, keys: tuple[str, ...]) -> str:
    """mkdocs.yml minus the given top-level keys and their values (text edit: the file has Python tags)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m:
            skipping = m.group(1) in keys
        elif skipping and line.strip() and not line[0].isspace() and not line.startswith("-"):
            skipping = False  # a comment at column 0: it belongs to what follows
        if not skipping:
            out.append(line)
    return "".join(out).rstrip("\n") + "\n"


def write_configs(repo: Path, root: Path) -> tuple[Path, Path]:
    """mkdocs.yml and mkdocs-nohooks.yml: the real mkdocs.yml with no nav (MkDocs makes one from the files), no
    theme custom_dir, and as hooks only the fact hook (by absolute path), or none.

    The theme's overrides and the project's other hooks (PDF, search, SEO...) depend on each other, not on
    the fact engine; keeping them would measure them too (or fail without them).
    """
    base = _without_top_level((repo / "mkdocs.yml").read_text("utf-8"), ("hooks", "nav"))
    base = re.sub(r"^[ \t]+custom_dir[ \t]*:.*\n", "", base, flags=re.M)
    full = _without_top_level((repo / "mkdocs.yml").read_text("utf-8"), ("nav",))
    full = re.sub(
        r"^([ \t]+custom_dir[ \t]*:).*\n",
        lambda m: f"{m.group(1)} {json.dumps(str(repo / 'overrides'))}\n",
        full,
        flags=re.M,
    )
    full = re.sub(
        r"^([ \t]+- )(hooks/\S+\.py)", lambda m: m.group(1) + json.dumps(str(repo / m.group(2))), full, flags=re.M
    )
    (root / FULL_CONFIG).write_text(
        "# scripts/benchmark.py: the real mkdocs.yml, every hook and the overrides by absolute "
        "path; no nav (MkDocs makes one from the folders: sections)\n" + full,
        "utf-8",
    )
    with_hooks = root / "mkdocs.yml"
    without = root / "mkdocs-nohooks.yml"
    with_hooks.write_text(
        base + f"\n# scripts/benchmark.py: the real hook, by absolute path; no nav (MkDocs makes one)\n"
        f"hooks:\n  - {json.dumps(str(HOOK))}\n",
        "utf-8",
    )
    without.write_text(base + "\n# scripts/benchmark.py: the same site without the fact hooks\n", "utf-8")
    return with_hooks, without


def generate_site(
    root: Path, articles: int, seed: int = 1, repo: Path = REPO, today: dt.date | None = None
) -> SiteInfo:
    """Write the synthetic site into ``root`` (created; must be empty or absent)."""
    today = today or dt.date.today()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("generated by scripts/benchmark.py; safe to delete\n", "utf-8")
    rng = random.Random(seed)
    # the real site's assets (stylesheets, scripts, images), not its articles: the real pages may be mid-edit, and
    # the generated site must check cleanly whatever their state (the real content is measured on its own)
    shutil.copytree(repo / "docs", root / "docs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    write_configs(repo, root)
    readers_words(root, True, repo)
    sources, facts, ids = synthetic_registry(articles, rng, today)
    write_registry(repo / "facts" / "registry.yaml", root / "facts" / "registry.yaml", sources, facts)
    # the registry's other files (facts by topic) are part of it: registry.yaml refers to their facts and sources
    for topic in sorted((repo / "facts").glob("*.yaml")):
        if topic.name != "registry.yaml":
            shutil.copyfile(topic, root / "facts" / topic.name)
    kb = root / "docs" / KB_DIR
    kb.mkdir(parents=True, exist_ok=True)
    references = words_en = chars_ja = 0
    for i in range(articles):
        blocks = _article_plan(i, articles, ids, random.Random(f"{seed}-{i}"))
        for lang in LANGS:
            text = article_text(i, blocks, lang, articles)
            page = kb / f"{_article_path(i, articles)}.{lang}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text, "utf-8")
            if lang == "en":
                references += text.count("{{")
                words_en += len(text.split())
            elif lang == "ja":
                chars_ja += len(text)
    for lang in LANGS:
        (root / "docs" / f"index.{lang}.md").write_text(home_text(articles, lang), "utf-8")
    kinds: dict[str, int] = {}
    for fact in facts.values():
        key = fact["kind"] + (f"-{fact['status']}" if fact["kind"] == "phone" else "")
        kinds[key] = kinds.get(key, 0) + 1
    return SiteInfo(
        root, articles, articles * len(LANGS), len(facts), kinds, references * len(LANGS), words_en, chars_ja
    )


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system time of the child: less sensitive to other jobs on the machine
    max_rss_mib: float
    returncode: int
    stdout: str
    stderr: str


# A child's ru_maxrss includes the RSS of the process it was forked from (Linux records the old address space's
# high-water mark at exec), so a child spawned by this process, which holds a whole checked site, would report at
# least this process's size. Children are therefore started by a bare interpreter (-I -S, ~8 MiB) that waits for
# them with os.wait4 and writes: exit code, wall seconds, CPU seconds (user + system), max RSS (KiB).
_LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {elapsed} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
"""


def _tree_memory(root_pid: int) -> tuple[int, int]:
    """The summed RSS and PSS (KiB) of ``root_pid`` and every process under it, now (Linux /proc).
    RSS counts a page shared by several processes once per process; PSS divides it among them."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def run_child(cmd: list[str], cwd: Path, env: dict, memory: dict | None = None) -> Run:
    """Run ``cmd``; its wall time, CPU time and peak RSS, from os.wait4 in a minimal launcher (see _LAUNCHER).
    ``os.wait4``'s peak RSS is the largest of any one process of the tree (those waited for). With ``memory``
    (a dict), the whole tree's summed RSS and PSS are also sampled every 0.5 s, their peaks written there:
    what the build needs of the machine at once, the book printers included."""
    import threading

    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rusage") as figures,
    ):
        launcher = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, figures.name, *cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        done = threading.Event()

        def sample():
            peak_rss = peak_pss = 0
            while not done.wait(0.5):
                rss, pss = _tree_memory(launcher.pid)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            memory.update(tree_peak_rss_mib=round(peak_rss / 1024), tree_peak_pss_mib=round(peak_pss / 1024))

        sampler = (
            threading.Thread(target=sample, daemon=True) if memory is not None and os.path.isdir("/proc") else None
        )
        if sampler:
            sampler.start()
        launcher.wait()
        done.set()
        if sampler:
            sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        fields = figures.read().split()
        if len(fields) != 4:  # the launcher itself failed (command not found...)
            return Run(float("nan"), float("nan"), float("nan"), launcher.returncode or 1, stdout, stderr)
        code, wall, cpu, rss_kib = int(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
        return Run(wall, cpu, rss_kib / 1024, code, stdout, stderr)


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def build(root: Path, config: Path, out: Path) -> Run:
    return run_child([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)], root, _env())


def factcheck_cmd(root: Path) -> list[str]:
    script = Path(sys.executable).parent / "factcheck"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "factengine"]
    return prefix + ["--root", str(root), "--json"]


def factcheck(root: Path) -> tuple[Run, dict | None]:
    run = run_child(factcheck_cmd(root), root, _env())
    try:
        report = json.loads(run.stdout)
    except ValueError:
        report = None
    return run, report


def check_in_process(root: Path, repeat: int) -> tuple[list[Run], object]:
    """``factengine.check()`` alone, in this process (imports and interpreter start-up excluded)."""
    from factengine import Project, check

    runs, result = [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = check(Project(root))
        runs.append(Run(time.perf_counter() - started, time.process_time() - cpu, 0.0, 0, "", ""))
    return runs, result


def factcheck_in_process(root: Path, repeat: int) -> list[Run]:
    """What ``factcheck`` does, in this process: a new Checker over the project's store (filled
    first), for the verdict only, run from the project's folder as the command is."""
    from factengine import Checker, Project

    here = os.getcwd()
    os.chdir(root)  # the store is keyed by the working folder (reports name paths relative to it)
    try:
        Checker.for_project(Project(root)).check(Project(root), analyses=False)
        runs = []
        for _ in range(max(repeat, 7)):
            started, cpu = time.perf_counter(), time.process_time()
            Checker.for_project(Project(root)).check(Project(root), analyses=False)
            runs.append(Run(time.perf_counter() - started, time.process_time() - cpu, 0.0, 0, "", ""))
    finally:
        os.chdir(here)
    return runs


def _verify_site(out: Path, hooks: bool) -> list[str]:
    """What a build must have produced: rendered facts with hooks, the raw references without."""
    problems = []
    first = next((out / KB_DIR).rglob(f"{_slug(0)}/index.html"), out / KB_DIR / _slug(0) / "index.html")
    inside = first.relative_to(out)
    for page in (out / inside, out / "ja" / inside, out / "fr" / inside):
        if not page.exists():
            problems.append(f"{page.relative_to(out)} was not built")
            continue
        html = page.read_text("utf-8")
        if hooks and ("data-fact=" not in html or "{{" in html):
            problems.append(f"{page.relative_to(out)}: the facts were not rendered")
        if not hooks and "{{" not in html:
            problems.append(f"{page.relative_to(out)}: references rendered without the hooks?")
    if hooks != (out / "facts.json").exists():
        problems.append(f"facts.json {'missing' if hooks else 'written without the hooks'}")
    return problems


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(runs: list[Run]) -> dict:
    return {
        "runs_s": [round(r.seconds, 3) for r in runs],
        "median_s": round(median([r.seconds for r in runs]), 3),
        "cpu_runs_s": [round(r.cpu_seconds, 3) for r in runs],
        "cpu_median_s": round(median([r.cpu_seconds for r in runs]), 3),
        "max_rss_mib": round(max((r.max_rss_mib for r in runs), default=0), 1) or None,
    }


def _report_fields(report: dict | None) -> dict:
    keys = ("seconds", "errors", "warnings", "pages", "facts")
    return {("reported_s" if k == "seconds" else k): (report or {}).get(k) for k in keys}


def readers_words(root: Path, present: bool, repo: Path = REPO) -> None:
    """Give the generated site the project's search words (``search/``), or take them away.

    The post-build step makes the search index only for a project that has them
    (``postbuild.finish``). The fact hook alone is measured without them: what it then does
    after the site is written (sitemap, ``_headers``, the verifier of the built site) is the
    engine's and the site's, while Pagefind's index is the search's, measured with the full
    configuration."""
    if present:
        shutil.copytree(repo / "search", root / "search", dirs_exist_ok=True)
    else:
        shutil.rmtree(root / "search", ignore_errors=True)


def _pct(a: float, b: float) -> float | None:
    return round((a / b - 1) * 100, 1) if b else None


def measure(root: Path, repeat: int, work: Path, log=print) -> dict:
    """The synthetic site: K builds with and K without hooks (interleaved), K factcheck runs, K check() calls.
    The search words are taken away meanwhile (``readers_words``) and given back: a kept site
    (``--keep``) still builds with the full configuration afterwards."""
    readers_words(root, False)  # no search index: the fact hook's own work (readers_words)
    try:
        return _measure(root, repeat, work, log)
    finally:
        readers_words(root, True)


def _measure(root: Path, repeat: int, work: Path, log) -> dict:
    configs = {"hooks": root / "mkdocs.yml", "nohooks": root / "mkdocs-nohooks.yml"}
    runs: dict[str, list[Run]] = {"hooks": [], "nohooks": []}
    failures: list[str] = []
    for k in range(repeat):
        order = ("hooks", "nohooks") if k % 2 == 0 else ("nohooks", "hooks")  # alternate, so drift hits both
        for name in order:
            out = work / f"site-{name}-{k}"
            run = build(root, configs[name], out)
            runs[name].append(run)
            log(
                f"  build {name:<7} #{k + 1}: {run.seconds:7.2f} s  (CPU {run.cpu_seconds:6.2f} s)  "
                f"max RSS {run.max_rss_mib:5.0f} MiB"
                + ("" if run.returncode == 0 else f"  FAILED (exit {run.returncode})")
            )
            if run.returncode != 0:
                failures.append(f"build {name} #{k + 1} exited {run.returncode}:\n{run.stderr[-4000:]}")
            elif k == 0:
                failures += [f"build {name}: {p}" for p in _verify_site(out, name == "hooks")]
            shutil.rmtree(out, ignore_errors=True)
        if failures:
            break
    figures: dict = {"build_hooks": summary(runs["hooks"]), "build_nohooks": summary(runs["nohooks"])}
    hooks, plain = figures["build_hooks"], figures["build_nohooks"]
    figures["build_ratio"] = round(hooks["median_s"] / plain["median_s"], 3) if plain["median_s"] else None
    figures["build_overhead_pct"] = _pct(hooks["median_s"], plain["median_s"])
    figures["build_overhead_s"] = round(hooks["median_s"] - plain["median_s"], 3)
    figures["build_cpu_overhead_pct"] = _pct(hooks["cpu_median_s"], plain["cpu_median_s"])

    cli_runs, report = [], None
    for k in range(repeat):
        run, report = factcheck(root)
        cli_runs.append(run)
        log(
            f"  factcheck    #{k + 1}: {run.seconds:7.2f} s  (CPU {run.cpu_seconds:6.2f} s)  max RSS {run.max_rss_mib:5.0f} MiB"
            f"  exit {run.returncode}"
        )
        if run.returncode != 0 or report is None or not report.get("ok"):
            failures.append(f"factcheck exited {run.returncode}:\n{(run.stdout + run.stderr)[-4000:]}")
            break
    in_process, result = check_in_process(root, repeat)
    figures["check_cli"] = {**summary(cli_runs), **_report_fields(report)}
    figures["check_in_process"] = {
        **summary(in_process),
        "first_s": round(in_process[0].seconds, 3),
        "errors": len(result.errors),
    }
    log(f"  check() in process: {' '.join(f'{r.seconds:.2f}' for r in in_process)} s")
    figures["factcheck_in_process"] = summary(factcheck_in_process(root, repeat))
    log(
        f"  factcheck in process (the store): {' '.join(f'{x:.3f}' for x in figures['factcheck_in_process']['runs_s'])} s"
    )
    if result.errors:
        failures += [f"check(): {d}" for d in result.errors[:20]]
    figures["failures"] = failures
    return figures


def measure_real(repo: Path, repeat: int, log=print) -> dict:
    """The real content (this repository): factcheck and check() only."""
    runs, report = [], None
    for _ in range(repeat):
        run, report = factcheck(repo)
        runs.append(run)
    in_process, result = check_in_process(repo, repeat)
    figures = {
        "check_cli": {**summary(runs), **_report_fields(report)},
        "check_in_process": {
            **summary(in_process),
            "first_s": round(in_process[0].seconds, 3),
            "errors": len(result.errors),
        },
    }
    log(
        f"  real content: factcheck {figures['check_cli']['median_s']:.2f} s, "
        f"check() in process {figures['check_in_process']['median_s']:.3f} s"
    )
    return figures


def _html_per_page(out: Path) -> dict:
    """The built pages' HTML (404 pages excluded): count, KiB per page, and the whole site's size."""
    pages = [p for p in out.rglob("index.html")]
    html = sum(p.stat().st_size for p in pages)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "pages": len(pages),
        "html_kib_per_page": round(html / 1024 / max(1, len(pages)), 1),
        "site_mib": round(total / 1024 / 1024, 1),
    }


def _books(out: Path) -> dict:
    """The printed books (hooks/pdf.py): how many, their size and pages."""
    from pypdf import PdfReader

    pdfs = sorted(out.rglob("*.pdf"))
    pages = [len(PdfReader(p).pages) for p in pdfs]
    sizes = [p.stat().st_size for p in pdfs]
    return {
        "count": len(pdfs),
        "total_mib": round(sum(sizes) / 2**20, 1),
        "largest_mib": round(max(sizes, default=0) / 2**20, 2),
        "pages": sum(pages),
        "most_pages": max(pages, default=0),
        "whole_site_books": len([p for p in pdfs if p.parent.name != "books"]),
    }


def _touch_article(root: Path, token: str) -> Path:
    """Append a sentence with ``token`` to the first English article: an editor's one-line edit."""
    page = next((root / "docs" / KB_DIR).rglob(f"{_slug(0)}.en.md"))
    with page.open("a", encoding="utf-8") as out:
        out.write(f"\nOne more sentence, {token}.\n")
    return page


def measure_full(root: Path, work: Path, edits: int, log=print) -> dict:
    """The real configuration (FULL_CONFIG: every hook, the overrides): a clean build, a second build after one
    article changed, and `mkdocs serve`'s edit-to-reload, as `make build` and `make serve` run them."""
    config = root / FULL_CONFIG
    out = work / "site-full"
    readers_words(root, True)
    figures: dict = {}
    original = {p: p.read_bytes() for p in (root / "docs" / KB_DIR).rglob(f"{_slug(0)}.*.md")}
    # A clean build starts with nothing kept: no printed books, search bundles, check store or memo (.cache/).
    shutil.rmtree(root / ".cache", ignore_errors=True)
    try:
        plain = build(root, root / "mkdocs-nohooks.yml", work / "site-plain")
        shutil.rmtree(work / "site-plain", ignore_errors=True)
        figures["build_plain"] = {
            "s": round(plain.seconds, 2),
            "cpu_s": round(plain.cpu_seconds, 2),
            "max_rss_mib": round(plain.max_rss_mib),
            "exit": plain.returncode,
        }
        log(f"  plain build (no hooks, no overrides): {plain.seconds:7.2f} s  (CPU {plain.cpu_seconds:6.2f} s)")
        for name, token in (("clean", None), ("after_one_edit", "after-edit")):
            if token:
                _touch_article(root, token)
            memory: dict = {}
            run = run_child(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)], root, _env(), memory
            )
            figures[f"build_{name}"] = {
                "s": round(run.seconds, 2),
                "cpu_s": round(run.cpu_seconds, 2),
                "max_rss_mib": round(run.max_rss_mib),
                **memory,
                "exit": run.returncode,
            }
            if plain.seconds and plain.returncode == 0:
                figures[f"build_{name}"]["x_plain"] = round(run.seconds / plain.seconds, 2)
            log(
                f"  full build ({name}): {run.seconds:7.2f} s  (CPU {run.cpu_seconds:6.2f} s)  "
                f"max RSS of one process {run.max_rss_mib:5.0f} MiB, of the whole tree {memory}  exit {run.returncode}"
            )
            if run.returncode != 0:
                figures["failures"] = [f"full build ({name}) exited {run.returncode}:\n{run.stderr[-4000:]}"]
                return figures
            if name == "clean":
                figures["size"] = _html_per_page(out)
                figures["books"] = _books(out)
                log(f"  site: {figures['size']}")
                log(f"  books: {figures['books']}")
        figures["build_after_one_edit"]["x_clean"] = round(
            figures["build_after_one_edit"]["s"] / figures["build_clean"]["s"], 3
        )
        for page, data in original.items():
            page.write_bytes(data)
        if edits:
            figures["serve"] = serve_loop(root, config, edits, log)
    finally:
        for page, data in original.items():
            page.write_bytes(data)
        shutil.rmtree(out, ignore_errors=True)
    return figures


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_loop(root: Path, config: Path, edits: int, log=print) -> dict:
    """`mkdocs serve --livereload --dirty` (as `make serve`) with a browser on the first article: the time from
    saving an edit of that article to the browser showing the reloaded page, for ``edits`` edits, then for one
    registry edit (a fact that article states)."""
    import threading
    from playwright.sync_api import sync_playwright

    from searchindex.browser import CHROMIUM, CHROMIUM_ARGS  # the one launch of Debian's chromium

    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "--dirty",
            "-f",
            str(config),
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=root,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    started = time.perf_counter()
    figures: dict = {}
    try:
        while not any("Serving on" in line for line in lines):
            if proc.poll() is not None or time.perf_counter() - started > 1800:
                raise RuntimeError("mkdocs serve did not start:\n" + "".join(lines[-40:]))
            time.sleep(0.2)
        figures["first_build_s"] = round(time.perf_counter() - started, 2)
        log(f"  serve: first build {figures['first_build_s']:.1f} s")
        source = next((root / "docs" / KB_DIR).rglob(f"{_slug(0)}.en.md"))
        site_url = re.search(r"^site_url:\s*(\S+)", config.read_text("utf-8"), re.M)
        base = urllib.parse.urlsplit(site_url.group(1)).path if site_url else "/"
        article = source.relative_to(root / "docs").with_suffix("").with_suffix("").as_posix()
        url = f"http://127.0.0.1:{port}{base}{article}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            times = []
            for k in range(edits):
                time.sleep(1.0)  # an editor types, then saves: edits do not pile up
                # letters only: digits in an article are read as a hand-written phone number or amount
                token = "editmark" + "".join(chr(ord("a") + int(d)) for d in f"{k}{int(time.time())}")
                t0 = time.perf_counter()
                _touch_article(root, token)
                try:
                    times.append(_wait_for_text(page, token, t0))
                except RuntimeError as exc:
                    raise RuntimeError(f"{exc}; mkdocs serve said:\n" + "".join(lines[-30:])) from None
                log(f"  serve: edit #{k + 1} -> reloaded in {times[-1]:.2f} s")
            figures["edit_to_reload_s"] = [round(t, 2) for t in times]
            figures["edit_to_reload_median_s"] = round(median(times), 2)
            figures["rendered_per_edit"] = [line.strip() for line in lines if "preview: rendering" in line][-1:]
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return figures


def _wait_for_text(page, token: str, since: float, timeout: float = 120) -> float:
    """Seconds from ``since`` until the browser's page (reloaded by livereload) shows ``token``."""
    last = None
    while time.perf_counter() - since < timeout:
        try:
            if token in page.inner_text("body", timeout=1000):
                return time.perf_counter() - since
        except Exception as exc:  # the page is being reloaded
            last = exc
        time.sleep(0.02)
    raise RuntimeError(f"the edit {token} never showed in the browser ({page.url}; last error: {last})")


# The functions whose cumulative time tells where a build's time goes (file fragment, function name).
PROFILE_KEYS = [
    ("mkdocs/commands/build.py", "build", "the whole build (all languages)"),
    ("mkdocs/structure/pages.py", "render", "Markdown to HTML"),
    ("mkdocs/commands/build.py", "_build_page", "templates (theme, nav)"),
    ("search/plugin.py", "on_page_context", "search index: pages"),
    ("mkdocs_static_i18n/reconfigure.py", "reconfigure_search_duplicates", "search index: i18n de-duplication"),
    ("hooks/facts.py", "on_pre_build", "fact hook: on_pre_build"),
    ("factengine/checks.py", "check", "  of which factengine.check()"),
    ("hooks/facts.py", "on_page_markdown", "fact hook: on_page_markdown"),
    ("hooks/facts.py", "on_post_build", "fact hook: on_post_build (facts.json)"),
]


def _cumulative(stats, fragment: str, name: str) -> float:
    return max(
        (ct for (fn, _, fname), (_, _, _, ct, _) in stats.stats.items() if fragment in fn and fname == name),
        default=0.0,
    )


def profile(root: Path, out_dir: Path, work: Path, log=print) -> None:
    """cProfile of check() in process, and of one build with and one without hooks (slower: the profiler's cost)."""
    import cProfile
    import io
    import pstats
    from factengine import Project, check

    out_dir.mkdir(parents=True, exist_ok=True)
    prof = cProfile.Profile()
    prof.runcall(check, Project(root))
    prof.dump_stats(out_dir / "check.prof")
    text = io.StringIO()
    pstats.Stats(str(out_dir / "check.prof"), stream=text).sort_stats("cumulative").print_stats(
        r"factengine|phonenumbers|yaml", 22
    )
    log(
        f"\ncProfile of check() ({out_dir / 'check.prof'}), by cumulative time:\n"
        + text.getvalue().split("\n\n", 1)[-1].strip()
    )
    stats = {}
    for name, config in (("nohooks", "mkdocs-nohooks.yml"), ("hooks", "mkdocs.yml")):
        path = out_dir / f"build-{name}.prof"
        run = run_child(
            [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(path),
                "-m",
                "mkdocs",
                "build",
                "-q",
                "-f",
                config,
                "-d",
                str(work / f"profile-{name}"),
            ],
            root,
            _env(),
        )
        shutil.rmtree(work / f"profile-{name}", ignore_errors=True)
        if run.returncode != 0:
            log(f"profiled build {name} failed:\n{run.stderr[-2000:]}")
            return
        stats[name] = pstats.Stats(str(path), stream=io.StringIO())
    log(f"\ncProfile of one build each ({out_dir}/build-*.prof), cumulative seconds (inflated by the profiler):")
    log(f"{'':<42}{'no hooks':>10}{'hooks':>10}{'diff':>10}")
    for fragment, name, label in PROFILE_KEYS:
        a, b = _cumulative(stats["nohooks"], fragment, name), _cumulative(stats["hooks"], fragment, name)
        log(f"{label:<42}{a:>10.2f}{b:>10.2f}{b - a:>+10.2f}")


def components(root: Path, repeat: int, log=print) -> dict:
    """CPU time (best of K, in this process) of what the fact hook adds to a build: check(), rendering the references
    as on_page_markdown does, and Markdown's extra work on the rendered facts. Less noisy than a profiled build."""
    import markdown
    from mkdocs.config import load_config
    from factengine import Project, Renderer, check

    def best(fn):
        times, out = [], None
        for _ in range(repeat):
            cpu = time.process_time()
            out = fn()
            times.append(time.process_time() - cpu)
        return min(times), out

    t_check, result = best(lambda: check(Project(root)))

    def render_all():
        out = []
        for analysis in result.analyses:
            page, refs = analysis.source, analysis.references
            renderer = Renderer(result.registry, page.language)
            text = page.body
            for ref in sorted(refs, key=lambda r: r.start, reverse=True):
                text = text[: ref.start] + renderer.reference(ref) + text[ref.end :]
            out.append(text)
        return out

    t_render, rendered = best(render_all)
    cwd = os.getcwd()
    try:
        os.chdir(root)  # the config's !!python tags and relative paths
        config = load_config(str(root / "mkdocs-nohooks.yml"))
    finally:
        os.chdir(cwd)

    def convert(texts):
        md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        return [md.reset().convert(t) for t in texts]

    t_raw, _ = best(lambda: convert([p.body for p in result.pages]))
    t_rendered, _ = best(lambda: convert(rendered))
    figures = {
        "check_cpu_s": round(t_check, 3),
        "render_cpu_s": round(t_render, 3),
        "markdown_plain_cpu_s": round(t_raw, 3),
        "markdown_rendered_cpu_s": round(t_rendered, 3),
        "markdown_extra_cpu_s": round(t_rendered - t_raw, 3),
    }
    log(
        f"\nWhat the fact hook adds, CPU seconds in this process, best of {repeat} ({len(result.pages)} pages):\n"
        f"  factengine.check()                                 {t_check:7.3f}\n"
        f"  rendering the references (as on_page_markdown)    {t_render:7.3f}\n"
        f"  Markdown of the pages, references left as text     {t_raw:7.3f}\n"
        f"  Markdown of the pages, facts rendered              {t_rendered:7.3f}  ({t_rendered - t_raw:+.3f})"
    )
    return figures


def revision(repo: Path) -> dict:
    """The commit measured, and whether the engine's or the hook's files differ from it (read-only git)."""

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD") or None,
        "modified": git("status", "--porcelain", "--", "factengine", "hooks", "mkdocs.yml", "facts").splitlines(),
    }


def machine() -> dict:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    return {
        "nproc": affinity,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": _cpu_model(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in (
        "mkdocs",
        "mkdocs-material",
        "mkdocs-static-i18n",
        "pymdown-extensions",
        "Markdown",
        "pydantic",
        "babel",
        "phonenumbers",
        "PyYAML",
    ):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def report_table(data: dict) -> str:
    m, site, f, real = data["machine"], data["site"], data["synthetic"], data["real"]
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    rev = data["revision"]
    lines = [
        f"Fact engine benchmark, {data['date']}",
        f"machine: {m['nproc']} CPU(s) ({m['processor']}), Python {m['python']}, {m['platform']}",
        f"code: commit {rev['commit']}"
        + (f" + uncommitted changes to {', '.join(x.split()[-1] for x in rev['modified'])}" if rev["modified"] else ""),
        f"load average {m['loadavg_start']} at start, {m['loadavg_end']} at end "
        f"(other jobs share the machine: wall times are noisy, CPU times less so)",
        f"site: {site['articles']} articles x 3 languages = {site['pages']} synthetic pages + 3 home pages, "
        f"{site['facts']} synthetic facts, {site['references']} references, "
        f"{site['words_en'] / max(site['articles'], 1):.0f} words per English page; median of {data['repeat']} runs",
        "",
        f"{'measure':<38}{'wall':>9}{'CPU':>9}{'max RSS':>10}   wall runs (s)",
        f"{'-' * 36:<38}{'-' * 7:>9}{'-' * 7:>9}{'-' * 8:>10}   {'-' * 16}",
    ]

    def row(name, fig):
        rss = f"{fig['max_rss_mib']:.0f} MiB" if fig.get("max_rss_mib") else "-"
        runs = " ".join(f"{x:.2f}" for x in fig["runs_s"])
        lines.append(f"{name:<38}{fig['median_s']:>7.2f} s{fig['cpu_median_s']:>7.2f} s{rss:>10}   {runs}")

    row("mkdocs build, with the fact hooks", f["build_hooks"])
    row("mkdocs build, without hooks", f["build_nohooks"])
    row("factcheck command (subprocess)", f["check_cli"])
    row("check() in process, cold (no store)", f["check_in_process"])
    if "factcheck_in_process" in f:
        row("factcheck in process (the store)", f["factcheck_in_process"])
    row("real content: factcheck command", real["check_cli"])
    row("real content: check() in process", real["check_in_process"])
    overhead = f["build_overhead_pct"]
    lines += [
        "",
        f"hooks / no hooks: x{f['build_ratio']}, overhead {overhead:+.1f}% ({f['build_overhead_s']:+.2f} s wall; "
        f"{f['build_cpu_overhead_pct']:+.1f}% in CPU time)   target <= {TARGET_OVERHEAD_PCT:.0f}%: "
        f"{ok(overhead is not None and overhead <= TARGET_OVERHEAD_PCT)}",
        f"check() in process, cold: {f['check_in_process']['median_s']:.3f} s (first call {f['check_in_process']['first_s']:.3f} s)"
        f"   target <= {TARGET_CHECK_S:.0f} s: {ok(f['check_in_process']['median_s'] <= TARGET_CHECK_S)}",
        *(
            [
                f"factcheck in process, from the store: {f['factcheck_in_process']['median_s']:.3f} s"
                f"   target <= {TARGET_FACTCHECK_IN_PROCESS_S} s: "
                f"{ok(f['factcheck_in_process']['median_s'] <= TARGET_FACTCHECK_IN_PROCESS_S)}"
            ]
            if "factcheck_in_process" in f
            else []
        ),
        f"factcheck command: {f['check_cli']['median_s']:.3f} s wall ({f['check_cli']['reported_s']} s as it reports itself)"
        f"   target <= {TARGET_CHECK_S:.0f} s: {ok(f['check_cli']['median_s'] <= TARGET_CHECK_S)}",
        f"factcheck found: {f['check_cli']['pages']} pages, {f['check_cli']['facts']} facts, "
        f"{f['check_cli']['errors']} error(s), {f['check_cli']['warnings']} warning(s)",
        f"real content: {real['check_cli']['pages']} pages, {real['check_cli']['facts']} facts, "
        f"{real['check_cli']['errors']} error(s), {real['check_cli']['warnings']} warning(s)",
    ]
    return "\n".join(lines)


def targets_met(f: dict) -> bool:
    return (
        f["build_overhead_pct"] is not None
        and f["build_overhead_pct"] <= TARGET_OVERHEAD_PCT
        and f["check_in_process"]["median_s"] <= TARGET_CHECK_S
        and f["check_cli"]["median_s"] <= TARGET_CHECK_S
        and f.get("factcheck_in_process", {"median_s": 0})["median_s"] <= TARGET_FACTCHECK_IN_PROCESS_S
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=300, help="articles in the synthetic site (x 3 languages; default 300)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measure; the median is reported (default 3)"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--keep", type=Path, help="generate the site into DIR and keep it (DIR must be empty or a previous one)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--fail-on-target", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also measure the hook's parts (CPU time) and write cProfile data of check() and of one "
        "build with and one without hooks to DIR, with summaries",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="also measure the real configuration (every hook, the overrides): clean build, build "
        "after one edit, and `mkdocs serve`'s edit-to-reload in a browser",
    )
    parser.add_argument(
        "--edits", type=int, default=5, help="edits for the serve measure; the median is reported (0: no serve measure)"
    )
    parser.add_argument(
        "--skip-basic", action="store_true", help="with --full: skip the builds with and without the fact hook alone"
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")

    info = machine()
    print(f"machine: {info['nproc']} CPU(s), Python {info['python']}, load average {info['loadavg_start']}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="factengine-bench-"))
    try:
        if args.keep:
            root = args.keep.resolve()
            if root.exists() and any(root.iterdir()):
                if not (root / MARKER).exists():
                    parser.error(f"{root} is not empty and was not generated by this script")
                shutil.rmtree(root)
        else:
            root = work / "src"
        started = time.perf_counter()
        site = generate_site(root, args.articles, seed=args.seed)
        print(
            f"generated {site.pages} pages ({site.articles} articles), {site.facts} facts in {root} "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        log = lambda s: print(s, flush=True)  # noqa: E731
        if args.skip_basic:
            synthetic = {"failures": []}
        else:
            synthetic = measure(root, args.repeat, work, log)
        full = measure_full(root, work, args.edits, log) if args.full and not synthetic["failures"] else None
        if full and full.get("failures"):
            synthetic["failures"] += full["failures"]
        real = measure_real(REPO, args.repeat, log)
        info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        data = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join([Path(sys.executable).name, *sys.argv]) if argv is None else " ".join(argv),
            "repeat": args.repeat,
            "seed": args.seed,
            "machine": info,
            "versions": versions(),
            "revision": revision(REPO),
            "site": {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(site).items()},
            "synthetic": synthetic,
            "full": full,
            "real": real,
            "targets": {"build_overhead_pct": TARGET_OVERHEAD_PCT, "check_s": TARGET_CHECK_S},
        }
        print()
        if not args.skip_basic:
            print(report_table(data))
        if full:
            print(json.dumps(full, indent=2, ensure_ascii=False))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
            print(f"\nfigures written to {args.json}")
        if args.profile and not synthetic["failures"]:
            data["components"] = components(root, args.repeat, log)
            profile(root, args.profile.resolve(), work, log)
            if args.json:
                args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        if synthetic["failures"]:
            print("\nFAILED: the generated site does not build or check cleanly:", file=sys.stderr)
            for failure in synthetic["failures"]:
                print(failure, file=sys.stderr)
            return 1
        if real["check_cli"]["errors"]:
            print("\nnote: the real content has errors (see `factcheck`)", file=sys.stderr)
        if args.fail_on_target and not targets_met(synthetic):
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
