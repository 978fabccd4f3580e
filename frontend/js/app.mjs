// Starts GOV.UK Frontend's components and the cookie banner's JavaScript enhancement.
import { initAll } from "./govuk-frontend.min.js";
import "./search-suggest.mjs";

initAll();

const COOKIE = "cookies_policy";
const banner = document.querySelector("[data-cookie-banner]");

function savePolicy(analytics) {
  const policy = encodeURIComponent(JSON.stringify({ essential: true, analytics }));
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${COOKIE}=${policy}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
}

if (banner) {
  banner.querySelectorAll("button[name=analytics]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const accepted = button.value === "yes";
      savePolicy(accepted);
      banner.querySelector("[data-cookie-question]").hidden = true;
      const confirmation = banner.querySelector(
        accepted ? "[data-cookie-accepted]" : "[data-cookie-rejected]",
      );
      confirmation.hidden = false;
      confirmation.setAttribute("tabindex", "-1");
      confirmation.focus();
    });
  });
  banner.querySelectorAll("[data-cookie-hide]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      banner.hidden = true;
    });
  });
}

const timeoutDialog = document.querySelector("[data-timeout-warning]");
if (timeoutDialog) {
  import("./timeout-warning.mjs").then(({ initTimeoutWarning }) => initTimeoutWarning(timeoutDialog));
}
