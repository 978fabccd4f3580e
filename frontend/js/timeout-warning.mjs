// Warns someone part-way through a report before their answers are deleted for inactivity,
// and lets them keep going. Without JavaScript the page says how long they have instead.
export function initTimeoutWarning(dialog) {
  const minute = 60 * 1000;
  const timeout = Number(dialog.dataset.timeoutMinutes) * minute;
  const warning = Number(dialog.dataset.warningMinutes) * minute;
  const form = dialog.querySelector("form");
  let warnTimer;
  let endTimer;
  let opener;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(open, Math.max(timeout - warning, 0));
    endTimer = setTimeout(() => window.location.assign(dialog.dataset.endedUrl), timeout);
  }

  function open() {
    opener = document.activeElement;
    if (typeof dialog.showModal === "function") dialog.showModal();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (response.status === 410) {
      window.location.assign(dialog.dataset.endedUrl);
      return;
    }
    dialog.close();
    if (opener && typeof opener.focus === "function") opener.focus();
    schedule();
  });

  schedule();
}
