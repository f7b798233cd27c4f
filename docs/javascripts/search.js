/*
 * The header's search box (overrides/partials/search.html), answered by Pagefind.
 *
 * - Pagefind picks the index of the page's language (<html lang>): a reader
 *   downloads only their language's index, and gets results in it only.
 * - The bundle is found from Material's own base URL, so the site works under
 *   a sub-path (site_url with a path) and with `mkdocs serve`.
 * - A phone-shaped part of the query is reduced to its digits: the build wrote
 *   the digits of every notation of every number into the index
 *   (searchindex/phones.py), so a number with dashes or spaces, in
 *   international form or in full-width digits finds it.
 * - Words the build wrote for the index only (readers' words, number notations)
 *   are bracketed ⟦…⟧; they are taken out of the excerpts shown.
 * - It answers `input` (typing, pasting, IME commits) as well as `keyup`.
 */
(() => {
  "use strict";
  const box = document.querySelector("[data-site-search]");
  if (!box) return;
  const input = box.querySelector("[data-site-search-query]");
  const meta = box.querySelector("[data-site-search-meta]");
  const list = box.querySelector("[data-site-search-results]");
  const toggle = document.getElementById("__search");
  const config = JSON.parse(document.getElementById("__config").textContent);
  const siteRoot = new URL(config.base.replace(/\/?$/, "/"), location.href);
  const t = (key, count) => (config.translations[key] || "").replace("#", String(count));
  const MAX_RESULTS = 10;
  const INDEX_ONLY_OPEN = "\u27e6", INDEX_ONLY_CLOSE = "\u27e7";
  const ABOUT_ELEMENT = "\u00b7";  // ⟦· …⟧: words about an element (a number's history), not the word before
  // After NFKC (full-width digits, ＋ and － become ASCII): a run that starts with + or a
  // digit, ends with a digit, and has only separators in between; six digits at least.
  const PHONE_RUN = /\+?\d[\d\s().\-\u2010-\u2015\u2212\u30fc]*\d/g;

  let pagefind = null;
  let asked = 0;        // the number of the latest query asked, so an older answer never overwrites it
  let lastQuery = null;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (module) => {
        await module.options({ baseUrl: siteRoot.pathname });
        await module.init();
        return module;
      });
      pagefind.catch(() => { pagefind = null; });
    }
    return pagefind;
  }

  function normalise(query) {
    return query.normalize("NFKC").replace(PHONE_RUN, (run) => {
      const digits = run.replace(/\D/g, "");
      return digits.length >= 6 ? ` ${digits} ` : run;
    }).replace(/\s+/g, " ").trim();
  }

  // The excerpt as HTML with the index-only words taken out; <mark> kept where it was.
  function cleanExcerpt(excerpt) {
    const chars = [];  // [character (or entity), marked]
    let marked = false;
    for (const part of excerpt.split(/(<\/?mark>)/)) {
      if (part === "<mark>") { marked = true; continue; }
      if (part === "</mark>") { marked = false; continue; }
      for (const piece of part.match(/&[#a-z0-9]+;|[\s\S]/giu) || []) chars.push([piece, marked]);
    }
    const kept = [];
    // An excerpt can start inside index-only words: a ⟧ comes before any ⟦.
    const firstOpen = chars.findIndex(([c]) => c === INDEX_ONLY_OPEN);
    const firstClose = chars.findIndex(([c]) => c === INDEX_ONLY_CLOSE);
    let inside = firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen);
    let hitInside = false, aboutElement = false;
    for (const [i, [c, m]] of chars.entries()) {
      if (c === INDEX_ONLY_OPEN) {
        inside = true; hitInside = false;
        aboutElement = chars[i + 1] !== undefined && chars[i + 1][0] === ABOUT_ELEMENT;
        continue;
      }
      if (c === INDEX_ONLY_CLOSE) {
        inside = false;
        if (hitInside && !aboutElement) markWordBefore(kept);
        continue;
      }
      if (!inside) kept.push([c, m]);
      else if (m) hitInside = true;
    }
    let html = "", open = false;
    for (const [c, m] of kept) {
      if (m !== open) { html += m ? "<mark>" : "</mark>"; open = m; }
      html += c;
    }
    if (open) html += "</mark>";
    return html.replace(/\s{2,}/g, " ").replace(/<mark>(\s*)<\/mark>/g, "$1").trim();
  }

  // The query matched index-only words: highlight what they stand for, the word (or the
  // phone number) written just before them, when a space tells where it starts.
  function markWordBefore(kept) {
    let end = kept.length;
    while (end > 0 && /\s/.test(kept[end - 1][0])) end--;
    let start = end;
    while (start > 0 && !/\s/.test(kept[start - 1][0]) && end - start < 40) start--;
    if (start === end || (start > 0 && !/\s/.test(kept[start - 1][0]))) return;
    for (let i = start; i < end; i++) kept[i][1] = true;
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    a.tabIndex = -1;
    a.dataset.siteSearchResult = "";
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = cleanExcerpt(data.excerpt || "");
    article.append(icon, title, excerpt);
    a.append(article);
    li.append(a);
    return li;
  }

  async function search() {
    const query = normalise(input.value);
    if (query === lastQuery) return;
    lastQuery = query;
    const ticket = ++asked;
    if (!query) {
      list.replaceChildren();
      meta.textContent = t("search.result.placeholder");
      box.removeAttribute("data-site-search-state");
      return;
    }
    box.setAttribute("data-site-search-state", "searching");
    const engine = await loadPagefind();
    const found = await engine.search(query);
    if (ticket !== asked || !found) return;
    const shown = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (ticket !== asked) return;
    const count = found.results.length;
    meta.textContent = count === 0 ? t("search.result.none") : t(count === 1 ? "search.result.one" : "search.result.other", count);
    list.replaceChildren(...shown.map(item));
    box.setAttribute("data-site-search-state", "done");
    box.dataset.siteSearchAsked = query;  // what was asked of the index, for tests and debugging
  }

  let composing = false;
  input.addEventListener("compositionstart", () => { composing = true; });
  input.addEventListener("compositionend", () => { composing = false; search(); });
  input.addEventListener("input", () => { if (!composing) search(); });
  input.addEventListener("keyup", () => { if (!composing) search(); });
  // Material opens the results panel from the #__search toggle (CSS); its own search
  // component, which set the toggle on focus, is not mounted any more.
  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  }
  input.addEventListener("focus", () => { open(); loadPagefind(); });
  box.querySelector("form").addEventListener("reset", () => { setTimeout(search, 0); });
  box.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a[href]");
    if (first) location.href = first.href;
  });
  if (toggle) {
    toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  }
  list.addEventListener("click", (event) => {
    if (event.target.closest("a") && toggle) toggle.checked = false;
  });
  // Arrow keys move between the results and back to the box, as in Material's own search.
  box.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...list.querySelectorAll("a[href]")];
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? at + 1 : (at === -1 ? links.length : at) - 1;
    event.preventDefault();
    if (next < 0 || next >= links.length) input.focus();
    else links[next].focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const typing = event.target instanceof HTMLElement && event.target.matches("input, textarea, select, [contenteditable]");
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      input.blur();
    } else if (!typing && (event.key === "/" || event.key === "s" || event.key === "f") && toggle) {
      event.preventDefault();
      open();
      input.focus();
    }
  });
})();
