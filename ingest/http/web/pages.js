// What the public site and the planners' console share: building elements, the row a table
// shows when it is empty, and Danish-or-English texts (each page's TEXT, looked up by t()).

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

// Fill a table body with `rows`, or with one row saying `empty` across its `columns`.
function fillTable(body, rows, empty, columns) {
  if (rows.length) {
    body.replaceChildren(...rows);
    return;
  }
  const td = el("td", empty);
  td.colSpan = columns;
  const tr = el("tr");
  tr.append(td);
  body.replaceChildren(tr);
}

// The page in `language`: its lang attribute, title, every [data-text] node, and the switch
// (#language) that offers the other language.
function applyTexts(language, t) {
  document.documentElement.lang = language;
  document.title = t("pageTitle");
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  const toggle = document.getElementById("language");
  toggle.textContent = t("switchTo");
  toggle.lang = t("switchLang");
}
