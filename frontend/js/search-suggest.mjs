// Suggests pages as someone types in a search box: the ARIA 1.2 combobox pattern with a
// listbox popup. Up and Down move through the suggestions, Enter goes to the one chosen, Escape
// closes the list; Enter with none chosen searches as usual. Without JavaScript (or if the
// suggestions cannot be fetched) the box is an ordinary search form.
const DELAY_MS = 150;
const MIN_LENGTH = 2;

export function initSearchSuggest(form) {
  const input = form.querySelector("input[name=q]");
  if (!input || !input.id || !window.fetch) return;
  const endpoint = form.dataset.searchSuggest;
  const listbox = document.createElement("ul");
  listbox.id = `${input.id}-suggestions`;
  listbox.className = "solh-suggest";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", form.dataset.suggestLabel || "");
  listbox.hidden = true;
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  form.classList.add("solh-suggest-form");
  form.append(listbox, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");

  const answers = new Map();
  let options = [];
  let active = -1;
  let timer;
  let request;

  function announce(count) {
    if (!count) {
      status.textContent = "";
      return;
    }
    const template = count === 1 ? form.dataset.suggestStatusOne : form.dataset.suggestStatusOther;
    status.textContent = (template || "").replace("{count}", String(count));
  }

  function choose(index) {
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    choose(-1);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function open() {
    if (!options.length) return;
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function show(results) {
    close();
    options = results.map((result, index) => {
      const option = document.createElement("li");
      option.id = `${listbox.id}-${index}`;
      option.className = "solh-suggest__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = result.title;
      option.dataset.url = result.url;
      // Keep the focus in the box, so choosing with the pointer does not close the list first.
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => window.location.assign(result.url));
      return option;
    });
    listbox.replaceChildren(...options);
    open();
    announce(options.length);
  }

  async function fetchSuggestions() {
    const query = input.value.trim().replace(/\s+/g, " ");
    if (query.length < MIN_LENGTH) {
      options = [];
      close();
      announce(0);
      return;
    }
    if (answers.has(query)) {
      show(answers.get(query));
      return;
    }
    if (request) request.abort();
    request = new AbortController();
    try {
      const url = `${endpoint}?${new URLSearchParams({ q: query })}`;
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        signal: request.signal,
      });
      if (!response.ok) throw new Error(`suggestions answered ${response.status}`);
      const { results } = await response.json();
      answers.set(query, results);
      if (input.value.trim().replace(/\s+/g, " ") === query) show(results);
    } catch (error) {
      if (error.name !== "AbortError") {
        options = [];
        close();
      }
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    const count = options.length;
    switch (event.key) {
      case "ArrowDown":
        if (!count) return;
        event.preventDefault();
        open();
        choose(active + 1 < count ? active + 1 : 0);
        break;
      case "ArrowUp":
        if (!count) return;
        event.preventDefault();
        open();
        choose(active > 0 ? active - 1 : count - 1);
        break;
      case "Enter":
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].dataset.url);
        }
        break;
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", close);
  input.addEventListener("focus", () => {
    if (options.length && input.value.trim().length >= MIN_LENGTH) open();
  });
}

document.querySelectorAll("form[data-search-suggest]").forEach(initSearchSuggest);
